package dev.revshare.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiEvents;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiListing;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestAgreements;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daily sweep's handler on events/delivery-sweep/scheduled.json, with DynamoDB Local and the fake Stripe API of
 * DeliverySweepTest, and Powertools as in Lambda (surefire sets the environment Lambda and template.yaml set): what
 * Stripe could not deliver is booked once, what the sweep found is counted in EMF, an endpoint problem is logged and
 * counted without failing the invocation, a partial failure is counted and logged once, and only a sweep that could
 * sweep nothing fails the invocation (so that Lambda retries it and the on-failure queue keeps it).
 */
class DeliverySweepFunctionTest {
    private static final Agreement SARAH = TestAgreements.sarahMindfulness();
    private static final Agreement CEDAR = TestAgreements.sarahCourse("acct_1CedarExample");
    private static final String ACCOUNT = SARAH.stripeAccount();
    /** The event file's time: the sweep covers Stripe's 30 days before it. */
    private static final Instant NOW = Instant.parse("2026-11-05T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String WEBHOOK_URL = "https://abc123xyz.lambda-url.eu-west-1.on.aws/";
    private static final String PLATFORM_KEY = "rk_test_platform_sweep_function";
    private static final StripeApiKeys PLATFORM = agreement -> new StripeApiKeys.ApiKey(PLATFORM_KEY, agreement.stripeAccount());

    private static final String SALE_A = SampleStripeEvents.chargeSucceeded("evt_3FnSaleA", ACCOUNT, "ch_3FnSaleA", "pi_3FnSaleA",
            29_700, "usd", Instant.parse("2026-10-20T10:00:00Z"), "course", "cus_FnA");
    private static final String SALE_B = SampleStripeEvents.chargeSucceeded("evt_3FnSaleB", ACCOUNT, "ch_3FnSaleB", "pi_3FnSaleB",
            4_900, "usd", Instant.parse("2026-10-21T10:00:00Z"), "course", "cus_FnB");
    private static final String REFUND_B = SampleStripeEvents.chargeRefunded("evt_3FnRefundB", ACCOUNT, "ch_3FnSaleB",
            "pi_3FnSaleB", 4_900, 1_900, "usd", Instant.parse("2026-10-21T10:00:00Z"), Instant.parse("2026-10-23T09:00:00Z"),
            "course", "cus_FnB");
    private static final String CEDAR_SALE = SampleStripeEvents.chargeSucceeded("evt_3FnCedarSale", CEDAR.stripeAccount(),
            "ch_3FnCedarSale", "pi_3FnCedarSale", 8_000, "usd", Instant.parse("2026-10-26T10:00:00Z"), "course", "cus_FnCedar");

    private final FakeStripeBalance stripe = new FakeStripeBalance();
    private final List<Long> waits = new ArrayList<>();

    @AfterEach
    void stopFake() {
        stripe.close();
    }

    @Test
    void whatStripeCouldNotDeliverIsBookedOnceAndCountedInEmf() {
        stripe.addEvent(SALE_A, true).addEvent(SALE_B, false).addEvent(REFUND_B, false);
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe", true, "*");
        DynamoDbStores stores = store(SARAH);
        deliver(stores, SALE_A);
        DeliverySweepFunction function = function(stores, PLATFORM);

        Invocation first = invoke(function, "req-sweep-1");

        assertThat(first.answer()).containsEntry("undeliveredFound", 2).containsEntry("undeliveredBooked", 2L)
                .containsEntry("failures", 0L).containsEntry("endpointProblems", 0L).containsEntry("problems", List.of());
        assertThat((String) first.answer().get("summary")).isEqualTo("delivery sweep: 2 undelivered event(s) in 1 account(s) "
                + "since 2026-10-06T04:00:00Z: 2 booked, 0 duplicate(s), 0 ignored, 0 set aside, 0 failed; webhook endpoints: 1 enabled");
        assertThat(lines(stores, SARAH.id())).extracting(LedgerLine::stripeId, LedgerLine::amount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ch_3FnSaleA", 29_700L), org.assertj.core.groups.Tuple.tuple("ch_3FnSaleB", 4_900L),
                org.assertj.core.groups.Tuple.tuple("ch_3FnSaleB", -1_900L));
        JsonNode metrics = first.metrics();
        JsonNode directive = metrics.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("revshare");
        assertThat(directive.path("Metrics")).extracting(m -> m.path("Name").asText()).containsExactlyInAnyOrder(
                "UndeliveredEventsFound", "UndeliveredEventsBooked", "SweepFailures", "WebhookEndpointProblems");
        assertThat(directive.path("Metrics")).allSatisfy(m -> assertThat(m.path("Unit").asText()).isEqualTo("Count"));
        assertThat(directive.path("Dimensions").path(0)).extracting(JsonNode::asText).containsExactly("Service");
        assertThat(metrics.path("UndeliveredEventsFound").asInt()).isEqualTo(2);
        assertThat(metrics.path("UndeliveredEventsBooked").asInt()).isEqualTo(2);
        assertThat(metrics.path("SweepFailures").asInt()).isZero();
        assertThat(metrics.path("WebhookEndpointProblems").asInt()).isZero();
        assertThat(first.logLines()).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("delivery sweep: 2 undelivered event(s)");
            assertThat(line.path("function_request_id").asText()).isEqualTo("req-sweep-1");
            assertThat(line.path("level").asText()).isEqualTo("INFO");
        });

