package dev.revshare.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.statements.ClosingJob;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.LambdaSqsPoller;
import dev.revshare.testing.MotoServer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/stripe-reconcile.jar as `sam build` packages it, under Lambda's Java runtime interface client and the Runtime
 * Interface Emulator, with the handler and environment template.yaml gives ReconcileWorkerFunction: the SQS event of a
 * closing job from the reconcile queue (moto), the platform's read-only key from SSM (moto) under the template's
 * default parameter name, Stripe's balance transactions from a fake Stripe API on loopback, the ledger in DynamoDB
 * Local. Proves the shrink rules kept what listing with stripe-java's raw requests needs (its answers and its errors),
 * booking what is missing, the proof kept, and the job forwarded to the statements queue.
 */
class PackagedReconcileJarIT {
    private static final String KEY = "rk_test_reconcile_jar";
    /** Two months back: ended, due and past its patience, whatever day the test runs. */
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
    private static final Agreement AGREEMENT = new Agreement("jar-reconcile", "Jar Reconcile",
            new Agreement.Party("E", List.of("e@example.com")), new Agreement.Party("P", List.of("p@example.com")),
            "acct_1JarReconcile", "usd", ZoneOffset.UTC, MONTH.atDay(1), null,
            List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void aSaleStripeHasAndTheLedgerLacksIsBookedTheProofKeptAndTheJobForwardedForClosing() {
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            Instant soldAt = MONTH.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant();
            JsonNode charge = Json.read(SampleStripeEvents.chargeSucceeded("evt_jar", AGREEMENT.stripeAccount(), "ch_3JarSale",
                    "pi_3JarSale", 29_700, "usd", soldAt, "course", "cus_jar"), JsonNode.class).path("data").path("object");
            stripe.add(FakeStripeBalance.charge("txn_3JarSale", charge));
            World world = world("rie-reconcile", stripe);

            Answer answer = world.worker.invoke(world.job());

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("batchItemFailures").size()).as(answer.body()).isZero();
            assertThat(world.store.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, Instant.now().plusSeconds(60)))
                    .extracting(LedgerLine::stripeId, LedgerLine::amount).containsExactly(org.assertj.core.groups.Tuple.tuple("ch_3JarSale", 29_700L));
            Statement.Reconciliation proof = world.store.statements().reconciliation(AGREEMENT.id(), MONTH).orElseThrow();
            assertThat(proof.status()).isEqualTo(Statement.Reconciliation.Status.RECONCILED);
            assertThat(proof.movements()).isOne();
            assertThat(proof.bookedByReconciliation()).isOne();
            assertThat(world.forwarded()).containsExactly(new ClosingJob(AGREEMENT.id(), MONTH));
            assertThat(stripe.requests()).isNotEmpty().allSatisfy(request -> {
                assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
                assertThat(request.stripeAccount()).isEqualTo(AGREEMENT.stripeAccount());
            });
            List<JsonNode> logLines = jsonLines(world.worker.output());
            assertThat(logLines).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("agreement jar-reconcile reconciled through " + MONTH);
                assertThat(line.path("agreement_id").asText()).isEqualTo(AGREEMENT.id());
                assertThat(line.path("service").asText()).isEqualTo("stripe-reconcile");
            });
            assertThat(logLines).anySatisfy(line -> {
                assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
                assertThat(line.path("MonthsReconciled").asInt()).isOne();
                assertThat(line.path("MonthsClosedUnreconciled").asInt()).isZero();
            });

            // delivered again (a retry of the queue): the month is proven, Stripe is not read again
            int requests = stripe.requests().size();
            assertThat(world.worker.invoke(world.job()).json().path("batchItemFailures").size()).isZero();
            assertThat(stripe.requests()).hasSize(requests);
            assertThat(world.forwarded()).containsExactly(new ClosingJob(AGREEMENT.id(), MONTH));
        }
    }

    /** Stripe's error answers are read by stripe-java's own classes: the shrunk jar keeps them. */
    @Test
    void stripeFailingPastTheMonthsPatienceClosesItWithTheFailureStatedAndCounted() {
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.failAlways(FakeStripeBalance.forbidden());
            World world = world("rie-reconcile-failing", stripe);

            Answer answer = world.worker.invoke(world.job());

            assertThat(answer.json().path("batchItemFailures").size()).as(answer.body()).isZero();
            Statement.Reconciliation proof = world.store.statements().reconciliation(AGREEMENT.id(), MONTH).orElseThrow();
            assertThat(proof.status()).isEqualTo(Statement.Reconciliation.Status.FAILED);
            assertThat(proof.problem()).contains("Stripe refused the key (403", "read access to Balance");
            assertThat(world.forwarded()).containsExactly(new ClosingJob(AGREEMENT.id(), MONTH));
            assertThat(jsonLines(world.worker.output())).anySatisfy(line ->
                    assertThat(line.path("MonthsClosedUnreconciled").asInt()).isOne());
        }
    }

    @Test
    void aMessageThatIsNoClosingJobIsABatchItemFailure() {
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            World world = world("rie-reconcile-bad", stripe);
            MotoServer.get().clients().sqs().sendMessage(b -> b.queueUrl(world.reconcileQueue).messageBody("{\"not\":\"a job\"}"));

            Answer answer = world.worker.invoke(new LambdaSqsPoller(MotoServer.get().clients().sqs(), world.reconcileQueue).receiveEvent(1));

            assertThat(answer.json().path("batchItemFailures").size()).as(answer.body()).isOne();
            assertThat(world.forwarded()).isEmpty();
        }
    }

    private record World(DynamoDbStores store, LambdaRuntimeEmulator worker, String reconcileQueue, String statementsQueue) {
        /** The SQS event of the agreement's closing job, as the daily run queues it and Lambda's poller delivers it. */
        String job() {
            MotoServer.get().clients().sqs().sendMessage(b -> b.queueUrl(reconcileQueue)
                    .messageBody(Json.write(new ClosingJob(AGREEMENT.id(), MONTH))));
            return new LambdaSqsPoller(MotoServer.get().clients().sqs(), reconcileQueue).receiveEvent(1);
        }

        List<ClosingJob> forwarded() {
            List<Message> messages = MotoServer.get().clients().sqs().receiveMessage(b -> b.queueUrl(statementsQueue)
                    .maxNumberOfMessages(10).visibilityTimeout(0)).messages();
            return messages.stream().map(m -> Json.read(m.body(), ClosingJob.class)).distinct().toList();
        }
    }

    private World world(String table, FakeStripeBalance stripe) {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(lambda.template().parameterDefault("StripeApiKeyParameterName"))
                .type(ParameterType.SECURE_STRING).value(KEY));
        String reconcileQueue = moto.clients().sqs().createQueue(b -> b.queueName(table + "-reconcile")).queueUrl();
        String statementsQueue = moto.clients().sqs().createQueue(b -> b.queueName(table + "-statements")).queueUrl();
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        store.agreements().put(AGREEMENT, MONTH.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(86_400));
        Map<String, String> local = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, dynamo));
        local.put("STRIPE_API_BASE", stripe.baseUrl());
        LambdaRuntimeEmulator worker = lambda.start("ReconcileWorkerFunction",
                Map.of("RevshareTable", table, "StatementsQueue", statementsQueue), local);
        return new World(store, worker, reconcileQueue, statementsQueue);
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }
}
