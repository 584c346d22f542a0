package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link Payment} from the Stripe objects known of it, field by field from the raw JSON, so that
 * objects of older and newer API versions read alike (for example an invoice line's price is
 * {@code price} before 2025-03-31 and {@code pricing.price_details} after).
 */
public final class PaymentReader {
    static final String CATEGORY_KEY = "revshare_category";

    private PaymentReader() {}

    static Payment read(PaymentObjects objects, Instant eventTime) {
        JsonNode charge = objects.charge;
        JsonNode intent = objects.paymentIntent;
        JsonNode session = objects.checkoutSession;
        JsonNode invoice = objects.invoice;
        if (charge == null && intent == null && session == null && invoice == null) {
            throw new UnreadableEventException("no payment object");
        }
        JsonNode latestCharge = intent == null ? null : intent.path("latest_charge");
        if (charge == null && latestCharge != null && latestCharge.isObject()) {
            charge = latestCharge;
        }

        String currency = firstText("currency", invoice, session, charge, intent);
        if (currency == null) {
            throw new UnreadableEventException("the payment names no currency");
        }
        long gross;
        long tax;
        if (invoice != null && invoice.path("amount_paid").canConvertToLong()) {
            gross = invoice.path("amount_paid").asLong();
            tax = invoiceTax(invoice);
        } else if (session != null && session.path("amount_total").canConvertToLong()) {
            gross = session.path("amount_total").asLong();
            tax = session.path("total_details").path("amount_tax").asLong(0);
        } else if (charge != null && (charge.has("amount_captured") || charge.has("amount"))) {
            gross = charge.path("amount_captured").asLong(charge.path("amount").asLong());
            tax = 0;
        } else if (intent != null && (intent.has("amount_received") || intent.has("amount"))) {
            gross = intent.path("amount_received").asLong(intent.path("amount").asLong());
            tax = 0;
        } else {
            throw new UnreadableEventException("the payment names no amount paid");
        }
        long net = Math.max(0, gross - tax);

        Instant paidAt = eventTime;
        if (charge != null && charge.path("created").canConvertToLong()) {
            paidAt = Instant.ofEpochSecond(charge.path("created").asLong());
        } else if (invoice != null && invoice.path("status_transitions").path("paid_at").canConvertToLong()) {
            paidAt = Instant.ofEpochSecond(invoice.path("status_transitions").path("paid_at").asLong());
        }

        Payment.Settlement settlement = null;
        JsonNode balance = charge == null ? null : charge.path("balance_transaction");
        if (balance != null && balance.isObject() && balance.path("amount").canConvertToLong() && text(balance, "currency") != null) {
            settlement = new Payment.Settlement(balance.path("amount").asLong(), text(balance, "currency").toLowerCase(Locale.ROOT));
        }

        String category = firstCategory(metadata(session), metadata(intent), metadata(invoice),
                invoice == null ? null : invoice.path("parent").path("subscription_details").path("metadata"),
                invoice == null ? null : invoice.path("subscription_details").path("metadata"),
                session == null ? null : session.path("subscription").path("metadata"),
                metadata(charge));

        return new Payment(objects.paymentIntentId(), objects.chargeId(), objects.invoiceId(), objects.checkoutSessionId(),
                paidAt, currency.toLowerCase(Locale.ROOT), gross, net, settlement, customer(charge, intent, session, invoice),
                category, items(objects, invoice, session, net));
    }

    private static List<Payment.Item> items(PaymentObjects objects, JsonNode invoice, JsonNode session, long net) {
        List<Payment.Item> items = new ArrayList<>();
        if (invoice != null) {
            for (JsonNode line : invoice.path("lines").path("data")) {
                items.add(invoiceLine(objects, line));
            }
        }
        if (items.isEmpty()) {
            JsonNode lineItems = objects.checkoutLineItems != null ? objects.checkoutLineItems
                    : session == null ? null : session.path("line_items");
            if (lineItems != null) {
                for (JsonNode item : lineItems.path("data")) {
                    JsonNode price = item.path("price");
                    JsonNode product = price.path("product");
                    long weight = item.path("amount_total").asLong(item.path("amount_subtotal").asLong())
                            - item.path("amount_tax").asLong(0);
                    items.add(new Payment.Item(text(item, "description"), Math.max(0, weight),
                            firstCategory(metadata(price), metadata(product)), text(price, "id"), idOf(price, "product")));
                }
            }
        }
        if (items.isEmpty()) {
            return List.of(new Payment.Item(null, net, null, null, null));
        }
        return merged(items);
    }

