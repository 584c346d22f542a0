package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The Stripe objects known of one payment, as raw JSON of any API version: the one the event carried,
 * plus those fetched from Stripe when a lookup is configured. {@link PaymentReader} reads them.
 */
final class PaymentObjects {
    JsonNode charge;
    JsonNode paymentIntent;
    JsonNode checkoutSession;
    /** the session's line items ({@code data} list), fetched */
    JsonNode checkoutLineItems;
    JsonNode invoice;
    /** prices by id, each with its product expanded, fetched for invoice lines that name only ids */
    final Map<String, JsonNode> prices = new HashMap<>();

    static PaymentObjects of(String eventType, JsonNode object) {
        PaymentObjects objects = new PaymentObjects();
        if (eventType.startsWith("charge.")) {
            objects.charge = object;
        } else if (eventType.startsWith("payment_intent.")) {
            objects.paymentIntent = object;
        } else if (eventType.startsWith("checkout.session.")) {
            objects.checkoutSession = object;
        } else if (eventType.startsWith("invoice.")) {
            objects.invoice = object;
        }
        return objects;
    }

    String paymentIntentId() {
        String id = first(PaymentReader.idOf(charge, "payment_intent"), PaymentReader.text(paymentIntent, "id"),
                PaymentReader.idOf(checkoutSession, "payment_intent"), PaymentReader.idOf(invoice, "payment_intent"));
        if (id == null && invoice != null) {
            // API versions from 2025-03-31: an invoice's payments (when included) name the payment intent
            for (JsonNode payment : invoice.path("payments").path("data")) {
                String status = payment.path("status").asText("paid");
                String paymentIntent = PaymentReader.idOf(payment.path("payment"), "payment_intent");
                if (paymentIntent != null && "paid".equals(status)) {
                    return paymentIntent;
                }
            }
        }
        return id;
    }

    String chargeId() {
        return first(PaymentReader.text(charge, "id"), PaymentReader.idOf(paymentIntent, "latest_charge"),
                PaymentReader.idOf(invoice, "charge"));
    }

    String invoiceId() {
        return first(PaymentReader.text(invoice, "id"), PaymentReader.idOf(checkoutSession, "invoice"),
                PaymentReader.idOf(charge, "invoice"), PaymentReader.idOf(paymentIntent, "invoice"));
    }

    String checkoutSessionId() {
        return PaymentReader.text(checkoutSession, "id");
    }

    private static String first(String... ids) {
        for (String id : ids) {
            if (id != null) {
                return id;
            }
        }
        return null;
    }
}
