package dev.revshare.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.RecordedStripeApi;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/stripe-reconcile.jar as `sam build` packages it for DeliverySweepFunction, under Lambda's Java runtime
 * interface client and the Runtime Interface Emulator, with the handler and environment template.yaml gives it
 * (WEBHOOK_URL, the webhook's Function URL, named here): events/delivery-sweep/scheduled.json as the schedule sends
 * it, the platform's read-only key from SSM (moto) under the template's default parameter name, Stripe's undelivered
 * events and webhook endpoints from a fake Stripe API on loopback, the ledger in DynamoDB Local. Proves the handler
 * name, the runtime's reading of the scheduled event, and that the shrunk jar keeps what the sweep's listings, its
 * booking and Stripe's errors need; its EMF and JSON log lines.
 */
class PackagedSweepJarIT {
    private static final String KEY = "rk_test_sweep_jar";
    private static final String ACCOUNT = "acct_1JarSweep";
    private static final String WEBHOOK_URL = "https://jarsweep.lambda-url.us-east-1.on.aws/";
    private static final Agreement AGREEMENT = new Agreement("jar-sweep", "Jar Sweep",
            new Agreement.Party("E", List.of("e@example.com")), new Agreement.Party("P", List.of("p@example.com")),
            ACCOUNT, "usd", ZoneOffset.UTC, LocalDate.of(2025, 1, 1), null,
            List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void whatStripeCouldNotDeliverIsBookedOnceAndCounted() {
        // the function sweeps Stripe's last 30 days before now
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String sale = SampleStripeEvents.chargeSucceeded("evt_3JarSweepSale", ACCOUNT, "ch_3JarSweepSale", "pi_3JarSweepSale",
                29_700, "usd", now.minus(Duration.ofDays(5)), "course", "cus_JarSweep");
        String refund = SampleStripeEvents.chargeRefunded("evt_3JarSweepRefund", ACCOUNT, "ch_3JarSweepSale", "pi_3JarSweepSale",
                29_700, 9_700, "usd", now.minus(Duration.ofDays(5)), now.minus(Duration.ofDays(3)), "course", "cus_JarSweep");
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.addEvent(sale, false).addEvent(refund, false);
            stripe.addWebhookEndpoint("we_3JarSweep", WEBHOOK_URL + "stripe", true, "*");
            World world = world("rie-sweep", stripe);

            Answer answer = world.sweep.invoke(scheduledEvent());

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("undeliveredFound").asInt()).as(answer.body()).isEqualTo(2);
            assertThat(answer.json().path("undeliveredBooked").asInt()).isEqualTo(2);
            assertThat(answer.json().path("failures").asInt()).isZero();
            assertThat(answer.json().path("endpointProblems").asInt()).isZero();
            assertThat(world.lines()).extracting(LedgerLine::stripeId, LedgerLine::amount).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("ch_3JarSweepSale", 29_700L),
                    org.assertj.core.groups.Tuple.tuple("ch_3JarSweepSale", -9_700L));
            assertThat(stripe.requests()).isNotEmpty().allSatisfy(request ->
                    assertThat(request.authorization()).isEqualTo("Bearer " + KEY));
            // the account's undelivered events, the platform's endpoints; and, as the webhook's booking path does with a
            // key, its lookups of what an event may lack (the fake has none to give: the events carry what booking needs)
            List<RecordedStripeApi.Request> requests = stripe.requests();
            assertThat(requests.get(0).pathAndQuery()).startsWith("/v1/events?created[gte]=").contains("delivery_success=false");
            assertThat(requests.get(requests.size() - 1).pathAndQuery()).startsWith("/v1/webhook_endpoints?");
            assertThat(requests.get(requests.size() - 1).stripeAccount()).isNull();
            assertThat(requests.subList(0, requests.size() - 1)).allSatisfy(request ->
                    assertThat(request.stripeAccount()).isEqualTo(ACCOUNT));
            List<JsonNode> output = jsonLines(world.sweep.output());
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("delivery sweep: 2 undelivered event(s) in 1 account(s)");
                assertThat(line.path("service").asText()).isEqualTo("delivery-sweep");
                assertThat(line.path("function_request_id").asText()).isNotEmpty();
            });
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
                assertThat(line.path("Service").asText()).isEqualTo("delivery-sweep");
                assertThat(line.path("UndeliveredEventsFound").asInt()).isEqualTo(2);
                assertThat(line.path("UndeliveredEventsBooked").asInt()).isEqualTo(2);
                assertThat(line.path("SweepFailures").asInt()).isZero();
                assertThat(line.path("WebhookEndpointProblems").asInt()).isZero();
            });

            // the next day's sweep: Stripe still lists them, nothing is booked twice
            Answer again = world.sweep.invoke(scheduledEvent());

            assertThat(again.json().path("undeliveredBooked").asInt()).as(again.body()).isZero();
            assertThat(world.lines()).hasSize(2);
            assertThat(world.sweep.output()).doesNotContain(KEY);
        }
    }

    @Test
    void aDisabledEndpointIsCountedAndNamedInTheLog() {
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.addWebhookEndpoint("we_3JarSweep", WEBHOOK_URL + "stripe", false, "*");
            World world = world("rie-sweep-disabled", stripe);

            Answer answer = world.sweep.invoke(scheduledEvent());

            assertThat(answer.json().path("endpointProblems").asInt()).as(answer.body()).isOne();
            List<JsonNode> output = jsonLines(world.sweep.output());
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("WARN");
                assertThat(line.path("message").asText()).startsWith("webhook endpoint of [jar-sweep]: Stripe's endpoint we_3JarSweep for "
                        + WEBHOOK_URL + "stripe is disabled");
            });
            assertThat(output).anySatisfy(line -> assertThat(line.path("WebhookEndpointProblems").asInt()).isOne());
        }
    }

    /** Stripe's error answers are read by stripe-java's own classes: the shrunk jar keeps them. */
    @Test
    void stripeRefusingTheKeyForEveryAccountFailsTheInvocationAfterCountingIt() {
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.failAlways(FakeStripeBalance.forbidden());
            World world = world("rie-sweep-failing", stripe);

            Answer answer = world.sweep.invoke(scheduledEvent());

            assertThat(answer.json().path("errorType").asText()).as(answer.body())
                    .isEqualTo("dev.revshare.functions.reconcile.DeliverySweepFunction$SweepFailedException");
            assertThat(answer.json().path("errorMessage").asText()).contains("nothing could be swept",
                    "jar-sweep: listing undelivered events failed", "Stripe refused the key (403", "read access to Events");
            List<JsonNode> output = jsonLines(world.sweep.output());
            assertThat(output).anySatisfy(line -> assertThat(line.path("SweepFailures").asInt()).isEqualTo(2));
            assertThat(output).filteredOn(line -> line.path("message").asText().startsWith("delivery sweep of [jar-sweep]"))
                    .singleElement().satisfies(line -> assertThat(line.path("error").path("stack").asText())
                            .contains("dev.revshare.stripe.ListingFailedException"));
            assertThat(world.lines()).isEmpty();
            assertThat(world.sweep.output()).doesNotContain(KEY);
        }
    }

    private record World(DynamoDbStores store, LambdaRuntimeEmulator sweep) {
        List<LedgerLine> lines() {
            return store.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, Instant.now().plusSeconds(60));
        }
    }

    private World world(String table, FakeStripeBalance stripe) {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(lambda.template().parameterDefault("StripeApiKeyParameterName"))
                .type(ParameterType.SECURE_STRING).value(KEY));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        store.agreements().put(AGREEMENT, Instant.parse("2025-01-01T00:00:00Z"));
        Map<String, String> local = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, dynamo));
        local.put("STRIPE_API_BASE", stripe.baseUrl());
        LambdaRuntimeEmulator sweep = lambda.start("DeliverySweepFunction",
                Map.of("RevshareTable", table, "StripeWebhookFunctionUrl.FunctionUrl", WEBHOOK_URL), local);
        return new World(store, sweep);
    }

    /** The "Scheduled Event" the schedule sends (template.yaml's Input), as the event file holds it. */
    private String scheduledEvent() {
        try {
            return Files.readString(lambda.template().directory().resolve("events/delivery-sweep/scheduled.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }
}