    private static Payment.Item invoiceLine(PaymentObjects objects, JsonNode line) {
        JsonNode priceDetails = line.path("pricing").path("price_details");
        JsonNode priceNode = line.path("price");
        String price = priceNode.isObject() ? text(priceNode, "id") : priceNode.isTextual() ? priceNode.asText() : text(priceDetails, "price");
        String product = priceNode.isObject() ? idOf(priceNode, "product") : text(priceDetails, "product");
        JsonNode fetched = price == null ? null : objects.prices.get(price);
        JsonNode priceObject = priceNode.isObject() ? priceNode : fetched;
        String category = firstCategory(metadata(line), metadata(priceObject),
                priceObject == null ? null : priceObject.path("product").path("metadata"));
        long weight = line.path("amount").asLong();
        for (JsonNode discount : line.path("discount_amounts")) {
            weight -= discount.path("amount").asLong();
        }
        for (JsonNode tax : line.path("tax_amounts")) {
            if (tax.path("inclusive").asBoolean(false)) {
                weight -= tax.path("amount").asLong();
            }
        }
        for (JsonNode tax : line.path("taxes")) {
            if ("inclusive".equals(text(tax, "tax_behavior"))) {
                weight -= tax.path("amount").asLong();
            }
        }
        // credits and prorations below zero carry no revenue of their own: the paid total is spread over the rest
        return new Payment.Item(text(line, "description"), Math.max(0, weight), category, price, product);
    }

    /** Items that classify alike are one ledger line: an invoice of fifty seats is one line, not fifty. */
    private static List<Payment.Item> merged(List<Payment.Item> items) {
        Map<List<String>, Payment.Item> byKey = new LinkedHashMap<>();
        for (Payment.Item item : items) {
            List<String> key = java.util.Arrays.asList(item.category(), item.price(), item.product());
            byKey.merge(key, item, (a, b) -> new Payment.Item(Objects.equals(a.description(), b.description())
                    ? a.description() : a.description() + " +", a.weight() + b.weight(), a.category(), a.price(), a.product()));
        }
        return new ArrayList<>(byKey.values());
    }

    private static long invoiceTax(JsonNode invoice) {
        if (invoice.has("total_taxes")) {
            long tax = 0;
            for (JsonNode each : invoice.path("total_taxes")) {
                tax += each.path("amount").asLong();
            }
            return tax;
        }
        return invoice.path("tax").asLong(0);
    }

    private static String customer(JsonNode... objects) {
        for (JsonNode object : objects) {
            String id = idOf(object, "customer");
            if (id != null) {
                return id;
            }
        }
        for (JsonNode object : objects) {
            if (object == null) {
                continue;
            }
            String email = firstText("email", object.path("billing_details"), object.path("customer_details"));
            if (email == null) {
                email = text(object, "customer_email");
            }
            if (email != null) {
                return CustomerMask.maskEmail(email);
            }
        }
        return null;
    }

    private static JsonNode metadata(JsonNode object) {
        return object == null ? null : object.path("metadata");
    }

    private static String firstCategory(JsonNode... metadata) {
        for (JsonNode each : metadata) {
            String category = text(each, CATEGORY_KEY);
            if (category != null) {
                return category;
            }
        }
        return null;
    }

    private static String firstText(String field, JsonNode... objects) {
        for (JsonNode object : objects) {
            String value = text(object, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static String text(JsonNode node, String field) {
        return StripeEvent.textOrNull(node, field);
    }

    /** A field that holds an id, or the expanded object with that id. */
    static String idOf(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isObject() ? text(value, "id") : text(node, field);
    }
}
