package dev.revshare.bench;

import com.stripe.Stripe;
import dev.revshare.stripe.SampleStripeEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Signed {@code charge.succeeded} deliveries as Stripe sends them: the whole Charge object (billing details,
 * card details with checks, the Radar outcome, metadata with {@code revshare_category}, the receipt URL...)
 * and a {@code Stripe-Signature} header made with stripe-java's own helper. The body is compact JSON, about
 * 3 KB, as the project's sample events are; Stripe's webhook bodies are the same event pretty-printed, about
 * 4 KB ({@code pretty}). Every delivery is a different payment with its own ids (a sequence number is part
 * of each), so nothing can be served from a cache keyed by id; the values come from a seeded generator, so
 * two runs send the same bytes.
 */
final class ChargeSucceededDeliveries {
    /** One webhook delivery: what the function URL receives. */
    record Delivery(String eventId, String paymentKey, long amount, String body, String signatureHeader) {}

    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final long[] PRICES = {29_700, 19_700, 4_900, 9_900, 49_700, 2_900};
    private static final String[][] BUYERS = {
            {"Lucía Fernández", "lucia.fernandez", "Calle de Alcalá 42", "3º B", "28014", "Madrid", "Madrid", "ES"},
            {"Jonas Müller", "jonas.mueller", "Kastanienallee 12", "Hinterhaus", "10435", "Berlin", "Berlin", "DE"},
            {"Amelia Clarke", "amelia.clarke", "27 Lansdowne Crescent", "Flat 4", "W11 2NS", "London", "London", "GB"},
            {"Noah Tremblay", "noah.tremblay", "4521 Rue Saint-Denis", "App. 3", "H2J 2L4", "Montréal", "QC", "CA"},
            {"Priya Raman", "priya.raman", "880 Valencia Street", "Unit 2", "94110", "San Francisco", "CA", "US"},
    };

    /** Stripe's event body for a captured card payment on a connected account (API version as stripe-java pins). */
    private static final String TEMPLATE = """
            {
              "id": "{{event}}",
              "object": "event",
              "account": "{{account}}",
              "api_version": "{{api_version}}",
              "created": {{event_created}},
              "data": {
                "object": {
                  "id": "ch_{{core}}",
                  "object": "charge",
                  "amount": {{amount}},
                  "amount_captured": {{amount}},
                  "amount_refunded": 0,
                  "application": null,
                  "application_fee": null,
                  "application_fee_amount": null,
                  "balance_transaction": "txn_{{core}}",
                  "billing_details": {
                    "address": {
                      "city": "{{city}}",
                      "country": "{{country}}",
                      "line1": "{{line1}}",
                      "line2": "{{line2}}",
                      "postal_code": "{{postal_code}}",
                      "state": "{{state}}"
                    },
                    "email": "{{email}}",
                    "name": "{{name}}",
                    "phone": null,
                    "tax_id": null
                  },
                  "calculated_statement_descriptor": "SARAHLEE MINDFULNESS",
                  "captured": true,
                  "created": {{charge_created}},
                  "currency": "usd",
                  "customer": "cus_{{customer}}",
                  "description": "Mindfulness Foundations: 8-week online course (cohort {{cohort}})",
                  "destination": null,
                  "dispute": null,
                  "disputed": false,
                  "failure_balance_transaction": null,
                  "failure_code": null,
                  "failure_message": null,
                  "fraud_details": {},
                  "livemode": false,
                  "metadata": {
                    "checkout_session": "cs_live_{{checkout}}",
                    "cohort": "{{cohort}}",
                    "course_id": "mindfulness-foundations",
                    "revshare_category": "course"
                  },
                  "on_behalf_of": null,
                  "outcome": {
                    "advice_code": null,
                    "network_advice_code": null,
                    "network_decline_code": null,
                    "network_status": "approved_by_network",
                    "reason": null,
                    "risk_level": "normal",
                    "risk_score": {{risk_score}},
                    "seller_message": "Payment complete.",
                    "type": "authorized"
                  },
                  "paid": true,
                  "payment_intent": "pi_{{core}}",
                  "payment_method": "pm_{{payment_method}}",
                  "payment_method_details": {
                    "card": {
                      "amount_authorized": {{amount}},
                      "authorization_code": "{{authorization}}",
                      "brand": "visa",
                      "checks": {
                        "address_line1_check": "pass",
                        "address_postal_code_check": "pass",
                        "cvc_check": "pass"
                      },
                      "country": "{{country}}",
                      "exp_month": {{exp_month}},
                      "exp_year": {{exp_year}},
                      "extended_authorization": {
                        "status": "disabled"
                      },
                      "fingerprint": "{{fingerprint}}",
                      "funding": "credit",
                      "incremental_authorization": {
                        "status": "unavailable"
                      },
                      "installments": null,
                      "last4": "{{last4}}",
                      "mandate": null,
                      "multicapture": {
                        "status": "unavailable"
                      },
                      "network": "visa",
                      "network_token": {
                        "used": false
                      },
                      "network_transaction_id": "{{network_transaction}}",
                      "overcapture": {
                        "maximum_amount_capturable": {{amount}},
                        "status": "unavailable"
                      },
                      "regulated_status": "unregulated",
                      "three_d_secure": null,
                      "wallet": null
                    },
                    "type": "card"
                  },
                  "radar_options": {},
                  "receipt_email": "{{email}}",
                  "receipt_number": null,
                  "receipt_url": "https://pay.stripe.com/receipts/payment/{{receipt}}?s=ap",
                  "refunded": false,
                  "review": null,
                  "shipping": null,
                  "source": null,
                  "source_transfer": null,
                  "statement_descriptor": null,
                  "statement_descriptor_suffix": null,
                  "status": "succeeded",
                  "transfer_data": null,
                  "transfer_group": null
                }
              },
              "livemode": false,
              "pending_webhooks": 2,
              "request": {
                "id": "req_{{request}}",
                "idempotency_key": "{{idempotency_key}}"
              },
              "type": "charge.succeeded"
            }""";

