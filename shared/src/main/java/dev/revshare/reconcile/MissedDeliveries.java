package dev.revshare.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import dev.revshare.stripe.BalanceTransaction;
import dev.revshare.stripe.StripeEvent;

/**
 * The Stripe event a webhook would have delivered for a movement Stripe recorded and the ledger lacks, built
 * from the balance transaction and its source, so that it is booked by the same code as a delivery: the same
 * classification, the same exactly-once keys (a payment by its ids, a refund by its id, a dispute's movement by
 * its balance transaction). The event's id comes from the balance transaction alone: reconciling the month
 * again finds its receipt and books nothing twice.
 */
public final class MissedDeliveries {
    /** Every event reconciliation books is named so, then the balance transaction's id. */
    public static final String EVENT_ID_PREFIX = "evt_reconciled_";

    private MissedDeliveries() {}

    public static String eventId(BalanceTransaction transaction) {
        return EVENT_ID_PREFIX + transaction.id();
    }

    /**
     * @throws IllegalArgumentException when Stripe gave no source object to build the event from
     */
    public static StripeEvent event(Agreement agreement, MovementKind kind, BalanceTransaction transaction) {
        if (transaction.source() == null || !transaction.source().isObject()) {
            throw new IllegalArgumentException("balance transaction " + transaction.id() + " came without its source object");
        }
        ObjectNode object = transaction.source().deepCopy();
        switch (kind) {
            // the settlement the charge came to: what converts a payment in another currency, as a key's lookup would
            case SALE -> object.set("balance_transaction", withoutSource(transaction));
            // the refund as it was when its money left; a later failure is its own movement (refund.failed)
            case REFUND -> {
                String status = object.path("status").asText("");
                if (status.equals("failed") || status.equals("canceled")) {
                    object.put("status", "succeeded");
                }
            }
            case REFUND_FAILURE -> object.put("status", "failed");
            // the dispute event that carried this money movement, and only this one
            case DISPUTE_WITHDRAWAL, DISPUTE_REINSTATEMENT -> {
                ArrayNode movements = object.putArray("balance_transactions");
                movements.add(withoutSource(transaction));
            }
        }
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", eventId(transaction));
        event.put("object", "event");
        if (agreement.stripeAccount() != null) {
            event.put("account", agreement.stripeAccount());
        }
        event.put("created", transaction.created().getEpochSecond());
        event.putObject("data").set("object", object);
        event.put("livemode", object.path("livemode").asBoolean(false));
        event.put("type", kind.eventType);
        return StripeEvent.parse(Json.write(event));
    }

    private static JsonNode withoutSource(BalanceTransaction transaction) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", transaction.id());
        node.put("object", "balance_transaction");
        node.put("amount", transaction.amount());
        node.put("currency", transaction.currency());
        node.put("created", transaction.created().getEpochSecond());
        node.put("type", transaction.type());
        if (transaction.reportingCategory() != null) {
            node.put("reporting_category", transaction.reportingCategory());
        }
        if (transaction.sourceId() != null) {
            node.put("source", transaction.sourceId());
        }
        return node;
    }
}
