package dev.revshare.ingest;

import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.testing.TestLedger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.testing.DeliveryOrders;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.RecordedStripeApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sales from every event Stripe describes a payment with (charge.succeeded, payment_intent.succeeded,
 * checkout.session.completed / async_payment_succeeded, invoice.paid): one payment is one sale whichever
 * of its events arrive, in any order, however often; with Stripe lookups (stripe-java against recorded
 * API answers) it is classified the same whichever comes first.
 */
class SalesTest {
    private static final String SECRET = "whsec_sales";
    private static final String ACCOUNT = "acct_1SalesCoach";
    private static final String API_KEY = "rk_test_sales_readonly";
    private static final Instant PAID_AT = Instant.parse("2026-10-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T10:02:00Z");
    static final String AGREEMENT = """
            id: sales-coach
            name: Coach x Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Studio, emails: [books@studio.example]}
            stripe: {account: acct_1SalesCoach}
            currency: usd
            timezone: UTC
            term: {start: 2026-01-01}
            split: [{year: 1, partnerPercent: 25}]
            revenue:
              shared: [course, membership, booking]
              excluded: {in_person: "In-person services"}
              review: [tip]
              products: {prod_Coaching1on1: booking, price_Membership: membership}
            """;

    private final RecordedStripeApi stripeApi = new RecordedStripeApi();
    private InMemoryStores store;
    private StripeWebhook ingestion;

    @BeforeEach
    void freshTable() {
        freshTable(false);
    }