    /** The template without line breaks and indentation (it has no ": " inside a value). */
    private static final String COMPACT_TEMPLATE = TEMPLATE.replaceAll("\n *", "").replace("\": ", "\":");

    private final String account;
    private final String secret;
    private final Instant signedAt;
    private final String template;
    private final Random random;
    private long sequence;

    /**
     * @param signedAt when Stripe signs (and sends) the deliveries; the payments happened seconds before
     * @param pretty   bodies laid out as Stripe's webhook deliveries are (2-space indentation), else compact
     */
    ChargeSucceededDeliveries(String account, String secret, Instant signedAt, boolean pretty, long seed) {
        this.account = account;
        this.secret = secret;
        this.signedAt = signedAt;
        this.template = pretty ? TEMPLATE : COMPACT_TEMPLATE;
        this.random = new Random(seed);
    }

    List<Delivery> next(int count) {
        List<Delivery> deliveries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            deliveries.add(next());
        }
        return deliveries;
    }

    Delivery next() {
        // Stripe gives a payment's charge, payment intent and balance transaction the same tail
        String core = "3" + randomChars(17) + sequenceChars(sequence++);
        String[] buyer = BUYERS[random.nextInt(BUYERS.length)];
        long amount = PRICES[random.nextInt(PRICES.length)];
        String eventId = "evt_" + core;
        Map<String, String> values = Map.ofEntries(
                Map.entry("event", eventId),
                Map.entry("account", account),
                Map.entry("api_version", Stripe.API_VERSION),
                Map.entry("event_created", Long.toString(signedAt.getEpochSecond() - 1)),
                Map.entry("charge_created", Long.toString(signedAt.getEpochSecond() - 3)),
                Map.entry("core", core),
                Map.entry("amount", Long.toString(amount)),
                Map.entry("name", buyer[0]),
                Map.entry("email", buyer[1] + random.nextInt(1000) + "@example.com"),
                Map.entry("line1", buyer[2]),
                Map.entry("line2", buyer[3]),
                Map.entry("postal_code", buyer[4]),
                Map.entry("city", buyer[5]),
                Map.entry("state", buyer[6]),
                Map.entry("country", buyer[7]),
                Map.entry("customer", randomChars(14)),
                Map.entry("cohort", "2026-" + (10 + random.nextInt(3))),
                Map.entry("checkout", "a1" + randomChars(56)),
                Map.entry("risk_score", Integer.toString(random.nextInt(65))),
                Map.entry("payment_method", "1" + randomChars(23)),
                Map.entry("authorization", String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000))),
                Map.entry("exp_month", Integer.toString(1 + random.nextInt(12))),
                Map.entry("exp_year", Integer.toString(2027 + random.nextInt(5))),
                Map.entry("fingerprint", randomChars(16)),
                Map.entry("last4", String.format(Locale.ROOT, "%04d", random.nextInt(10_000))),
                Map.entry("network_transaction", String.format(Locale.ROOT, "%015d", Math.floorMod(random.nextLong(), 1_000_000_000_000_000L))),
                Map.entry("receipt", "CAcaFwoVYWNjdF8x" + randomChars(112)),
                Map.entry("request", randomChars(14)),
                Map.entry("idempotency_key", String.format(Locale.ROOT, "%08x-%04x-4%03x-a%03x-%012x", random.nextInt(),
                        random.nextInt(0x10000), random.nextInt(0x1000), random.nextInt(0x1000),
                        random.nextLong() & 0xffffffffffffL)));
        String body = fill(values);
        return new Delivery(eventId, "pi_" + core, amount, body, SampleStripeEvents.signatureHeader(body, secret, signedAt));
    }

    /** The average body size in bytes (UTF-8), for the report. */
    static long averageBytes(List<Delivery> deliveries) {
        return Math.round(deliveries.stream().mapToLong(d -> d.body().getBytes(StandardCharsets.UTF_8).length)
                .average().orElse(0));
    }

    private String fill(Map<String, String> values) {
        StringBuilder body = new StringBuilder(template.length() + 512);
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                return body.append(template, at, template.length()).toString();
            }
            int close = template.indexOf("}}", open);
            String name = template.substring(open + 2, close);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("no value for {{" + name + "}}");
            }
            body.append(template, at, open).append(value);
            at = close + 2;
        }
    }

    private String randomChars(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
        }
        return new String(chars);
    }

    /** Six base-62 digits: unique for the first 56 billion deliveries. */
    private static String sequenceChars(long n) {
        char[] chars = new char[6];
        for (int i = 5; i >= 0; i--) {
            chars[i] = ALPHANUMERIC.charAt((int) (n % 62));
            n /= 62;
        }
        return new String(chars);
    }
}
