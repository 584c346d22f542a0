package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Agreement;
import dev.revshare.stripe.StripeJson;
import dev.revshare.stripe.StripeLookup;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * Gathers what is known of the payment an event is about. With a {@link StripeLookup}, every sale event
 * of one payment (charge, payment intent, checkout session, invoice) leads to the same objects, fetched
 * from Stripe, so the payment is booked and classified alike whichever event comes first. Without one,
 * the payment is read from the event alone.
 */
final class PaymentAssembler {
    private static final int PAGE = 100;

    private final StripeLookup lookup;

    PaymentAssembler(StripeLookup lookup) {
        this.lookup = lookup;
    }

    Payment assemble(Agreement agreement, PaymentSource source, JsonNode object, Instant eventTime) {
        PaymentObjects objects = PaymentObjects.of(source, object);
        if (lookup.enabledFor(agreement)) {
            fetchTheRest(agreement, objects);
        }
        return PaymentReader.read(objects, eventTime);
    }

    private void fetchTheRest(Agreement agreement, PaymentObjects objects) {
        String paymentIntent = objects.paymentIntentId();
        String invoiceId = objects.invoiceId();
        if (paymentIntent == null && invoiceId != null) {
            // from API version 2025-03-31 an invoice no longer names its payment intent: ask its payments
            JsonNode payments = lookup.get(agreement, "/v1/invoice_payments?invoice=" + encode(invoiceId) + "&limit=" + PAGE);
            for (JsonNode payment : payments == null ? missing() : payments.path("data")) {
                String id = StripeJson.id(payment.path("payment"), "payment_intent");
                if (id != null && invoiceId.equals(StripeJson.id(payment, "invoice")) && isPaid(payment)) {
                    paymentIntent = id;
                    break;
                }
            }
        }
        if (paymentIntent != null) {
            JsonNode intent = lookup.get(agreement, "/v1/payment_intents/" + encode(paymentIntent)
                    + "?expand[]=latest_charge.balance_transaction");
            // what Stripe answers must be about this payment: never let another object replace what the event carried
            if (intent != null && paymentIntent.equals(StripeJson.id(intent, "id"))) {
                objects.paymentIntent = intent;
                JsonNode latestCharge = intent.path("latest_charge");
                if (latestCharge.isObject() && (objects.charge == null
                        || Objects.equals(StripeJson.id(objects.charge, "id"), StripeJson.id(latestCharge, "id")))) {
                    objects.charge = latestCharge;
                }
            }
            if (objects.checkoutSession == null) {
                JsonNode sessions = lookup.get(agreement, "/v1/checkout/sessions?payment_intent=" + encode(paymentIntent) + "&limit=1");
                JsonNode first = sessions == null ? null : sessions.path("data").path(0);
                objects.checkoutSession = first != null && first.isObject()
                        && paymentIntent.equals(StripeJson.id(first, "payment_intent")) ? first : null;
            }
            if (objects.invoiceId() == null) {
                JsonNode payments = lookup.get(agreement, "/v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]="
                        + encode(paymentIntent) + "&limit=1");
                JsonNode first = payments == null ? null : payments.path("data").path(0);
                // only an invoice this payment paid: Stripe (or a stand-in) may answer with another's
                String id = first == null || !paymentIntent.equals(StripeJson.id(first.path("payment"), "payment_intent"))
                        || !isPaid(first) ? null : StripeJson.id(first, "invoice");
                if (id != null) {
                    JsonNode invoice = lookup.get(agreement, "/v1/invoices/" + encode(id));
                    objects.invoice = invoice != null && "paid".equals(StripeJson.text(invoice, "status")) ? invoice : null;
                }
            }
        } else if (objects.chargeId() != null) {
            JsonNode charge = lookup.get(agreement, "/v1/charges/" + encode(objects.chargeId()) + "?expand[]=balance_transaction");
            if (charge != null && objects.chargeId().equals(StripeJson.id(charge, "id"))) {
                objects.charge = charge;
            }
        }
        invoiceId = objects.invoiceId();
        if (invoiceId != null && objects.invoice == null) {
            objects.invoice = lookup.get(agreement, "/v1/invoices/" + encode(invoiceId));
        }
        if (objects.invoice != null && objects.invoice.path("lines").path("has_more").asBoolean(false)) {
            JsonNode lines = lookup.get(agreement, "/v1/invoices/" + encode(invoiceId) + "/lines?limit=" + PAGE);
            if (lines != null) {
                ObjectNode copy = objects.invoice.deepCopy();
                copy.set("lines", lines);
                objects.invoice = copy;
            }
        }
        if (objects.invoice != null) {
            for (JsonNode line : objects.invoice.path("lines").path("data")) {
                String price = StripeJson.id(line.path("pricing").path("price_details"), "price");
                if (price != null && !line.path("price").isObject() && !objects.prices.containsKey(price)) {
                    JsonNode priceObject = lookup.get(agreement, "/v1/prices/" + encode(price) + "?expand[]=product");
                    if (priceObject != null) {
                        objects.prices.put(price, priceObject);
                    }
                }
            }
        } else if (objects.checkoutSession != null && objects.checkoutLineItems == null) {
            objects.checkoutLineItems = lookup.get(agreement, "/v1/checkout/sessions/" + encode(objects.checkoutSessionId())
                    + "/line_items?limit=" + PAGE + "&expand[]=data.price.product");
        }
    }

    private static boolean isPaid(JsonNode invoicePayment) {
        return "paid".equals(invoicePayment.path("status").asText("paid"));
    }

    private static JsonNode missing() {
        return MissingNode.getInstance();
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