    private void freshTable(boolean withLookups) {
        store = new InMemoryStores();
        Agreement agreement = AgreementFile.parse(AGREEMENT, "sales-coach.yaml");
        store.agreements().put(agreement, NOW.minus(Duration.ofDays(300)));
        StripeLookup lookup = withLookups
                ? new StripeApiLookup(a -> new StripeApiKeys.ApiKey(API_KEY, a.stripeAccount()), stripeApi.baseUrl())
                : StripeLookup.NONE;
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, lookup, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stopApi() {
        stripeApi.close();
    }

    // ------------------------------------------------------------------ one payment, one sale

    @Test
    void aCheckoutPaymentsThreeEventsBookOneSaleInEveryOrderEachDeliveredFiveTimes() {
        List<String> events = List.of(
                event("evt_ch", "charge.succeeded", charge("ch_A", "pi_A", 49_700, "usd", null)),
                event("evt_pi", "payment_intent.succeeded", paymentIntent("pi_A", "ch_A", 49_700, "course")),
                event("evt_cs", "checkout.session.completed", session("cs_A", "pi_A", null, 49_700, 0, "paid", "course")));
        for (List<String> order : DeliveryOrders.all(events)) {
            freshTable(false);
            for (String body : order) {
                for (int time = 0; time < 5; time++) {
                    assertThat(deliver(body).outcome()).as(DeliveryOrders.type(body)).isIn(Outcome.RECORDED, Outcome.DUPLICATE);
                }
            }
            assertThat(lines()).as(order.stream().map(DeliveryOrders::type).toList().toString())
                    .extracting(LedgerLine::lineId, LedgerLine::type, LedgerLine::amount)
                    .containsExactly(tuple("pi_A", LineType.SALE, 49_700L));
            assertThat(TestLedger.payment(store.bookings(), "sales-coach", "cs_A")).get().extracting(s -> s.key()).isEqualTo("pi_A");
        }
    }

    @Test
    void withLookupsAMixedCheckoutIsClassifiedByItsItemsAndBookedWithoutTaxTheSameInEveryOrder() {
        recordMixedCheckout();
        List<String> events = List.of(
                event("evt_ch", "charge.succeeded", charge("ch_M", "pi_M", 55_000, "usd", null)),
                event("evt_pi", "payment_intent.succeeded", paymentIntent("pi_M", "ch_M", 55_000, null)),
                event("evt_cs", "checkout.session.completed", session("cs_M", "pi_M", null, 55_000, 5_000, "paid", null)));
        List<List<Object>> first = null;
        for (List<String> order : DeliveryOrders.all(events)) {
            freshTable(true);
            order.forEach(this::deliver);
            events.forEach(this::deliver);
            List<List<Object>> booked = lines().stream()
                    .map(l -> List.<Object>of(l.lineId(), l.amount(), String.valueOf(l.category()), l.saleId())).toList();
            assertThat(booked).as(order.stream().map(DeliveryOrders::type).toList().toString()).containsExactly(
                    List.of("pi_M#1", 40_000L, "course", "pi_M"), // price metadata
                    List.of("pi_M#2", 10_000L, "booking", "pi_M")); // the agreement's products map; $50 tax left out
            if (first != null) {
                assertThat(booked).isEqualTo(first);
            }
            first = booked;
        }
        assertThat(stripeApi.requests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.stripeAccount()).isEqualTo(ACCOUNT);
            assertThat(request.authorization()).isEqualTo("Bearer " + API_KEY);
        });
    }

    @Test
    void aPartialRefundOfAMixedPaymentIsSpreadOverItsLinesToTheCentAndAFullRefundClearsThem() {
        recordMixedCheckout();
        freshTable(true);
        deliver(event("evt_cs", "checkout.session.completed", session("cs_M", "pi_M", null, 55_000, 5_000, "paid", null)));

        // $110 back, tax included: $100 of revenue, 4:1 like the lines
        deliver(SampleStripeEvents.refund("evt_r1", "refund.created", ACCOUNT, "re_1", "ch_M", "pi_M", 11_000, "usd",
                "succeeded", NOW));
        assertThat(refunds()).containsExactly(tuple("pi_M:refunds:1#1", -8_000L, "course"),
                tuple("pi_M:refunds:1#2", -2_000L, "booking"));

        // an awkward amount still adds up: 33.33 of revenue from $36.66 paid back, and the rest
        deliver(SampleStripeEvents.refund("evt_r2", "refund.created", ACCOUNT, "re_2", "ch_M", "pi_M", 3_666, "usd",
                "succeeded", NOW));
        // later, the rest: the charge's refunded total, newer than both refunds
        deliver(SampleStripeEvents.event("evt_full", "charge.refunded", ACCOUNT, NOW.plusSeconds(60),
                refunded(charge("ch_M", "pi_M", 55_000, "usd", null), 55_000)));
        long[] perSaleLine = new long[2];
        for (LedgerLine line : lines()) {
            perSaleLine[line.lineId().endsWith("#1") ? 0 : 1] += line.amount();
        }
        assertThat(perSaleLine).containsExactly(0, 0);
        assertThat(lines().stream().filter(l -> l.lineId().startsWith("pi_M:refunds:2")).mapToLong(LedgerLine::amount).sum())
                .isEqualTo(-3_333);
    }

    @Test
    void aMembershipInvoiceOfTheNewApiIsJoinedToItsPaymentIntentThroughItsPaymentsAndCountedOnce() {
        // 2026 invoices name neither payment intent nor charge, and charges no longer name their invoice
        stripeApi.answer("/v1/invoice_payments?invoice=in_S&limit=100", list("""
                {"id":"inpay_1","object":"invoice_payment","invoice":"in_S","status":"paid",
                 "payment":{"type":"payment_intent","payment_intent":"pi_S"}}"""));
        stripeApi.answer("/v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=pi_S&limit=1", list("""
                {"id":"inpay_1","object":"invoice_payment","invoice":"in_S","status":"paid",
                 "payment":{"type":"payment_intent","payment_intent":"pi_S"}}"""));
        String invoice = invoice("in_S");
        stripeApi.answer("/v1/invoices/in_S", invoice);
        stripeApi.answer("/v1/payment_intents/pi_S?expand[]=latest_charge.balance_transaction",
                paymentIntentWithCharge("pi_S", Json.write(charge("ch_S", "pi_S", 6_300, "usd", null)), 6_300));
        stripeApi.answer("/v1/checkout/sessions?payment_intent=pi_S&limit=1", list(""));
        stripeApi.answer("/v1/prices/price_Membership?expand[]=product",
                "{\"id\":\"price_Membership\",\"object\":\"price\",\"metadata\":{},\"product\":{\"id\":\"prod_Member\",\"object\":\"product\",\"metadata\":{}}}");
        stripeApi.answer("/v1/prices/price_Studio?expand[]=product",
                "{\"id\":\"price_Studio\",\"object\":\"price\",\"metadata\":{},\"product\":{\"id\":\"prod_Studio\",\"object\":\"product\",\"metadata\":{\"revshare_category\":\"in_person\"}}}");
        List<String> events = List.of(
                event("evt_in", "invoice.paid", (ObjectNode) Json.read(invoice, com.fasterxml.jackson.databind.JsonNode.class)),
                event("evt_ch", "charge.succeeded", charge("ch_S", "pi_S", 6_300, "usd", null)),
                event("evt_pi", "payment_intent.succeeded", paymentIntent("pi_S", "ch_S", 6_300, null)));
        for (List<String> order : DeliveryOrders.all(events)) {
            freshTable(true);
            order.forEach(this::deliver);
            assertThat(lines()).as(order.stream().map(DeliveryOrders::type).toList().toString())
                    .extracting(LedgerLine::lineId, LedgerLine::amount, LedgerLine::category)
                    .containsExactly(tuple("pi_S#1", 4_000L, "membership"), tuple("pi_S#2", 2_000L, "in_person"));
        }
    }

    @Test
    void anInvoiceOfAnOlderApiVersionNamesItsPaymentIntentAndNeedsNoLookup() {
        ObjectNode invoice = (ObjectNode) Json.read("""
                {"id":"in_old","object":"invoice","amount_paid":5250,"currency":"usd","customer":"cus_1",
                 "payment_intent":"pi_old","charge":"ch_old","tax":250,"metadata":{},
                 "status_transitions":{"paid_at":%d},
                 "lines":{"object":"list","has_more":false,"data":[
                   {"id":"il_1","object":"line_item","amount":5000,"description":"Membership",
                    "price":{"id":"price_Membership","object":"price","product":"prod_Member","metadata":{}},
                    "tax_amounts":[{"amount":250,"inclusive":false}],"discount_amounts":[]}]}}
                """.formatted(PAID_AT.getEpochSecond()), com.fasterxml.jackson.databind.JsonNode.class);
        ObjectNode oldCharge = charge("ch_old", "pi_old", 5_250, "usd", null).put("invoice", "in_old");
        assertThat(deliverAs("2024-06-20", event("evt_in", "invoice.paid", invoice)).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliverAs("2024-06-20", event("evt_ch", "charge.succeeded", oldCharge)).outcome()).isEqualTo(Outcome.DUPLICATE);

        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::amount, LedgerLine::category)
                .containsExactly(tuple("pi_old", 5_000L, "membership"));
    }

    @Test
    void aCheckoutPaidLaterIsBookedWhenItsAsyncPaymentSucceeds() {
        assertThat(deliver(event("evt_done", "checkout.session.completed",
                session("cs_B", "pi_B", null, 20_000, 0, "unpaid", "course"))).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(lines()).isEmpty();

        assertThat(deliver(event("evt_paid", "checkout.session.async_payment_succeeded",
                session("cs_B", "pi_B", null, 20_000, 0, "paid", "course"))).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::amount).containsExactly(tuple("pi_B", 20_000L));
    }

    // ------------------------------------------------------------------ currency

    @Test
    void aPaymentInAnotherCurrencyIsBookedAtStripesConvertedAmountWhenTheBalanceTransactionGivesIt() {
        ObjectNode euroCharge = charge("ch_E", "pi_E", 20_000, "eur", "course");
        euroCharge.putObject("balance_transaction").put("id", "txn_E").put("object", "balance_transaction")
                .put("amount", 21_700).put("currency", "usd").put("exchange_rate", 1.085);
        stripeApi.answer("/v1/payment_intents/pi_E?expand[]=latest_charge.balance_transaction",
                paymentIntentWithCharge("pi_E", Json.write(euroCharge), 20_000));
        stripeApi.answer("/v1/checkout/sessions?payment_intent=pi_E&limit=1", list(""));
        stripeApi.answer("/v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=pi_E&limit=1", list(""));
        freshTable(true);

        deliver(event("evt_E", "charge.succeeded", charge("ch_E", "pi_E", 20_000, "eur", "course")));
        // half refunded, in euros: half the converted amount comes off
        deliver(SampleStripeEvents.refund("evt_Er", "refund.created", ACCOUNT, "re_E", "ch_E", "pi_E", 10_000, "eur",
                "succeeded", NOW));

        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount, LedgerLine::currency).containsExactly(
                tuple(LineType.SALE, 21_700L, "usd"), tuple(LineType.REFUND, -10_850L, "usd"));
    }

    @Test
    void aPaymentInAnotherCurrencyWithoutAConvertedAmountIsBookedInItsOwnCurrency() {
        deliver(event("evt_E", "charge.succeeded", charge("ch_E", "pi_E", 20_000, "eur", "course")));

        assertThat(lines()).extracting(LedgerLine::amount, LedgerLine::currency).containsExactly(tuple(20_000L, "eur"));
    }

    // ------------------------------------------------------------------ what cannot be read, and Stripe failing

    @Test
    void aSaleEventRevshareCannotReadIsKeptForInspectionAndNothingIsBooked() {
        ObjectNode noCurrency = charge("ch_X", "pi_X", 1_000, "usd", null);
        noCurrency.remove("currency");
        String body = event("evt_X", "charge.succeeded", noCurrency);

        assertThat(deliver(body).outcome()).isEqualTo(Outcome.UNREADABLE);
        assertThat(deliver(body).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(lines()).isEmpty();
        assertThat(store.ledger().setAside()).singleElement().satisfies(kept -> {
            assertThat(kept.eventId()).isEqualTo("evt_X");
            assertThat(kept.reason()).contains("currency");
        });
    }

    @Test
    void whenStripesApiFailsTheDeliveryIsAnswered500AndItsRetryBooksOnce() {
        recordMixedCheckout();
        freshTable(true);
        String body = event("evt_cs", "checkout.session.completed", session("cs_M", "pi_M", null, 55_000, 5_000, "paid", null));
        stripeApi.failWith(500);

        BookingResult failed = deliver(body);

        assertThat(failed.outcome()).isEqualTo(Outcome.STRIPE_UNAVAILABLE);
        assertThat(failed.outcome().retry).isTrue();
        assertThat(lines()).isEmpty();
        stripeApi.failWith(0);
        assertThat(deliver(body).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliver(body).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(lines()).hasSize(2);
    }

    // ------------------------------------------------------------------ recorded Stripe API and objects

    /** A $500 checkout: a course ($400, price metadata) and a 1:1 session ($100, product in the agreement's map); $50 tax. */
    private void recordMixedCheckout() {
        stripeApi.answer("/v1/payment_intents/pi_M?expand[]=latest_charge.balance_transaction",
                paymentIntentWithCharge("pi_M", Json.write(charge("ch_M", "pi_M", 55_000, "usd", null)), 55_000));
        stripeApi.answer("/v1/checkout/sessions?payment_intent=pi_M&limit=1",
                list(Json.write(session("cs_M", "pi_M", null, 55_000, 5_000, "paid", null))));
        stripeApi.answer("/v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=pi_M&limit=1", list(""));
        stripeApi.answer("/v1/checkout/sessions/cs_M/line_items?limit=100&expand[]=data.price.product", list("""
                {"id":"li_1","object":"item","amount_subtotal":40000,"amount_tax":4000,"amount_total":44000,"amount_discount":0,
                 "currency":"usd","description":"Mindful Leadership course","quantity":1,
                 "price":{"id":"price_Course","object":"price","metadata":{"revshare_category":"course"},
                          "product":{"id":"prod_Course","object":"product","metadata":{}}}},
                {"id":"li_2","object":"item","amount_subtotal":10000,"amount_tax":1000,"amount_total":11000,"amount_discount":0,
                 "currency":"usd","description":"1:1 coaching session","quantity":1,
                 "price":{"id":"price_Coaching","object":"price","metadata":{},
                          "product":{"id":"prod_Coaching1on1","object":"product","metadata":{}}}}"""));
    }

    /** A 2026 (dahlia) subscription invoice: membership $40 and a studio visit $20 (in person), $3 exclusive tax. */
    private static String invoice(String id) {
        return """
                {"id":"%s","object":"invoice","amount_due":6300,"amount_paid":6300,"amount_remaining":0,"currency":"usd",
                 "customer":"cus_S","customer_email":"member@example.com","metadata":{},
                 "parent":{"type":"subscription_details","subscription_details":{"metadata":{},"subscription":"sub_S"}},
                 "status":"paid","status_transitions":{"paid_at":%d},"subtotal":6000,"total":6300,
                 "total_excluding_tax":6000,"total_taxes":[{"amount":300,"tax_behavior":"exclusive"}],
                 "lines":{"object":"list","has_more":false,"data":[
                   {"id":"il_1","object":"line_item","amount":4000,"description":"Membership","discount_amounts":[],
                    "metadata":{},"pricing":{"type":"price_details","price_details":{"price":"price_Membership","product":"prod_Member"}},
                    "taxes":[{"amount":200,"tax_behavior":"exclusive"}]},
                   {"id":"il_2","object":"line_item","amount":2000,"description":"Studio visit","discount_amounts":[],
                    "metadata":{},"pricing":{"type":"price_details","price_details":{"price":"price_Studio","product":"prod_Studio"}},
                    "taxes":[{"amount":100,"tax_behavior":"exclusive"}]}]}}
                """.formatted(id, PAID_AT.getEpochSecond());
    }

    private static ObjectNode charge(String id, String paymentIntent, long amount, String currency, String category) {
        return (ObjectNode) Json.read(SampleStripeEvents.chargeSucceeded("evt_tmp", ACCOUNT, id, paymentIntent, amount,
                currency, PAID_AT, category, "cus_1"), com.fasterxml.jackson.databind.JsonNode.class).path("data").path("object");
    }

    private static ObjectNode refunded(ObjectNode charge, long amountRefunded) {
        return charge.put("amount_refunded", amountRefunded).put("refunded", true);
    }

    private static ObjectNode paymentIntent(String id, String latestCharge, long amount, String category) {
        ObjectNode intent = Json.mapper().createObjectNode();
        intent.put("id", id).put("object", "payment_intent").put("amount", amount).put("amount_received", amount)
                .put("currency", "usd").put("created", PAID_AT.getEpochSecond() - 60).put("customer", "cus_1")
                .put("latest_charge", latestCharge).put("status", "succeeded");
        ObjectNode metadata = intent.putObject("metadata");
        if (category != null) {
            metadata.put("revshare_category", category);
        }
        return intent;
    }

    private static String paymentIntentWithCharge(String id, String chargeJson, long amount) {
        ObjectNode intent = paymentIntent(id, null, amount, null);
        intent.set("latest_charge", Json.read(chargeJson, com.fasterxml.jackson.databind.JsonNode.class));
        return Json.write(intent);
    }

    private static ObjectNode session(String id, String paymentIntent, String invoice, long total, long tax,
                                      String paymentStatus, String category) {
        ObjectNode session = Json.mapper().createObjectNode();
        session.put("id", id).put("object", "checkout.session").put("mode", invoice == null ? "payment" : "subscription")
                .put("amount_subtotal", total - tax).put("amount_total", total).put("currency", "usd")
                .put("created", PAID_AT.getEpochSecond() - 300).put("customer", "cus_1")
                .put("payment_intent", paymentIntent).put("invoice", invoice).put("payment_status", paymentStatus)
                .put("status", "complete");
        session.putObject("customer_details").put("email", "ana.garcia@example.com");
        session.putObject("total_details").put("amount_discount", 0).put("amount_shipping", 0).put("amount_tax", tax);
        ObjectNode metadata = session.putObject("metadata");
        if (category != null) {
            metadata.put("revshare_category", category);
        }
        return session;
    }

    private static String list(String items) {
        return "{\"object\":\"list\",\"has_more\":false,\"data\":[" + items + "]}";
    }

    private static String event(String id, String type, ObjectNode object) {
        return SampleStripeEvents.event(id, type, ACCOUNT, NOW.minusSeconds(30), object);
    }

    private BookingResult deliver(String body) {
        return ingestion.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }

    private BookingResult deliverAs(String apiVersion, String body) {
        ObjectNode event = (ObjectNode) Json.read(body, com.fasterxml.jackson.databind.JsonNode.class);
        return deliver(Json.write(event.put("api_version", apiVersion)));
    }

    private List<LedgerLine> lines() {
        List<LedgerLine> lines = new ArrayList<>(store.ledger().recordedBetween("sales-coach", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1))));
        lines.sort(java.util.Comparator.comparing(LedgerLine::lineId));
        return lines;
    }

    private List<org.assertj.core.groups.Tuple> refunds() {
        return lines().stream().filter(l -> l.type() == LineType.REFUND)
                .map(l -> tuple(l.lineId(), l.amount(), l.category())).toList();
    }
}
