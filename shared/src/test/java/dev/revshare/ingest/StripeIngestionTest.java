package dev.revshare.ingest;

import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.WebhookEndpoint;
import dev.revshare.testing.TestLedger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** Webhook deliveries through signature check, parsing and the ledger, against DynamoDB Local. */
class StripeIngestionTest {
    private static final String SECRET = "whsec_revshare_test_secret";
    private static final String ACCOUNT = "acct_1SarahExample";
    private static final Instant NOW = Instant.parse("2026-10-14T09:30:00Z");
    private static final Instant SOLD_AT = NOW.minusSeconds(2);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private DynamoDbClient dynamo;
    private String table;
    private DynamoDbStores store;
    private StripeWebhook ingestion;

    @BeforeEach
    void freshTable() {
        dynamo = LocalDynamoDb.client();
        table = LocalDynamoDb.newTable();
        store = DynamoDbStores.over(dynamo, table);
        store.agreements().put(agreement(), NOW.minus(Duration.ofDays(30)));
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, CLOCK);
    }

    @Test
    void duplicateDeliveryCountsOnce() {
        String body = sale("evt_1", "ch_1", "pi_1", 29_700);

        List<Outcome> outcomes = new ArrayList<>();
        for (int delivery = 0; delivery < 5; delivery++) {
            outcomes.add(deliver("/stripe", body).outcome());
        }

        assertThat(outcomes).containsExactly(Outcome.RECORDED, Outcome.DUPLICATE, Outcome.DUPLICATE,
                Outcome.DUPLICATE, Outcome.DUPLICATE);
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line.lineId()).isEqualTo("pi_1");
            assertThat(line.stripeId()).isEqualTo("ch_1");
            assertThat(line.type()).isEqualTo(LineType.SALE);
            assertThat(line.amount()).isEqualTo(29_700);
            assertThat(line.category()).isEqualTo("course");
            assertThat(line.occurredAt()).isEqualTo(SOLD_AT);
            assertThat(line.recordedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void secondEventForTheSamePaymentIntentBooksNothingNew() {
        assertThat(deliver("/stripe", sale("evt_1", "ch_1", "pi_1", 29_700)).outcome()).isEqualTo(Outcome.RECORDED);

        BookingResult second = deliver("/stripe", sale("evt_2", "ch_1", "pi_1", 29_700));

        assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(lines()).hasSize(1);
        assertThat(receipt("evt_2").get("outcome").s()).isEqualTo("duplicate");
        assertThat(receipt("evt_1").get("outcome").s()).isEqualTo("recorded");
    }

    @Test
    void bodyOverTheLimitInBytesIsRejectedEvenWhenItsCharactersAreFewer() {
        // 200,000 three-byte characters: under the limit in characters, over it in bytes
        String body = sale("evt_1", "ch_1", "pi_1", 29_700).replace("\"object\":\"charge\"",
                "\"object\":\"charge\",\"description\":\"" + "€".repeat(200_000) + "\"");
        assertThat(body.length()).isLessThan(WebhookEndpoint.MAX_BODY_BYTES);

        BookingResult result = deliver("/stripe", body);

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.message()).contains("larger than");
        assertNothingWritten();
    }

    @Test
    void tamperedBodyIsRejectedAndNothingIsWritten() {
        String body = sale("evt_1", "ch_1", "pi_1", 29_700);
        String header = SampleStripeEvents.signatureHeader(body, SECRET, NOW);

        BookingResult result = ingestion.receive("/stripe", header, body.replace("29700", "2970000"));

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.message()).startsWith("signature check failed");
        assertNothingWritten();
    }

    @Test
    void missingSignatureHeaderIsRejectedAndNothingIsWritten() {
        BookingResult result = ingestion.receive("/stripe", null, sale("evt_1", "ch_1", "pi_1", 29_700));

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.message()).contains("missing Stripe-Signature header");
        assertNothingWritten();
    }

    @Test
    void signatureWithAnotherSecretIsRejectedAndNothingIsWritten() {
        String body = sale("evt_1", "ch_1", "pi_1", 29_700);

        BookingResult result = ingestion.receive("/stripe",
                SampleStripeEvents.signatureHeader(body, "whsec_someone_else", NOW), body);

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertNothingWritten();
    }

    @Test
    void signatureOlderThanTheToleranceIsRejectedAsAReplay() {
        String body = sale("evt_1", "ch_1", "pi_1", 29_700);

        BookingResult result = ingestion.receive("/stripe",
                SampleStripeEvents.signatureHeader(body, SECRET, NOW.minusSeconds(301)), body);

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.message()).containsIgnoringCase("tolerance");
        assertNothingWritten();
    }

    @Test
    void signatureJustInsideTheToleranceIsAccepted() {
        String body = sale("evt_1", "ch_1", "pi_1", 29_700);

        BookingResult result = ingestion.receive("/stripe",
                SampleStripeEvents.signatureHeader(body, SECRET, NOW.minusSeconds(299)), body);

        assertThat(result.outcome()).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void malformedJsonWithAValidSignatureIsRejected() {
        BookingResult result = deliver("/stripe", "{\"id\": \"evt_1\", \"object\": \"event\", ");

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.message()).isEqualTo("body is not JSON");
        assertNothingWritten();
    }

    @Test
    void partialRefundsBookWhatIsNewEachTime() {
        deliver("/stripe", sale("evt_sale", "ch_1", "pi_1", 29_700));

        BookingResult first = deliver("/stripe", refund("evt_r1", 1_000, NOW.minusSeconds(1)));
        BookingResult second = deliver("/stripe", refund("evt_r2", 1_500, NOW));

        assertThat(first.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(second.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(refundAmounts()).containsExactlyInAnyOrder(-1_000L, -500L);
        assertThat(TestLedger.refundedTotal(store.bookings(), "sarah-course", "pi_1")).isEqualTo(1_500);
        assertThat(lines()).filteredOn(l -> l.type() == LineType.REFUND)
                .allSatisfy(l -> assertThat(l.saleOccurredAt()).isEqualTo(SOLD_AT));
    }

    @Test
    void refundsDeliveredOutOfOrderSumToTheFinalRefundedTotal() {
        deliver("/stripe", sale("evt_sale", "ch_1", "pi_1", 29_700));

        BookingResult later = deliver("/stripe", refund("evt_r2", 1_500, NOW));
        BookingResult earlier = deliver("/stripe", refund("evt_r1", 1_000, NOW.minusSeconds(1)));

        assertThat(later.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(earlier.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(refundAmounts()).containsExactly(-1_500L);
        assertThat(receipt("evt_r1")).isNotEmpty();
    }

    @Test
    void unknownEventTypeIsIgnoredAndItsReceiptKept() {
        BookingResult result = deliver("/stripe",
                SampleStripeEvents.customerCreated("evt_cust", ACCOUNT, "cus_1", SOLD_AT));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(result.outcome().retry).isFalse();
        assertThat(lines()).isEmpty();
        assertThat(receipt("evt_cust")).containsEntry("outcome", AttributeValue.fromS("ignored"))
                .containsEntry("agreementId", AttributeValue.fromS("sarah-course"));
    }

    @Test
    void eventForAnAccountNoAgreementClaimsIsKeptAsUnclaimedAndBookedWhenResentAfterAnAgreementClaimsIt() {
        String body = SampleStripeEvents.chargeSucceeded("evt_other", "acct_1NobodysAccount", "ch_9", "pi_9", 5_000, "usd",
                SOLD_AT, "course", "cus_9");

        BookingResult result = deliver("/stripe", body);
        assertThat(deliver("/stripe", body).outcome()).isEqualTo(Outcome.UNCLAIMED); // Stripe retries: kept once

        assertThat(result.outcome()).isEqualTo(Outcome.UNCLAIMED);
        assertThat(result.message()).contains("acct_1NobodysAccount");
        assertThat(lines()).isEmpty();
        assertThat(receipt("evt_other")).isEmpty();
        assertThat(store.ledger().setAside()).singleElement().satisfies(kept -> {
            assertThat(kept.eventId()).isEqualTo("evt_other");
            assertThat(kept.account()).isEqualTo("acct_1NobodysAccount");
            assertThat(kept.objectId()).isEqualTo("ch_9");
            assertThat(kept.amount()).isEqualTo(5_000);
        });

        // the partner applies the missing agreement, then resends the event from the Stripe Dashboard (in a
        // new container here: a warm one sees the agreement within AgreementCache.MISS_RECHECK_AFTER)
        Agreement other = agreement();
        store.agreements().put(new Agreement("other-course", "Other x Acme", other.expert(), other.partner(), "acct_1NobodysAccount",
                "usd", other.timezone(), other.termStart(), null, other.split(), null), NOW.minus(Duration.ofDays(1)));
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, CLOCK);
        assertThat(deliver("/stripe", body).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(store.ledger().recordedBetween("other-course", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)))).hasSize(1);
    }

    @Test
    void onlyReceiptsAndSetAsideEventsExpire() {
        deliver("/stripe", sale("evt_1", "ch_1", "pi_1", 29_700));
        deliver("/stripe", SampleStripeEvents.refund("evt_2", "refund.created", ACCOUNT, "re_1", "ch_2", "pi_2", 1_000, "usd",
                "succeeded", SOLD_AT)); // waits for its payment
        deliver("/stripe", SampleStripeEvents.chargeRefunded("evt_3", ACCOUNT, "ch_1", "pi_1", 29_700, 9_700, "usd",
                SOLD_AT, SOLD_AT, "course", "cus_1"));
        deliver("/stripe", SampleStripeEvents.chargeSucceeded("evt_4", "acct_1NobodysAccount", "ch_9", "pi_9", 5_000, "usd",
                SOLD_AT, "course", "cus_9"));
        store.statements().beginClosing("sarah-course", NOW);

        List<Map<String, AttributeValue>> items = dynamo.scan(b -> b.tableName(table).consistentRead(true)).items();
        assertThat(items).extracting(item -> item.get("pk").s().replaceAll("#.*", "#"))
                .contains("EVENT#", "PAYMENT#", "LEDGER#", "WAITING#", "SET_ASIDE", "STATEMENT#", "AGREEMENT");
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get("pk").s();
            boolean mayExpire = pk.startsWith("EVENT#") || pk.equals("SET_ASIDE");
            assertThat(item.containsKey("expiresAt")).as("expiresAt on %s | %s", pk, item.get("sk").s()).isEqualTo(mayExpire);
            if (mayExpire) {
                assertThat(Long.parseLong(item.get("expiresAt").n()))
                        .isEqualTo(NOW.plus(Duration.ofDays(400)).getEpochSecond());
            }
        }
    }

    @Test
    void pathNamingNoAgreementIsUnknownAndNothingIsWritten() {
        BookingResult result = deliver("/stripe/unknown-id", sale("evt_1", "ch_1", "pi_1", 29_700));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN_AGREEMENT);
        assertThat(result.outcome().retry).isFalse();
        assertNothingWritten();
    }

    @Test
    void pathNamingTheAgreementBooksTheSale() {
        BookingResult result = deliver("/stripe/sarah-course", sale("evt_1", "ch_1", "pi_1", 29_700));

        assertThat(result.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines()).hasSize(1);
    }

    /**
     * DynamoDB cannot be made to fail on demand, so this test talks to DynamoDB Local over HTTP and an SDK
     * interceptor fails the first ledger transaction before it is sent, as a 500 from DynamoDB would.
     */
    @Test
    void storeFailureAnswers500AndTheRetryOfTheSameDeliveryCountsOnce() {
        FailFirstTransaction failFirst = new FailFirstTransaction();
        try (DynamoDbClient http = DynamoDbClient.builder()
                .endpointOverride(DynamoDbLocalServer.get().endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(failFirst))
                .build()) {
            dynamo = http;
            table = "revshare-faults-" + UUID.randomUUID();
            store = DynamoDbStores.createdOver(http, table);
            store.agreements().put(agreement(), NOW.minus(Duration.ofDays(30)));
            ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, CLOCK);
            String body = sale("evt_1", "ch_1", "pi_1", 29_700);

            BookingResult failed = deliver("/stripe", body);
            assertThat(failed.outcome()).isEqualTo(Outcome.STORE_FAILED);
            assertThat(failed.outcome().retry).isTrue();
            assertThat(failFirst.failures.get()).isEqualTo(1);
            assertNothingWritten();

            assertThat(deliver("/stripe", body).outcome()).isEqualTo(Outcome.RECORDED);
            assertThat(deliver("/stripe", body).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(lines()).hasSize(1);
        }
    }

    /** Fails the first TransactWriteItems call, before it reaches DynamoDB, with DynamoDB's own 500 error. */
    private static final class FailFirstTransaction implements ExecutionInterceptor {
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest && failures.getAndIncrement() == 0) {
                throw InternalServerErrorException.builder().statusCode(500)
                        .message("Internal server error (injected by the test)").build();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private BookingResult deliver(String path, String body) {
        return ingestion.receive(path, SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }

    private static String sale(String eventId, String chargeId, String paymentIntent, long amount) {
        return SampleStripeEvents.chargeSucceeded(eventId, ACCOUNT, chargeId, paymentIntent, amount, "usd", SOLD_AT,
                "course", "cus_1");
    }

    private static String refund(String eventId, long refundedSoFar, Instant refundedAt) {
        return SampleStripeEvents.chargeRefunded(eventId, ACCOUNT, "ch_1", "pi_1", 29_700, refundedSoFar, "usd",
                SOLD_AT, refundedAt, "course", "cus_1");
    }

    private List<LedgerLine> lines() {
        return store.ledger().recordedBetween("sarah-course", NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(1)));
    }

    private List<Long> refundAmounts() {
        return lines().stream().filter(l -> l.type() == LineType.REFUND).map(LedgerLine::amount).toList();
    }

    private Map<String, AttributeValue> receipt(String eventId) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("EVENT#" + eventId), "sk", AttributeValue.fromS("RECEIPT")))).item();
    }

    /** No ledger line, and no item at all in the table besides the agreement. */
    private void assertNothingWritten() {
        assertThat(lines()).isEmpty();
        assertThat(dynamo.scan(b -> b.tableName(table).consistentRead(true)).items())
                .extracting(item -> item.get("pk").s())
                .containsExactly("AGREEMENT");
    }

    private static Agreement agreement() {
        return new Agreement("sarah-course", "Sarah x Acme",
                new Agreement.Party("Sarah", List.of("sarah@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example")),
                ACCOUNT, "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 1, 1), null,
                List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), null);
    }
}
