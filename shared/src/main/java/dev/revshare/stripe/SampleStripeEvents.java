package dev.revshare.stripe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import dev.revshare.json.Json;
import java.security.GeneralSecurityException;
import java.time.Instant;

/**
 * Stripe events shaped like the real ones of the API version stripe-java pins, and signed the way
 * Stripe signs deliveries (stripe-java's own helper). The demo replays them; tests use them too.
 */
public final class SampleStripeEvents {
    private SampleStripeEvents() {}

    /** A captured card payment (charge.succeeded) on a connected account. */
    public static String chargeSucceeded(String eventId, String account, String chargeId, String paymentIntentId,
                                         long amount, String currency, Instant created, String category,
                                         String customerId) {
        ObjectNode charge = charge(chargeId, paymentIntentId, amount, currency, created, category, customerId);
        return event(eventId, "charge.succeeded", account, created, charge);
    }

    /** charge.refunded: the charge with its cumulative refunded amount. */
    public static String chargeRefunded(String eventId, String account, String chargeId, String paymentIntentId,
                                        long amount, long amountRefunded, String currency, Instant saleCreated,
                                        Instant refundedAt, String category, String customerId) {
        ObjectNode charge = charge(chargeId, paymentIntentId, amount, currency, saleCreated, category, customerId);
        charge.put("amount_refunded", amountRefunded);
        charge.put("refunded", amountRefunded == amount);
        return event(eventId, "charge.refunded", account, refundedAt, charge);
    }

    /** A refund event (refund.created, refund.updated, refund.failed) describing one refund by id. */
    public static String refund(String eventId, String type, String account, String refundId, String chargeId,
                                String paymentIntentId, long amount, String currency, String status, Instant created) {
        ObjectNode refund = Json.mapper().createObjectNode();
        refund.put("id", refundId);
        refund.put("object", "refund");
        refund.put("amount", amount);
        refund.put("balance_transaction", "txn_" + refundId.substring(3));
        refund.put("charge", chargeId);
        refund.put("created", created.getEpochSecond());
        refund.put("currency", currency);
        refund.putObject("metadata");
        refund.put("payment_intent", paymentIntentId);
        refund.put("reason", "requested_by_customer");
        refund.put("status", status);
        return event(eventId, type, account, created, refund);
    }

    /**
     * A dispute event (charge.dispute.*). {@code withdrawn} and {@code reinstated} say which balance
     * transactions the dispute carries by then: the money the bank took back, and gave back when won.
     */
    public static String dispute(String eventId, String type, String account, String disputeId, String chargeId,
                                 String paymentIntentId, long amount, String currency, Instant created, String status,
                                 boolean withdrawn, boolean reinstated) {
        ObjectNode dispute = Json.mapper().createObjectNode();
        dispute.put("id", disputeId);
        dispute.put("object", "dispute");
        dispute.put("amount", amount);
        var transactions = dispute.putArray("balance_transactions");
        String suffix = disputeId.substring(3);
        if (withdrawn) {
            transactions.addObject().put("id", "txn_" + suffix + "w").put("object", "balance_transaction")
                    .put("amount", -amount).put("currency", currency).put("fee", 1500).put("created", created.getEpochSecond())
                    .put("reporting_category", "dispute").put("type", "adjustment");
        }
        if (reinstated) {
            transactions.addObject().put("id", "txn_" + suffix + "r").put("object", "balance_transaction")
                    .put("amount", amount).put("currency", currency).put("fee", 0).put("created", created.getEpochSecond())
                    .put("reporting_category", "dispute_reversal").put("type", "adjustment");
        }
        dispute.put("charge", chargeId);
        dispute.put("created", created.getEpochSecond());
        dispute.put("currency", currency);
        dispute.put("is_charge_refundable", false);
        dispute.put("livemode", false);
        dispute.putObject("metadata");
        dispute.put("payment_intent", paymentIntentId);
        dispute.put("reason", "fraudulent");
        dispute.put("status", status);
        return event(eventId, type, account, created, dispute);
    }

    /** An event revshare does not book (customer.created), to show it is acknowledged and ignored. */
    public static String customerCreated(String eventId, String account, String customerId, Instant created) {
        ObjectNode customer = Json.mapper().createObjectNode();
        customer.put("id", customerId);
        customer.put("object", "customer");
        customer.put("created", created.getEpochSecond());
        customer.put("livemode", false);
        return event(eventId, "customer.created", account, created, customer);
    }

    /** The {@code Stripe-Signature} header Stripe would send for this body at this time. */
    public static String signatureHeader(String body, String secret, Instant signedAt) {
        try {
            return Webhook.Signature.generateSignatureHeader(body, secret, signedAt.getEpochSecond());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private static ObjectNode charge(String chargeId, String paymentIntentId, long amount, String currency,
                                     Instant created, String category, String customerId) {
        ObjectNode charge = Json.mapper().createObjectNode();
        charge.put("id", chargeId);
        charge.put("object", "charge");
        charge.put("amount", amount);
        charge.put("amount_captured", amount);
        charge.put("amount_refunded", 0);
        charge.put("balance_transaction", "txn_" + chargeId.substring(3));
        ObjectNode billing = charge.putObject("billing_details");
        billing.putNull("email");
        billing.putNull("name");
        charge.put("captured", true);
        charge.put("created", created.getEpochSecond());
        charge.put("currency", currency);
        charge.put("customer", customerId);
        charge.put("description", category == null ? null : "revshare sample " + category);
        charge.put("livemode", false);
        ObjectNode metadata = charge.putObject("metadata");
        if (category != null) {
            metadata.put("revshare_category", category);
        }
        charge.put("paid", true);
        charge.put("payment_intent", paymentIntentId);
        charge.put("payment_method", "pm_" + chargeId.substring(3));
        ObjectNode card = charge.putObject("payment_method_details").put("type", "card").putObject("card");
        card.put("brand", "visa");
        card.put("last4", "4242");
        charge.put("refunded", false);
        charge.put("status", "succeeded");
        return charge;
    }

    /** A Stripe event around {@code object} (its {@code data.object}), as Stripe delivers it. */
    public static String event(String eventId, String type, String account, Instant created, ObjectNode object) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", eventId);
        event.put("object", "event");
        if (account != null) {
            event.put("account", account);
        }
        event.put("api_version", Stripe.API_VERSION);
        event.put("created", created.getEpochSecond());
        event.putObject("data").set("object", object);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        ObjectNode request = event.putObject("request");
        request.putNull("id");
        request.putNull("idempotency_key");
        event.put("type", type);
        return Json.write(event);
    }

}
