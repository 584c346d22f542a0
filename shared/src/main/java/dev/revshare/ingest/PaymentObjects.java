package dev.revshare.ingest;

import static dev.revshare.stripe.StripeJson.id;

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

    static PaymentObjects of(PaymentSource source, JsonNode object) {
        PaymentObjects objects = new PaymentObjects();
        switch (source) {
            case CHARGE -> objects.charge = object;
            case PAYMENT_INTENT -> objects.paymentIntent = object;
            case CHECKOUT_SESSION -> objects.checkoutSession = object;
            case INVOICE -> objects.invoice = object;
        }
        return objects;
    }

    String paymentIntentId() {
        String id = first(id(charge, "payment_intent"), id(paymentIntent, "id"), id(checkoutSession, "payment_intent"),
                id(invoice, "payment_intent"));
        if (id == null && invoice != null) {
            // API versions from 2025-03-31: an invoice's payments (when included) name the payment intent
            for (JsonNode payment : invoice.path("payments").path("data")) {
                String paymentIntent = id(payment.path("payment"), "payment_intent");
                if (paymentIntent != null && "paid".equals(payment.path("status").asText("paid"))) {
                    return paymentIntent;
                }
            }
        }
        return id;
    }

    String chargeId() {
        return first(id(charge, "id"), id(paymentIntent, "latest_charge"), id(invoice, "charge"));
    }

    String invoiceId() {
        return first(id(invoice, "id"), id(checkoutSession, "invoice"), id(charge, "invoice"), id(paymentIntent, "invoice"));
    }

    String checkoutSessionId() {
        return id(checkoutSession, "id");
    }

    PaymentIds ids() {
        return new PaymentIds(paymentIntentId(), chargeId(), invoiceId(), checkoutSessionId());
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
