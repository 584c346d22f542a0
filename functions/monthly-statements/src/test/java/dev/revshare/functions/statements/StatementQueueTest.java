package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.aws.SqsClosingQueue;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.statements.ClosingDispatch;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.ClosingQueue;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.store.StatementStore;
import dev.revshare.testing.LambdaSqsPoller;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.TestLedger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A closing day on the stack's shape: the scheduled function queues one message per agreement due on a real queue
 * (moto's SQS, with the template's redrive policy), Lambda's event source is played by {@link LambdaSqsPoller}, and
 * the worker takes the real {@link SQSEvent}, read by the Lambda runtime's own serializer. DynamoDB Local holds the
 * statements; moto's SES takes the emails.
 */
class StatementQueueTest {
    private static final String EVENTS = "../../events/";
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-statements";
    private static final Instant CLOSING_DAY = Instant.parse("2026-11-05T06:00:03Z");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();
    private static final SqsClient sqs = aws.sqs();

    private DynamoDbStores store;
    private String queueUrl;
    private String deadLetterUrl;

    @BeforeEach
    void freshTableQueuesAndEmulator() {
        store = LocalDynamoDb.newStore();
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name(BUS));
        deadLetterUrl = sqs.createQueue(b -> b.queueName("statements-dead-letters")).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        // as template.yaml's StatementsQueue: five receives, then the dead-letter queue
        queueUrl = sqs.createQueue(b -> b.queueName("statements").attributesWithStrings(Map.of(
                "VisibilityTimeout", "1800",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"5\"}"))).queueUrl();
    }

    @Test
    void scheduledRunQueuesOneMessagePerAgreementDueAndNoneOnAClosedDay() {
        List<String> ids = agreements(12);

        Map<String, Object> answer = dispatcher().handleRequest(scheduled(), null);

        assertThat(answer).containsEntry("queued", 12).containsEntry("summary", "12 agreements queued for closing");
        assertThat((List<?>) answer.get("jobs")).hasSize(12);
        assertThat(moto.sentRawMessages()).as("the scheduled run sends nothing itself").isEmpty();
        List<ClosingJob> queued = drainBodies();
        assertThat(queued).extracting(ClosingJob::agreementId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(queued).extracting(ClosingJob::through).containsOnly(OCTOBER);

        // the worker closes them; the same day's run again (Lambda's retry, a person's re-run) finds nothing due
        for (ClosingJob job : queued) {
            run().close(job);
        }
        Map<String, Object> again = dispatcher().handleRequest(scheduled(), null);
        assertThat(again).containsEntry("queued", 0);
        assertThat(LambdaSqsPoller.depth(sqs, queueUrl)).isZero();
    }

    @Test
    void workerReportsOnlyTheFailingAgreementAsABatchItemFailureAndClosesTheOthers() {
        List<String> ids = agreements(4);
        agreement("broken-address", "nobody");
        dispatcher().handleRequest(scheduled(), null);
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queueUrl);

        SQSEvent event = sqsEvent(poller.receiveEvent(10));
        SQSBatchResponse response = worker().handleRequest(event, null);
        List<String> failed = failedIds(response);
        poller.settle(failed);

        assertThat(event.getRecords()).hasSize(5);
        String brokenMessage = event.getRecords().stream()
                .filter(m -> Json.read(m.getBody(), ClosingJob.class).agreementId().equals("broken-address"))
                .findFirst().orElseThrow().getMessageId();
        assertThat(failed).containsExactly(brokenMessage);
        // four statements to both parties, and the broken agreement's partner, whose address is fine
        assertThat(moto.sentRawMessages()).hasSize(9)
                .allSatisfy(sent -> assertThat(sent.destinations()).doesNotContain("nobody"));
        for (String id : ids) {
            assertThat(status(id)).isEqualTo(StatementStore.Status.SENT);
        }
        assertThat(status("broken-address")).isEqualTo(StatementStore.Status.FAILED);
        assertThat(LambdaSqsPoller.depth(sqs, queueUrl)).as("only the failed message is left, to be delivered again").isOne();
    }

    @Test
    void aFailingAgreementLandsInTheDeadLetterQueueAfterFiveDeliveriesAndIsSentOnceWhenMovedBack() {
        agreements(1);
        agreement("broken-address", "nobody");
        dispatcher().handleRequest(scheduled(), null);
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queueUrl);

        int deliveries = 0;
        for (String json; (json = poller.receiveEvent(10)) != null && deliveries < 20; deliveries++) {
            poller.settle(failedIds(worker().handleRequest(sqsEvent(json), null)));
        }

        assertThat(deliveries).as("the first delivery and four more").isEqualTo(5);
        // the healthy agreement's two messages, and the broken one's partner's once (not again on each delivery)
        assertThat(moto.sentRawMessages()).hasSize(3);
        LambdaSqsPoller deadLetters = new LambdaSqsPoller(sqs, deadLetterUrl);
        SQSEvent dead = sqsEvent(deadLetters.receiveEvent(10));
        assertThat(dead.getRecords()).singleElement().satisfies(m ->
                assertThat(Json.read(m.getBody(), ClosingJob.class)).isEqualTo(new ClosingJob("broken-address", OCTOBER)));

        // the address corrected and the message moved back (a redrive): sent, once; the healthy one is not sent again
        agreement("broken-address", "sarah.lee@example.org");
        SQSBatchResponse redriven = worker().handleRequest(dead, null);
        assertThat(redriven.getBatchItemFailures()).isEmpty();
        assertThat(moto.sentRawMessages()).hasSize(4);
        assertThat(moto.sentRawMessages().get(3).destinations()).containsExactly("sarah.lee@example.org");
    }

    @Test
    void aRedeliveredMessageSendsNothingTwice() {
        agreement("sarah-mindfulness", "sarah@example.com");
        // the sample event, as `sam local generate-event sqs receive-message` writes it, with a ClosingJob body
        SQSEvent event = EventLoader.loadSQSEvent(EVENTS + "statement-worker/closing-job.json");
        StatementWorkerFunction worker = worker();

        SQSBatchResponse first = worker.handleRequest(event, null);
        SQSBatchResponse again = worker.handleRequest(event, null);

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(moto.sentRawMessages()).extracting(sent -> sent.destinations())
                .containsExactly(List.of("sarah@example.com"), List.of("books@dalai.example"));
        assertThat(status("sarah-mindfulness")).isEqualTo(StatementStore.Status.SENT);
    }

    @Test
    void aMessageThatIsNotAClosingJobIsABatchItemFailureAndTheOthersAreClosed() {
        agreement("sarah-mindfulness", "sarah@example.com");
        SQSEvent event = EventLoader.loadSQSEvent(EVENTS + "statement-worker/closing-job.json");
        SQSEvent.SQSMessage garbled = new SQSEvent.SQSMessage();
        garbled.setMessageId("not-a-job");
        garbled.setBody("{\"agreementId\": \"sarah-mindfulness\"}");
        List<SQSEvent.SQSMessage> records = new ArrayList<>(event.getRecords());
        records.add(0, garbled);
        event.setRecords(records);

        SQSBatchResponse response = worker().handleRequest(event, null);

        assertThat(failedIds(response)).containsExactly("not-a-job");
        assertThat(moto.sentRawMessages()).hasSize(2);
    }

    @Test
    void aRunThatCannotQueueFailsSoLambdaRetriesItAndNothingIsSent() {
        agreements(3);
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));

        assertThatThrownBy(() -> dispatcher().handleRequest(scheduled(), null))
                .isInstanceOf(ClosingQueue.NotQueuedException.class)
                .hasMessageStartingWith("3 of 3 agreements could not be queued for closing: [agreement-01 2026-10, ");
        assertThat(moto.sentRawMessages()).isEmpty();
    }

    /**
     * The closing day end to end: the schedule's event, the scheduled function (invoked twice, as Lambda's retry
     * would: every agreement queued twice), the queue, the worker in batches of five with Powertools: every
     * statement sent exactly once, one log line per agreement naming it, the batches' counts in EMF.
     */
    @Test
    void closingDayFromTheScheduleToTheLastEmailSendsEveryStatementExactlyOnce() {
        List<String> ids = agreements(23);
        MonthlyStatementsFunction dispatcher = dispatcher();
        dispatcher.handleRequest(scheduled(), null);
        dispatcher.handleRequest(scheduled(), null);
        assertThat(LambdaSqsPoller.depth(sqs, queueUrl)).isEqualTo(46);

        StatementWorkerFunction worker = new StatementWorkerFunction(run(), PowertoolsTelemetry.fromEnvironment());
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queueUrl);
        String output = capturingStdout(() -> {
            for (String json; (json = poller.receiveEvent(5)) != null; ) {
                SQSBatchResponse response = worker.handleRequest(sqsEvent(json), null);
                assertThat(response.getBatchItemFailures()).isEmpty();
                poller.settle(failedIds(response));
            }
        });

        assertThat(LambdaSqsPoller.depth(sqs, queueUrl)).isZero();
        assertThat(moto.sentRawMessages()).as("23 statements, a message to each party").hasSize(46);
        assertThat(moto.sentRawMessages()).flatExtracting(m -> m.destinations())
                .filteredOn(address -> address.startsWith("expert-"))
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "expert-" + id + "@example.com").toList());
        for (String id : ids) {
            assertThat(status(id)).isEqualTo(StatementStore.Status.SENT);
        }
        List<JsonNode> lines = output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
        List<JsonNode> closedLines = lines.stream().filter(line -> line.path("message").asText().contains(" closed through ")).toList();
        assertThat(closedLines).as(output).hasSize(46);
        assertThat(closedLines).extracting(line -> line.path("agreement_id").asText()).containsOnly(ids.toArray(String[]::new));
        assertThat(closedLines).allSatisfy(line -> assertThat(line.path("service").asText()).isEqualTo("monthly-statements"));
        assertThat(closedLines).filteredOn(line -> line.path("agreement_id").asText().equals("agreement-07"))
                .extracting(line -> line.path("message").asText()).anyMatch(m -> m.endsWith("2026-10 sent"))
                .anyMatch(m -> m.contains("2026-10 already_sent"));
        // one EMF document per batch of five: the 23 sent, and the 23 second messages found sent already
        List<JsonNode> metrics = lines.stream().filter(line -> line.has("_aws")).toList();
        assertThat(metrics).hasSize(10);
        assertThat(metrics.stream().mapToInt(m -> m.path("StatementsSent").asInt()).sum()).isEqualTo(23);
        assertThat(metrics.stream().mapToInt(m -> m.path("StatementsAlreadySent").asInt()).sum()).isEqualTo(23);
        assertThat(metrics.stream().mapToInt(m -> m.path("StatementsFailed").asInt()).sum()).isZero();

        assertThat(dispatcher.handleRequest(scheduled(), null)).containsEntry("queued", 0);
    }

    // ---------------------------------------------------------------- helpers

    private MonthlyStatementsFunction dispatcher() {
        return new MonthlyStatementsFunction(new ClosingDispatch(run(), new SqsClosingQueue(sqs, queueUrl)),
                Clock.fixed(CLOSING_DAY, ZoneOffset.UTC), Telemetry.LOGS_ONLY);
    }

    private StatementWorkerFunction worker() {
        return new StatementWorkerFunction(run());
    }

    private MonthlyStatementRun run() {
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), new SesStatementMailer(aws.sesV2()),
                new EventBridgeStatementPublisher(aws.eventBridge(), BUS), SENDER, Clock.fixed(CLOSING_DAY, ZoneOffset.UTC),
                MonthlyStatementRun.DEFAULT_GRACE);
    }

    private static ScheduledEvent scheduled() {
        return EventLoader.loadScheduledEvent(EVENTS + "monthly-statements/scheduled.json");
    }

    /** The SQS event as Lambda's java21 runtime reads it into the handler's type. */
    private static SQSEvent sqsEvent(String json) {
        assertThat(json).as("a batch was received").isNotNull();
        return LambdaEventSerializers.serializerFor(SQSEvent.class, StatementQueueTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** Every message on the queue, received and deleted. */
    private List<ClosingJob> drainBodies() {
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queueUrl);
        List<ClosingJob> jobs = new ArrayList<>();
        for (String json; (json = poller.receiveEvent(10)) != null; ) {
            sqsEvent(json).getRecords().forEach(m -> jobs.add(Json.read(m.getBody(), ClosingJob.class)));
            poller.settle(List.of());
        }
        return jobs;
    }

    private StatementStore.Status status(String agreementId) {
        return store.statements().findWithoutLines(agreementId, OCTOBER).orElseThrow().status();
    }

    private List<String> agreements(int count) {
        List<String> ids = IntStream.rangeClosed(1, count).mapToObj(i -> String.format("agreement-%02d", i)).toList();
        ids.forEach(id -> agreement(id, "expert-" + id + "@example.com"));
        return ids;
    }

    private void agreement(String id, String expertEmail) {
        store.agreements().put(new Agreement(id, "Expert " + id + " x Dalai Digital",
                new Agreement.Party("Expert " + id, List.of(expertEmail)),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_" + id, "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null), Instant.parse("2026-09-15T00:00:00Z"));
        if (store.ledger().recordedBetween(id, Instant.EPOCH, CLOSING_DAY).isEmpty()) {
            Instant at = Instant.parse("2026-10-14T16:20:05Z");
            TestLedger.record(store.bookings(), new LedgerLine(id, "pi_" + id, "ch_" + id, LineType.SALE, 29_700, "usd", at, at,
                    at.plusSeconds(1), "course", "cus_1", "evt_" + id));
        }
    }

    private static String capturingStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
