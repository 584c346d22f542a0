package dev.revshare.ingest;

import dev.revshare.stripe.StripeApiKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.StripeMockServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every request the ingestion makes to Stripe's API, made by StripeApiLookup against stripe-mock (Stripe's
 * official mock, which refuses what the real API would refuse as invalid): paths, filters and expansions
 * are ones Stripe accepts, and its answers (of the API version stripe-mock carries) are read.
 */
class StripeLookupAgainstStripeMockTest {
    private static final Agreement AGREEMENT = AgreementFile.parse(SalesTest.AGREEMENT, "sales-coach.yaml");
    private static final Instant AT = Instant.parse("2026-10-01T10:00:00Z");

    private final List<String> asked = new ArrayList<>();
    private final StripeApiLookup stripe = new StripeApiLookup(
            agreement -> new StripeApiKeys.ApiKey("sk_test_123", agreement.stripeAccount()), StripeMockServer.get().baseUrl());
    private final StripeLookup recording = new StripeLookup() {
        @Override
        public JsonNode get(Agreement agreement, String pathAndQuery) {
            JsonNode answer = stripe.get(agreement, pathAndQuery);
            // the kind of request: ids (stripe-mock answers with its own) left out
            asked.add(pathAndQuery.replaceAll("/(?:[a-z]+_[A-Za-z]*[0-9][A-Za-z0-9]*|invoice)(?=/|\\?|$)", "/ID"));
            return answer;
        }

        @Override
        public boolean enabledFor(Agreement agreement) {
            return true;
        }
    };
    private final PaymentAssembler assembler = new PaymentAssembler(recording);

    @Test
    void everyLookupForEachSaleEventIsAValidStripeRequestAndItsAnswerIsRead() {
        Set<String> kinds = new TreeSet<>();
        for (String[] event : new String[][] {
                {"charge.succeeded", "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":1000,\"currency\":\"usd\",\"payment_intent\":\"pi_1\"}"},
                {"payment_intent.succeeded", "{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"amount_received\":1000,\"currency\":\"usd\"}"},
                {"checkout.session.completed", "{\"id\":\"cs_1\",\"object\":\"checkout.session\",\"amount_total\":1000,"
                        + "\"currency\":\"usd\",\"payment_status\":\"paid\",\"payment_intent\":null,\"invoice\":null}"},
                {"invoice.paid", "{\"id\":\"in_1\",\"object\":\"invoice\",\"amount_paid\":1000,\"currency\":\"usd\","
                        + "\"lines\":{\"object\":\"list\",\"data\":[],\"has_more\":true}}"}}) {
            asked.clear();
            Payment payment = assembler.assemble(AGREEMENT, PaymentSource.ofEventType(event[0]), (ObjectNode) Json.read(event[1], JsonNode.class), AT);
            assertThat(payment.items()).as(event[0]).isNotEmpty();
            assertThat(asked).as(event[0]).isNotEmpty();
            asked.forEach(path -> kinds.add(path.replaceAll("\\?.*", "")));
        }
        // stripe-mock's canned invoice payments name other payments: they are not followed to their invoices
        assertThat(kinds).contains("/v1/payment_intents/ID", "/v1/checkout/sessions", "/v1/checkout/sessions/ID/line_items",
                "/v1/invoice_payments", "/v1/invoices/ID/lines");
        assertThat(stripe.get(AGREEMENT, "/v1/invoices/in_1").path("object").asText()).isEqualTo("invoice");
        // prices of invoice lines that name only their ids (stripe-mock's invoice lines carry none)
        assertThat(stripe.get(AGREEMENT, "/v1/prices/price_1?expand[]=product").path("product").isObject()).isTrue();
        assertThat(stripe.get(AGREEMENT, "/v1/charges/ch_1?expand[]=balance_transaction").path("balance_transaction")
                .path("amount").canConvertToLong()).isTrue();
    }

    @Test
    void aRequestStripeWouldRefuseFailsLoudlyAndAMissingObjectIsNull() {
        assertThatThrownBy(() -> stripe.get(AGREEMENT, "/v1/checkout/sessions?payment_intentx=pi_1"))
                .isInstanceOf(StripeLookup.StripeUnavailableException.class)
                .hasMessageContaining("GET /v1/checkout/sessions failed");
    }

    @Test
    void aCapturedChargeIsBookedThoughStripeMocksCannedInvoicePaymentNamesAnotherPaymentsUnpaidInvoice() {
        dev.revshare.testing.InMemoryStores stores = new dev.revshare.testing.InMemoryStores();
        stores.agreements().put(AGREEMENT, AT.minusSeconds(86_400));
        java.time.Clock clock = java.time.Clock.fixed(AT.plusSeconds(60), java.time.ZoneOffset.UTC);
        StripeWebhook webhook = StripeWebhook.of(stores.agreements(), stores.bookings(), () -> "whsec_mock", stripe, clock);
        String body = dev.revshare.stripe.SampleStripeEvents.chargeSucceeded("evt_mock", AGREEMENT.stripeAccount(), "ch_mock",
                "pi_mock", 29_700, "usd", AT, "course", "cus_1");

        BookingResult result = webhook.receive("/stripe",
                dev.revshare.stripe.SampleStripeEvents.signatureHeader(body, "whsec_mock", clock.instant()), body);

        assertThat(result.outcome()).as(result.message()).isEqualTo(BookingResult.Outcome.RECORDED);
        assertThat(stores.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, clock.instant())).isNotEmpty()
                .allSatisfy(line -> assertThat(line.saleId()).isEqualTo("pi_mock"));
    }
}
