package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import java.time.Instant;
import java.util.List;

/**
 * The Stripe objects a payment's sale events carry (charge, payment intent, Checkout session, invoice),
 * shaped as Stripe sends them in webhooks, with only the fields booking reads; for tests that build
 * their own histories. SampleStripeEvents wraps them into events.
 */
public final class StripeObjects {
    private StripeObjects() {}

    /** An amount settled in another currency: the charge's balance transaction, expanded. */
    public record Settlement(long amount, String currency) {}

    /**
     * A captured charge of its payment intent.
     *
     * @param settlement the expanded balance transaction, or null for Stripe's usual id alone
     * @param refunded   the charge's cumulative amount_refunded (0 for a charge.succeeded)
     */
    public static ObjectNode charge(String id, String paymentIntent, long amount, String currency, Instant created,
                                    String category, Settlement settlement, long refunded) {
        ObjectNode charge = Json.mapper().createObjectNode();
        charge.put("id", id).put("object", "charge").put("amount", amount).put("amount_captured", amount)
                .put("amount_refunded", refunded).put("captured", true).put("created", created.getEpochSecond())
                .put("currency", currency).put("customer", "cus_1").put("livemode", false).put("paid", true)
                .put("payment_intent", paymentIntent).put("refunded", refunded == amount).put("status", "succeeded");
        if (settlement == null) {
            charge.put("balance_transaction", "txn_" + id.substring(3));
        } else {
            charge.putObject("balance_transaction").put("id", "txn_" + id.substring(3)).put("object", "balance_transaction")
                    .put("amount", settlement.amount()).put("currency", settlement.currency());
        }
        metadata(charge, category);
        return charge;
    }

    /** A succeeded payment intent; its latest charge named by id, as webhooks send it. */
    public static ObjectNode paymentIntent(String id, String latestCharge, long amount, String currency, Instant created,
                                           String category) {
        ObjectNode intent = Json.mapper().createObjectNode();
        intent.put("id", id).put("object", "payment_intent").put("amount", amount).put("amount_received", amount)
                .put("currency", currency).put("created", created.getEpochSecond()).put("customer", "cus_1")
                .put("latest_charge", latestCharge).put("status", "succeeded");
        metadata(intent, category);
        return intent;
    }

    /** A paid Checkout session without tax; in subscription mode when it names an invoice. */
    public static ObjectNode checkoutSession(String id, String paymentIntent, String invoice, long total, String currency,
                                             Instant created, String category) {
        ObjectNode session = Json.mapper().createObjectNode();
        session.put("id", id).put("object", "checkout.session").put("mode", invoice == null ? "payment" : "subscription")
                .put("amount_subtotal", total).put("amount_total", total).put("currency", currency)
                .put("created", created.getEpochSecond()).put("customer", "cus_1").put("payment_intent", paymentIntent)
                .put("invoice", invoice).put("payment_status", "paid").put("status", "complete");
        session.putObject("total_details").put("amount_discount", 0).put("amount_shipping", 0).put("amount_tax", 0);
        metadata(session, category);
        return session;
    }

    /**
     * A paid invoice, one line per amount, each with its own price, no tax. Invoices of API versions before
     * 2025-03-31 name their payment intent and charge; later ones name neither (pass null).
     */
    public static ObjectNode invoice(String id, String paymentIntent, String charge, List<Long> lineAmounts,
                                     String currency, Instant paidAt, String category) {
        long total = lineAmounts.stream().mapToLong(Long::longValue).sum();
        ObjectNode invoice = Json.mapper().createObjectNode();
        invoice.put("id", id).put("object", "invoice").put("amount_due", total).put("amount_paid", total)
                .put("amount_remaining", 0).put("currency", currency).put("customer", "cus_1")
                .put("status", "paid").put("subtotal", total).put("tax", 0).put("total", total);
        if (paymentIntent != null) {
            invoice.put("payment_intent", paymentIntent).put("charge", charge);
        }
        invoice.putObject("status_transitions").put("paid_at", paidAt.getEpochSecond());
        metadata(invoice, category);
        ObjectNode lines = invoice.putObject("lines").put("object", "list").put("has_more", false);
        ArrayNode data = lines.putArray("data");
        for (int i = 0; i < lineAmounts.size(); i++) {
            ObjectNode line = data.addObject().put("id", "il_" + id.substring(3) + "_" + (i + 1)).put("object", "line_item")
                    .put("amount", lineAmounts.get(i)).put("currency", currency).put("description", "Line " + (i + 1));
            line.putObject("price").put("id", "price_" + id.substring(3) + "_" + (i + 1)).put("object", "price")
                    .put("product", "prod_" + id.substring(3) + "_" + (i + 1)).putObject("metadata");
            line.putArray("tax_amounts");
            line.putArray("discount_amounts");
            line.putObject("metadata");
        }
        return invoice;
    }

    /** A paid invoice payment (API 2025-03-31 and later): the link between an invoice and its payment intent. */
    public static ObjectNode invoicePayment(String id, String invoice, String paymentIntent) {
        ObjectNode invoicePayment = Json.mapper().createObjectNode();
        invoicePayment.put("id", id).put("object", "invoice_payment").put("invoice", invoice).put("status", "paid");
        invoicePayment.putObject("payment").put("type", "payment_intent").put("payment_intent", paymentIntent);
        return invoicePayment;
    }

    /** A Stripe event of an older API version around {@code object}. */
    public static String event(String eventId, String type, String account, Instant created, ObjectNode object,
                               String apiVersion) {
        ObjectNode event = (ObjectNode) Json.read(SampleStripeEvents.event(eventId, type, account, created, object),
                JsonNode.class);
        return Json.write(event.put("api_version", apiVersion));
    }

    private static void metadata(ObjectNode object, String category) {
        ObjectNode metadata = object.putObject("metadata");
        if (category != null) {
            metadata.put("revshare_category", category);
        }
    }
}
