package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestAgreements;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The handler on the Function URL events in events/stripe-webhook, against DynamoDB Local. */
class StripeWebhookFunctionTest {
    /** The secret events/ files are signed with (events/README.md). */
    private static final String SECRET = "whsec_revshare_local_test";
    private static final String EVENTS = "../../events/stripe-webhook/";
    /** A week after the sample events: their own signatures are long stale. */
    private static final Instant NOW = Instant.parse("2026-10-21T12:00:00Z");

    private DynamoDbClient dynamo;
    private String table;
    private DynamoDbStores store;

    @BeforeEach
    void freshTable() {
        dynamo = LocalDynamoDb.client();
        table = LocalDynamoDb.newTable();
        store = DynamoDbStores.over(dynamo, table);
        store.agreements().put(TestAgreements.sarahMindfulness(), Instant.parse("2025-10-01T00:00:00Z"));
    }

    @Test
    void disputeWithdrawnThenWonIsBookedFromTheSampleEventsAndNetsToZero() {
        for (String file : List.of("charge-succeeded.json", "charge-dispute-funds-withdrawn.json",
                "charge-dispute-closed-won.json", "charge-dispute-funds-withdrawn.json")) {
            assertThat(function(NOW).handleRequest(resigned(load(file)), null).getStatusCode()).as(file).isEqualTo(200);
        }

        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount).containsExactlyInAnyOrder(
                tuple(LineType.SALE, 29_700L), tuple(LineType.DISPUTE_WITHDRAWAL, -29_700L),
                tuple(LineType.DISPUTE_REINSTATEMENT, 29_700L));
    }

    @Test
    void refundThatFailsIsBookedThenReversedFromTheSampleEvents() {
        for (String file : List.of("refund-created.json", "charge-succeeded.json", "refund-failed.json", "refund-created.json")) {
            assertThat(function(NOW).handleRequest(resigned(load(file)), null).getStatusCode()).as(file).isEqualTo(200);
        }

        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount).containsExactlyInAnyOrder(
                tuple(LineType.SALE, 29_700L), tuple(LineType.REFUND, -9_700L), tuple(LineType.REFUND_REVERSAL, 9_700L));
    }

    @Test
    void chargeSucceededIsAnswered200AndBookedOnce() {
        APIGatewayV2HTTPEvent request = resigned(load("charge-succeeded.json"));

        APIGatewayV2HTTPResponse first = function(NOW).handleRequest(request, null);
        APIGatewayV2HTTPResponse again = function(NOW).handleRequest(request, null);

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(outcome(first)).isEqualTo("recorded");
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(outcome(again)).isEqualTo("duplicate");
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line.type()).isEqualTo(LineType.SALE);
            assertThat(line.amount()).isEqualTo(29_700);
            assertThat(line.category()).isEqualTo("course");
            assertThat(line.stripeId()).isEqualTo("ch_3SarahCharge00001");
        });
    }

    @Test
    void chargeRefundedAfterTheSaleBooksTheRefund() {
        function(NOW).handleRequest(resigned(load("charge-succeeded.json")), null);

        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(resigned(load("charge-refunded.json")), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(lines()).extracting(LedgerLine::amount).containsExactlyInAnyOrder(29_700L, -29_700L);
    }

    @Test
    void customerCreatedIsAcknowledgedAndNotBooked() {
        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(resigned(load("customer-created.json")), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(outcome(response)).isEqualTo("ignored");
        assertThat(lines()).isEmpty();
    }

    @Test
    void base64EncodedBodyIsDecodedBeforeTheSignatureIsChecked() {
        APIGatewayV2HTTPEvent request = resigned(load("charge-succeeded.json"));
        request.setBody(Base64.getEncoder().encodeToString(request.getBody().getBytes(StandardCharsets.UTF_8)));
        request.setIsBase64Encoded(true);

        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(lines()).hasSize(1);
    }

    @Test
    void signatureHeaderNameIsMatchedWhateverItsCase() {
        APIGatewayV2HTTPEvent request = resigned(load("charge-succeeded.json"));
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("Stripe-Signature", headers.remove("stripe-signature"));
        request.setHeaders(headers);

        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(lines()).hasSize(1);
    }

    @Test
    void tamperedBodyIsAnswered400AndNothingIsStored() {
        APIGatewayV2HTTPEvent request = resigned(load("charge-succeeded.json"));
        request.setBody(request.getBody().replace("\"amount\":29700", "\"amount\":2970000"));

        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(outcome(response)).isEqualTo("rejected");
        assertNothingStored();
    }

    @Test
    void fileSignatureAsItIsIsRefusedAsAReplay() {
        APIGatewayV2HTTPEvent request = load("charge-succeeded.json");

        APIGatewayV2HTTPResponse response = function(NOW).handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(message(response)).containsIgnoringCase("tolerance");
        assertNothingStored();
    }

    @Test
    void fileSignatureIsValidAtTheEventsOwnTime() {
        APIGatewayV2HTTPEvent request = load("charge-succeeded.json");
        Instant signedAt = Instant.ofEpochSecond(Json.read(request.getBody(), JsonNode.class).path("created").asLong());

        APIGatewayV2HTTPResponse response = function(signedAt.plusSeconds(1)).handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
    }

    @Test
    void storeThatFailsIsAnswered500SoThatStripeRetries() {
        // a table that does not exist: every DynamoDB call fails
        DynamoDbStores broken = DynamoDbStores.over(dynamo, "revshare-missing-table");
        StripeWebhookFunction function = new StripeWebhookFunction(StripeWebhook.of(broken.agreements(), broken.bookings(),
                () -> SECRET, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)));

        APIGatewayV2HTTPResponse response = function.handleRequest(resigned(load("charge-succeeded.json")), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(outcome(response)).isEqualTo("store_failed");
        assertNothingStored();
    }

    /**
     * Every file in events/stripe-webhook, one per event type the webhook handles, delivered as a story
     * of three payments (a card checkout, a bank-debit booking, a membership invoice) with their refund
     * and disputes, then all delivered again: each answer as the README's table says, each movement once.
     */
    @Test
    void everySampleEventTypeIsAnsweredAsTheReadmeSaysAndEachMovementCountsOnce() {
        java.util.LinkedHashMap<String, String> story = new java.util.LinkedHashMap<>();
        story.put("charge-succeeded.json", "recorded");
        story.put("payment-intent-succeeded.json", "duplicate");         // the same payment as the charge
        story.put("checkout-session-completed.json", "duplicate");       // and its checkout session
        story.put("checkout-session-async-payment-succeeded.json", "recorded");
        story.put("invoice-paid.json", "recorded");
        story.put("invoice-payment-paid.json", "recorded");           // links the invoice to its payment intent
        story.put("customer-created.json", "ignored");
        story.put("refund-created.json", "recorded");
        story.put("refund-updated.json", "duplicate");
        story.put("charge-refund-updated.json", "duplicate");
        story.put("refund-failed.json", "recorded");
        story.put("charge-dispute-created.json", "ignored");             // no money moved yet
        story.put("charge-dispute-updated.json", "recorded");            // carries the withdrawal
        story.put("charge-dispute-funds-withdrawn.json", "duplicate");
        story.put("charge-dispute-funds-reinstated.json", "recorded");
        story.put("charge-dispute-closed-won.json", "duplicate");
        story.put("charge-dispute-closed-lost.json", "recorded");
        java.io.File[] files = new java.io.File(EVENTS).listFiles((dir, name) -> name.endsWith(".json"));
        assertThat(files).extracting(java.io.File::getName)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(story.keySet().stream(),
                        java.util.stream.Stream.of("charge-refunded.json")).toList());

        story.forEach((file, expected) -> {
            APIGatewayV2HTTPResponse response = function(NOW).handleRequest(resigned(load(file)), null);
            assertThat(response.getStatusCode()).as(file).isEqualTo(200);
            assertThat(outcome(response)).as(file + ": " + message(response)).isEqualTo(expected);
        });
        story.keySet().forEach(file -> assertThat(outcome(function(NOW).handleRequest(resigned(load(file)), null)))
                .as(file + " again").isEqualTo("duplicate"));

        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::type, LedgerLine::amount, LedgerLine::category)
                .containsExactlyInAnyOrder(
                        tuple("pi_3SarahCharge00001", LineType.SALE, 29_700L, "course"),
                        tuple("pi_3SarahBankDebit001", LineType.SALE, 9_700L, "booking"),
                        // $4.90 tax left out; known by its payment intent once invoice_payment.paid linked them
                        tuple("pi_3SarahMember0001", LineType.SALE, 4_900L, "membership"),
                        tuple("pi_3SarahCharge00001:refunds:1", LineType.REFUND, -9_700L, "course"),
                        // refund lines are numbered by the sale's refund-state version; refund.updated moved it to 2
                        tuple("pi_3SarahCharge00001:refunds:3", LineType.REFUND_REVERSAL, 9_700L, "course"),
                        tuple("txn_3SarahDispute0001w", LineType.DISPUTE_WITHDRAWAL, -29_700L, "course"),
                        tuple("txn_3SarahDispute0001r", LineType.DISPUTE_REINSTATEMENT, 29_700L, "course"),
                        tuple("txn_3SarahDispute0002w", LineType.DISPUTE_WITHDRAWAL, -9_700L, "booking"));
    }

    @Test
    void everyOutcomeIsAnsweredWithTheStatusStripeActsOn() {
        java.util.Map<String, Integer> answers = new java.util.TreeMap<>();
        for (dev.revshare.ingest.BookingResult.Outcome outcome : dev.revshare.ingest.BookingResult.Outcome.values()) {
            answers.put(outcome.name(), StripeWebhookFunction.httpStatus(outcome));
        }
        // 2xx: Stripe is done with it; 400 and 404: nothing a retry changes; 500: Stripe delivers it again
        assertThat(answers).containsExactlyInAnyOrderEntriesOf(java.util.Map.ofEntries(
                java.util.Map.entry("RECORDED", 200), java.util.Map.entry("PENDING", 200), java.util.Map.entry("LINKED", 200),
                java.util.Map.entry("DUPLICATE", 200), java.util.Map.entry("IGNORED", 200), java.util.Map.entry("UNCLAIMED", 200),
                java.util.Map.entry("UNREADABLE", 200), java.util.Map.entry("REJECTED", 400),
                java.util.Map.entry("UNKNOWN_AGREEMENT", 404), java.util.Map.entry("STORE_FAILED", 500),
                java.util.Map.entry("STRIPE_UNAVAILABLE", 500), java.util.Map.entry("NOT_CONFIGURED", 500),
                java.util.Map.entry("FAILED", 500)));
    }

    @Test
    void aFaultInRevshareItselfIsAnswered500AndLoggedAsTheBugItIs() {
        StripeWebhookFunction function = new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(),
                () -> { throw new NullPointerException("a bug"); }, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)));

        APIGatewayV2HTTPResponse response = function.handleRequest(resigned(load("charge-succeeded.json")), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(outcome(response)).isEqualTo("failed");
        assertNothingStored();
    }

    // ---------------------------------------------------------------- helpers

    private StripeWebhookFunction function(Instant now) {
        return new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, Clock.fixed(now, ZoneOffset.UTC)));
    }

    private static APIGatewayV2HTTPEvent load(String file) {
        return EventLoader.loadApiGatewayHttpEvent(EVENTS + file);
    }

    /** Signs the body again at the test's "now", as Stripe signs each delivery attempt. */
    private static APIGatewayV2HTTPEvent resigned(APIGatewayV2HTTPEvent request) {
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("stripe-signature", SampleStripeEvents.signatureHeader(request.getBody(), SECRET, NOW));
        request.setHeaders(headers);
        return request;
    }

    private static String outcome(APIGatewayV2HTTPResponse response) {
        return Json.read(response.getBody(), JsonNode.class).path("outcome").asText();
    }

    private static String message(APIGatewayV2HTTPResponse response) {
        return Json.read(response.getBody(), JsonNode.class).path("message").asText();
    }

    private List<LedgerLine> lines() {
        return store.ledger().recordedBetween("sarah-mindfulness", NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(1)));
    }

    private void assertNothingStored() {
        assertThat(lines()).isEmpty();
        assertThat(dynamo.scan(b -> b.tableName(table).consistentRead(true)).items())
                .extracting(item -> item.get("pk").s())
                .containsExactly("AGREEMENT");
    }
}
