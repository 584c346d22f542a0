package dev.revshare.ingest;

import static dev.revshare.stripe.StripeJson.amount;
import static dev.revshare.stripe.StripeJson.amountOrNull;
import static dev.revshare.stripe.StripeJson.id;
import static dev.revshare.stripe.StripeJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.stripe.StripeJson;
import dev.revshare.stripe.UnreadableEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link Payment} from the Stripe objects known of it, field by field from the raw JSON, so that
 * objects of older and newer API versions read alike (for example an invoice line's price is
 * {@code price} before 2025-03-31 and {@code pricing.price_details} after). Every amount, currency and
 * id is read strictly ({@link StripeJson}): a malformed object is unreadable, never booked.
 */
final class PaymentReader {
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

        String currency = firstCurrency(invoice, session, charge, intent);
        if (currency == null) {
            throw new UnreadableEventException("the payment names no currency");
        }
        long gross;
        long tax;
        if (amountOrNull(invoice, "amount_paid") != null) {
            gross = amount(invoice, "amount_paid", 0);
            tax = invoiceTax(invoice);
        } else if (amountOrNull(session, "amount_total") != null) {
            gross = amount(session, "amount_total", 0);
            tax = amount(session == null ? null : session.path("total_details"), "amount_tax", 0);
        } else if (amountOrNull(charge, "amount_captured") != null || amountOrNull(charge, "amount") != null) {
            gross = amount(charge, "amount_captured", amount(charge, "amount", 0));
            tax = 0;
        } else if (amountOrNull(intent, "amount_received") != null || amountOrNull(intent, "amount") != null) {
            gross = amount(intent, "amount_received", amount(intent, "amount", 0));
            tax = 0;
        } else {
            throw new UnreadableEventException("the payment names no amount paid");
        }
        long net = Math.max(0, gross - tax);

        Instant paidAt = eventTime;
        Instant chargedAt = StripeJson.timestampOrNull(charge, "created");
        Instant invoicePaidAt = StripeJson.timestampOrNull(invoice == null ? null : invoice.path("status_transitions"), "paid_at");
        if (chargedAt != null) {
            paidAt = chargedAt;
        } else if (invoicePaidAt != null) {
            paidAt = invoicePaidAt;
        }

        Payment.Settlement settlement = null;
        JsonNode balance = charge == null ? null : charge.path("balance_transaction");
        if (balance != null && balance.isObject() && amountOrNull(balance, "amount") != null
                && StripeJson.currency(balance, "currency") != null) {
            settlement = new Payment.Settlement(amount(balance, "amount", 0), StripeJson.currency(balance, "currency"));
        }

        String category = firstCategory(metadata(session), metadata(intent), metadata(invoice),
                invoice == null ? null : invoice.path("parent").path("subscription_details").path("metadata"),
                invoice == null ? null : invoice.path("subscription_details").path("metadata"),
                session == null ? null : session.path("subscription").path("metadata"),
                metadata(charge));

        PaymentIds ids = objects.ids();
        if (ids.none()) {
            throw new UnreadableEventException("the payment names none of its ids");
        }
        return new Payment(ids, paidAt, currency, gross, net, settlement, customer(charge, intent, session, invoice),
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
                    long weight = amount(item, "amount_total", amount(item, "amount_subtotal", 0)) - amount(item, "amount_tax", 0);
                    items.add(new Payment.Item(text(item, "description"), Math.max(0, weight),
                            firstCategory(metadata(price), metadata(product)), id(price, "id"), id(price, "product")));
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
        String price = priceNode.isObject() || priceNode.isTextual() ? id(line, "price") : id(priceDetails, "price");
        String product = priceNode.isObject() ? id(priceNode, "product") : id(priceDetails, "product");
        JsonNode fetched = price == null ? null : objects.prices.get(price);
        JsonNode priceObject = priceNode.isObject() ? priceNode : fetched;
        String category = firstCategory(metadata(line), metadata(priceObject),
                priceObject == null ? null : priceObject.path("product").path("metadata"));
        long weight = amount(line, "amount", 0);
        for (JsonNode discount : line.path("discount_amounts")) {
            weight -= amount(discount, "amount", 0);
        }
        for (JsonNode tax : line.path("tax_amounts")) {
            if (tax.path("inclusive").asBoolean(false)) {
                weight -= amount(tax, "amount", 0);
            }
        }
        for (JsonNode tax : line.path("taxes")) {
            if ("inclusive".equals(text(tax, "tax_behavior"))) {
                weight -= amount(tax, "amount", 0);
            }
        }
        // credits and prorations below zero carry no revenue of their own: the paid total is spread over the rest
        return new Payment.Item(text(line, "description"), Math.max(0, weight), category, price, product);
    }

    /** Items that classify alike are one ledger line: an invoice of fifty seats is one line, not fifty. */
    private static List<Payment.Item> merged(List<Payment.Item> items) {
        Map<List<String>, Payment.Item> byKey = new LinkedHashMap<>();
        for (Payment.Item item : items) {
            List<String> key = Arrays.asList(item.category(), item.price(), item.product());
            byKey.merge(key, item, (a, b) -> new Payment.Item(Objects.equals(a.description(), b.description())
                    ? a.description() : a.description() + " +", a.weight() + b.weight(), a.category(), a.price(), a.product()));
        }
        return new ArrayList<>(byKey.values());
    }

    private static long invoiceTax(JsonNode invoice) {
        if (invoice.has("total_taxes")) {
            long tax = 0;
            for (JsonNode each : invoice.path("total_taxes")) {
                tax += amount(each, "amount", 0);
            }
            return tax;
        }
        return amount(invoice, "tax", 0);
    }

    private static String customer(JsonNode... objects) {
        for (JsonNode object : objects) {
            String id = id(object, "customer");
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

    private static String firstCurrency(JsonNode... objects) {
        for (JsonNode object : objects) {
            String currency = StripeJson.currency(object, "currency");
            if (currency != null) {
                return currency;
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
}