        // the next day: Stripe still lists them (it keeps events 30 days); they are duplicates, nothing is booked twice
        Invocation again = invoke(function, "req-sweep-2");

        assertThat(again.answer()).containsEntry("undeliveredFound", 2).containsEntry("undeliveredBooked", 0L);
        assertThat(again.metrics().path("UndeliveredEventsBooked").asInt()).isZero();
        assertThat(lines(stores, SARAH.id())).hasSize(3);
        assertThat(first.output() + again.output()).doesNotContain(PLATFORM_KEY);
    }

    @Test
    void aDisabledEndpointIsLoggedAndCountedAndTheInvocationSucceeds() {
        stripe.addEvent(SALE_B, false);
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe", false, "*");
        DynamoDbStores stores = store(SARAH);

        Invocation invocation = invoke(function(stores, PLATFORM), "req-sweep-disabled");

        assertThat(invocation.answer()).containsEntry("endpointProblems", 1L).containsEntry("undeliveredBooked", 1L)
                .containsEntry("failures", 0L);
        assertThat(invocation.metrics().path("WebhookEndpointProblems").asInt()).isOne();
        assertThat(invocation.metrics().path("SweepFailures").asInt()).isZero();
        assertThat(invocation.logLines()).filteredOn(line -> line.path("message").asText().startsWith("webhook endpoint of"))
                .singleElement().satisfies(line -> {
                    assertThat(line.path("level").asText()).isEqualTo("WARN");
                    assertThat(line.path("message").asText()).contains("[sarah-mindfulness]", "we_3Revshare",
                            WEBHOOK_URL + "stripe", "is disabled", "Developers > Webhooks");
                });
        assertThat(lines(stores, SARAH.id())).singleElement().satisfies(line -> assertThat(line.stripeId()).isEqualTo("ch_3FnSaleB"));
    }

    @Test
    void stripeFailingForOneAccountIsCountedAndLoggedOnceWhileTheOthersAreSwept() {
        stripe.addEvent(SALE_B, false).addEvent(CEDAR_SALE, false);
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe", true, "*");
        stripe.failWhenAsked(request -> ACCOUNT.equals(request.stripeAccount()), FakeStripeBalance.forbidden());
        DynamoDbStores stores = store(SARAH, CEDAR);

        Invocation invocation = invoke(function(stores, PLATFORM), "req-sweep-partial");

        assertThat(invocation.answer()).containsEntry("undeliveredBooked", 1L).containsEntry("failures", 1L);
        assertThat((List<?>) invocation.answer().get("problems")).singleElement().asString()
                .startsWith("sarah-mindfulness: ").contains("Stripe refused the key (403", "read access to Events");
        assertThat(invocation.metrics().path("SweepFailures").asInt()).isOne();
        assertThat(invocation.metrics().path("UndeliveredEventsBooked").asInt()).isOne();
        assertThat(lines(stores, CEDAR.id())).singleElement().satisfies(line -> assertThat(line.stripeId()).isEqualTo("ch_3FnCedarSale"));
        assertThat(lines(stores, SARAH.id())).isEmpty();
        // once, with its stack trace, where it was handled
        assertThat(invocation.logLines()).filteredOn(line -> line.path("message").asText().contains("403"))
                .singleElement().satisfies(line -> {
                    assertThat(line.path("level").asText()).isEqualTo("ERROR");
                    assertThat(line.path("message").asText()).startsWith("delivery sweep of [sarah-mindfulness]");
                    assertThat(line.path("error").path("stack").asText()).contains("ListingFailedException");
                });
        assertThat(invocation.output()).doesNotContain(PLATFORM_KEY);
    }

    @Test
    void whenStripeFailsForEveryAccountTheInvocationFailsAfterCountingIt() {
        stripe.addEvent(SALE_B, false).addEvent(CEDAR_SALE, false);
        stripe.failAlways(FakeStripeBalance.forbidden());
        DynamoDbStores stores = store(SARAH, CEDAR);
        DeliverySweepFunction function = function(stores, PLATFORM);
        ScheduledEvent event = scheduled();

        String output = stdout(() -> assertThatThrownBy(() -> function.handleRequest(event, context("req-sweep-failed")))
                .isInstanceOf(DeliverySweepFunction.SweepFailedException.class)
                .hasMessageContaining("nothing could be swept")
                .hasMessageContaining("sarah-mindfulness: listing undelivered events failed")
                .hasMessageContaining("sarah-course: listing undelivered events failed")
                .hasMessageContaining("read access to Events")
                .hasMessageContaining("invoke the function again: nothing is booked twice"));

        JsonNode metrics = emf(output);
        assertThat(metrics.path("SweepFailures").asInt()).as("both accounts and the endpoints' listing").isEqualTo(3);
        assertThat(metrics.path("UndeliveredEventsBooked").asInt()).isZero();
        assertThat(lines(stores, SARAH.id())).isEmpty();
        assertThat(lines(stores, CEDAR.id())).isEmpty();
        assertThat(output).doesNotContain(PLATFORM_KEY);
    }

    @Test
    void whenTheStoreIsDownTheInvocationFails() {
        DynamoDbStores missing = DynamoDbStores.over(LocalDynamoDb.client(), "revshare-no-such-table");
        DeliverySweepFunction function = new DeliverySweepFunction(sweep(missing, PLATFORM), DeliverySweep.STRIPE_KEEPS_EVENTS,
                CLOCK, PowertoolsTelemetry.fromEnvironment());
        ScheduledEvent event = scheduled();

        String output = stdout(() -> assertThatThrownBy(() -> function.handleRequest(event, context("req-sweep-store")))
                .isInstanceOf(DeliverySweepFunction.SweepFailedException.class)
                .hasMessageContaining("delivery sweep failed: the store failed while reading the agreements"));

        assertThat(emf(output).path("SweepFailures").asInt()).isOne();
        assertThat(stripe.requests()).isEmpty();
    }

    @Test
    void agreementsWithoutAKeyAreNotSweptAndThatIsNoFailure() {
        stripe.addEvent(SALE_B, false);
        DynamoDbStores stores = store(SARAH);

        Invocation invocation = invoke(function(stores, StripeApiKeys.NONE), "req-sweep-nokey");

        assertThat(invocation.answer()).containsEntry("undeliveredFound", 0).containsEntry("failures", 0L);
        assertThat(invocation.logLines()).anySatisfy(line ->
                assertThat(line.path("message").asText()).isEqualTo("not swept, no Stripe API key in SSM: [sarah-mindfulness]"));
        assertThat(stripe.requests()).isEmpty();
        assertThat(lines(stores, SARAH.id())).isEmpty();
    }

    @Test
    void theLookBackIsTheConfiguredNumberOfDays() {
        stripe.addEvent(SALE_B, false); // 2026-10-21: within 30 days of the sweep, not within 7
        DynamoDbStores stores = store(SARAH);
        DeliverySweepFunction lastWeek = new DeliverySweepFunction(sweep(stores, PLATFORM), Duration.ofDays(7), CLOCK,
                Telemetry.LOGS_ONLY);

        Map<String, Object> answer = lastWeek.handleRequest(scheduled(), null);

        assertThat(answer).containsEntry("undeliveredFound", 0);
        assertThat(stripe.requests()).first().satisfies(request -> assertThat(request.pathAndQuery())
                .startsWith("/v1/events?created[gte]=" + NOW.minus(Duration.ofDays(7)).getEpochSecond() + "&delivery_success=false"));
        assertThat(lines(stores, SARAH.id())).isEmpty();
    }

    // ---------------------------------------------------------------- wiring

    private DeliverySweepFunction function(DynamoDbStores stores, StripeApiKeys keys) {
        return new DeliverySweepFunction(sweep(stores, keys), DeliverySweep.STRIPE_KEEPS_EVENTS, CLOCK,
                PowertoolsTelemetry.fromEnvironment());
    }

    /** As DeliverySweep.withStripeApi wires it, with Stripe's waits recorded rather than slept. */
    private DeliverySweep sweep(DynamoDbStores stores, StripeApiKeys keys) {
        StripeApiListing.Policy fast = new StripeApiListing.Policy(Duration.ofSeconds(2), Duration.ofMillis(500), 2, 3,
                Duration.ofSeconds(30), waits::add);
        return new DeliverySweep(stores.agreements(), stores.bookings(),
                new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK), keys,
                new StripeApiEvents(new StripeApiListing(stripe.baseUrl(), fast)), WEBHOOK_URL, CLOCK);
    }

    private static DynamoDbStores store(Agreement... agreements) {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        for (Agreement agreement : agreements) {
            stores.agreements().put(agreement, Instant.parse("2025-10-20T12:00:00Z"));
        }
        return stores;
    }

    /** Delivered as the platform's webhook endpoint books them. */
    private static void deliver(DynamoDbStores stores, String... events) {
        EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
        for (String event : events) {
            assertThat(router.route(null, StripeEvent.parse(event)).outcome()).isEqualTo(Outcome.RECORDED);
        }
    }

    private static List<LedgerLine> lines(DynamoDbStores stores, String agreementId) {
        return stores.ledger().recordedBetween(agreementId, Instant.EPOCH, NOW.plusSeconds(1));
    }

    private static ScheduledEvent scheduled() {
        return EventLoader.loadScheduledEvent("../../events/delivery-sweep/scheduled.json");
    }

    // ---------------------------------------------------------------- what the invocation wrote

    private record Invocation(Map<String, Object> answer, String output) {
        List<JsonNode> logLines() {
            return json(output).stream().filter(line -> !line.has("_aws")).toList();
        }

        JsonNode metrics() {
            return emf(output);
        }
    }

    private static Invocation invoke(DeliverySweepFunction function, String requestId) {
        ScheduledEvent event = scheduled();
        List<Map<String, Object>> answer = new ArrayList<>();
        String output = stdout(() -> answer.add(function.handleRequest(event, context(requestId))));
        return new Invocation(answer.get(0), output);
    }

    /** The invocation's one EMF line. */
    private static JsonNode emf(String output) {
        List<JsonNode> metrics = json(output).stream().filter(line -> line.has("_aws")).toList();
        assertThat(metrics).as(output).hasSize(1);
        return metrics.get(0);
    }

    private static List<JsonNode> json(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }

    /** What the handler wrote to stdout (log lines and EMF both go there, as in Lambda). */
    private static String stdout(Runnable handling) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handling.run();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    private static Context context(String requestId) {
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/revshare-DeliverySweepFunction"; }
            @Override public String getLogStreamName() { return "2026/11/05/[1]abc"; }
            @Override public String getFunctionName() { return "revshare-DeliverySweepFunction"; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:revshare-DeliverySweepFunction:live"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 900_000; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
