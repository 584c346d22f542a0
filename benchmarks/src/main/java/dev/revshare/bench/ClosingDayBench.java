package dev.revshare.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.LedgerSeeding;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.aws.SqsClosingQueue;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.functions.statements.MonthlyStatementsFunction;
import dev.revshare.functions.statements.StatementWorkerFunction;
import dev.revshare.functions.statements.Telemetry;
import dev.revshare.statements.ClosingDispatch;
import dev.revshare.statements.ClosingQueue;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import dev.revshare.store.StatementStore;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaSqsPoller;
import dev.revshare.testing.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A closing day of thousands of agreements, on the parts the stack runs on: DynamoDB Local as a server, moto's SQS,
 * SES and EventBridge. For each size, a fresh table is seeded (agreements and their month of ledger lines, written
 * in batches: set-up, not measured), then the real scheduled function ({@link MonthlyStatementsFunction}, the
 * dispatcher) queues the agreements due on a queue with the template's redrive policy, Lambda's SQS event source
 * is played by {@link LambdaSqsPoller} (batches of five, as template.yaml), and the real worker handler
 * ({@link StatementWorkerFunction}, on the SQS event read by Lambda's own serializer) closes them one after the other.
 *
 * <p>The time goes into steps by timing wrappers around the ports the product already has, so no timing code
 * is in it: the dispatcher's queue ({@link ClosingQueue}), the worker's DynamoDB client (compute and store: every
 * read and write of agreements, ledger lines and statements), its {@link StatementMailer} (send) and
 * {@link StatementPublisher} (announce); what is left of the worker's time is rendering the email and computing
 * the statement in memory. Sends are not paced here (the pace is SES's quota, not a cost).
 *
 * <p>Every run is checked: each agreement's statement is stored sent and announced, the worker sent exactly one
 * email per agreement, SES (moto) counted exactly two recipients per agreement, no batch item failed and both
 * queues are empty; a sample of statements holds every line seeded. It is a report, not a test: it exits 0.
 */
public final class ClosingDayBench {
    private static final String USAGE = """
            Usage: ClosingDayBench [--sizes N,N,...] [--lines L] [--batch B]
              --sizes  agreements closing on the day, one run each (default 1000,2000,4000)
              --lines  ledger lines of each agreement's month (default 200)
              --batch  messages per worker invocation (default 5, as template.yaml's BatchSize)""";
    private static final Instant CLOSING_DAY = Instant.parse("2026-11-05T06:00:00Z");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-statements";
    /** Per-agreement time at the largest size at most this much above the smallest's: the total grows linearly. */
    private static final double LINEAR_TOLERANCE = 1.25;

    private final Options options;
    private final PrintStream out;

    ClosingDayBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchCommand.main("ClosingDayBench", USAGE, args, Options::parse, options -> new ClosingDayBench(options, System.out).run());
    }

    record Options(List<Integer> sizes, int lines, int batch) {
        static Options parse(String... args) {
            List<Integer> sizes = List.of(1000, 2000, 4000);
            int lines = 200;
            int batch = 5;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(size -> BenchCommand.count(name, size.strip())).toList();
                    case "--lines" -> lines = BenchCommand.count(name, value);
                    case "--batch" -> {
                        batch = BenchCommand.count(name, value);
                        if (batch > 10) {
                            throw new IllegalArgumentException("--batch is at most 10 (SQS receives at most ten messages at once)");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(sizes, lines, batch);
        }
    }

    /** Time in one step, over all agreements of a size. */
    record Step(String name, long nanos) {}

    record SizeResult(int agreements, int linesEach, long seedNanos, long totalNanos, List<Step> steps,
                      Map<String, long[]> dynamoDbCalls, int batches, boolean checked) {
        double millisPerAgreement() {
            return totalNanos / 1e6 / agreements;
        }

        /** Without the queue's steps, which are the emulator's (and Lambda's) work, not revshare's. */
        double revshareMillisPerAgreement() {
            long queue = steps.stream().filter(step -> step.name().startsWith(QUEUE_STEP)).mapToLong(Step::nanos).sum();
            return (totalNanos - queue) / 1e6 / agreements;
        }
    }

    record Report(List<SizeResult> sizes, double growth, double revshareGrowth, boolean linear) {}

    private static final String QUEUE_STEP = "queue:";

    Report run() {
        out.printf(Locale.ROOT, "Closing day: %s agreements of %,d ledger lines each, worker batches of %d "
                        + "(DynamoDB Local server, moto SQS/SES/EventBridge)%n", options.sizes(), options.lines(), options.batch());
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        MotoServer moto = MotoServer.get();
        List<SizeResult> results = new ArrayList<>();
        for (int size : options.sizes()) {
            results.add(closingDay(size, dynamo, moto));
        }
        out.println();
        out.println("                        all steps                       without the queue's steps (revshare's part)");
        out.println("agreements   total s   per agreement ms   vs smallest     s   per agreement ms   vs smallest");
        SizeResult smallest = results.get(0);
        for (SizeResult result : results) {
            out.printf(Locale.ROOT, "%,10d  %8.1f  %17.1f  %10.2fx  %6.1f  %17.1f  %10.2fx%n", result.agreements(),
                    result.totalNanos() / 1e9, result.millisPerAgreement(),
                    result.millisPerAgreement() / smallest.millisPerAgreement(),
                    result.revshareMillisPerAgreement() * result.agreements() / 1e3, result.revshareMillisPerAgreement(),
                    result.revshareMillisPerAgreement() / smallest.revshareMillisPerAgreement());
        }
        SizeResult largest = results.get(results.size() - 1);
        double growth = largest.millisPerAgreement() / smallest.millisPerAgreement();
        double revshareGrowth = largest.revshareMillisPerAgreement() / smallest.revshareMillisPerAgreement();
        boolean linear = revshareGrowth <= LINEAR_TOLERANCE;
        boolean allChecked = results.stream().allMatch(SizeResult::checked);
        // moto's SQS scans its whole message list on every send, receive and delete: its steps grow with the
        // queue's depth, where SQS's do not; they are reported, and judged apart
        out.printf(Locale.ROOT, "RESULT: %,d agreements took %.2fx the time per agreement of %,d (%.2fx with the emulated "
                        + "queue's steps): %s (at most %.2fx); every statement sent exactly once: %s%n", largest.agreements(),
                revshareGrowth, smallest.agreements(), growth, linear ? "linear" : "GROWS FASTER THAN LINEAR", LINEAR_TOLERANCE,
                allChecked ? "ok" : "NO");
        return new Report(results, growth, revshareGrowth, linear);
    }

    private SizeResult closingDay(int size, DynamoDbLocalServer dynamo, MotoServer moto) {
        out.printf(Locale.ROOT, "%n%,d agreements%n", size);
        String table = "closing-day-" + size + "-" + System.nanoTime();
        DynamoDbClient dynamoClient = dynamo.clients().dynamoDb();
        DynamoDbStores stores = DynamoDbStores.createdOver(dynamoClient, table);
        AwsClients aws = moto.clients();
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name(BUS));
        SqsClient sqs = aws.sqs();
        String deadLetters = sqs.createQueue(b -> b.queueName("statements-dead-letters")).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetters).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        String queue = sqs.createQueue(b -> b.queueName("statements").attributesWithStrings(Map.of("VisibilityTimeout", "1800",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"5\"}"))).queueUrl();

        long seedNanos = seed(size, stores, dynamoClient, table);

        // the scheduled function, its queue timed
        long[] enqueueNanos = new long[1];
        SqsClosingQueue sqsQueue = new SqsClosingQueue(sqs, queue);
        ClosingQueue timedQueue = jobs -> {
            long start = System.nanoTime();
            try {
                sqsQueue.enqueue(jobs);
            } finally {
                enqueueNanos[0] += System.nanoTime() - start;
            }
        };
        Clock clock = Clock.fixed(CLOSING_DAY.plusSeconds(3), ZoneOffset.UTC);
        MonthlyStatementRun dispatchRun = new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                email -> {
                    throw new IllegalStateException("the scheduled run sends nothing");
                }, (statement, messageId) -> {
                    throw new IllegalStateException("the scheduled run announces nothing");
                }, SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
        MonthlyStatementsFunction dispatcher = new MonthlyStatementsFunction(new ClosingDispatch(dispatchRun, timedQueue), clock,
                Telemetry.LOGS_ONLY);

        // the worker: its DynamoDB client, mailer and publisher timed
        RecordingDynamoDb recording = RecordingDynamoDb.around(dynamo.clients().dynamoDb());
        RecordingDynamoDb.Tally dynamoDbTally = new RecordingDynamoDb.Tally();
        DynamoDbStores workerStores = DynamoDbStores.over(recording.client(), table);
        long[] sendNanos = new long[1];
        long[] announceNanos = new long[1];
        Map<String, Integer> sentPerStatement = new ConcurrentHashMap<>();
        StatementMailer ses = new SesStatementMailer(aws.sesV2());
        StatementMailer timedMailer = email -> {
            long start = System.nanoTime();
            try {
                return ses.send(email);
            } finally {
                sendNanos[0] += System.nanoTime() - start;
                sentPerStatement.merge(email.reference(), 1, Integer::sum);
            }
        };
        StatementPublisher eventBridge = new EventBridgeStatementPublisher(aws.eventBridge(), BUS);
        StatementPublisher timedPublisher = (statement, messageId) -> {
            long start = System.nanoTime();
            try {
                eventBridge.statementIssued(statement, messageId);
            } finally {
                announceNanos[0] += System.nanoTime() - start;
            }
        };
        StatementWorkerFunction worker = new StatementWorkerFunction(new MonthlyStatementRun(workerStores.agreements(),
                workerStores.ledger(), workerStores.statements(), timedMailer, timedPublisher, SENDER, clock,
                MonthlyStatementRun.DEFAULT_GRACE), Telemetry.LOGS_ONLY);
        PojoSerializer<SQSEvent> lambdaSerializer = LambdaEventSerializers.serializerFor(SQSEvent.class,
                ClosingDayBench.class.getClassLoader());
        LambdaSqsPoller poller = new LambdaSqsPoller(sqs, queue);

        // the closing day
        long dayStart = System.nanoTime();
        Map<String, Object> answer = dispatcher.handleRequest(scheduledEvent(), null);
        long dispatchNanos = System.nanoTime() - dayStart;
        long queueNanos = 0;
        long workerNanos = 0;
        int batches = 0;
        int failures = 0;
        recording.recordInto(dynamoDbTally);
        while (true) {
            long receiveStart = System.nanoTime();
            String json = poller.receiveEvent(options.batch());
            if (json == null) {
                queueNanos += System.nanoTime() - receiveStart;
                break;
            }
            SQSEvent event = lambdaSerializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            long workStart = System.nanoTime();
            SQSBatchResponse response = worker.handleRequest(event, null);
            long workEnd = System.nanoTime();
            List<String> failed = response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
            failures += failed.size();
            poller.settle(failed);
            queueNanos += (workStart - receiveStart) + (System.nanoTime() - workEnd);
            workerNanos += workEnd - workStart;
            batches++;
            if (batches % Math.max(1, size / options.batch() / 10) == 0) {
                out.printf(Locale.ROOT, "  %,6d of %,d agreements closed  %6.1f s%n", Math.min(size, batches * options.batch()), size,
                        (System.nanoTime() - dayStart) / 1e9);
            }
        }
        long totalNanos = System.nanoTime() - dayStart;
        recording.recordInto(null);

        long dynamoNanos = dynamoDbTally.nanos();
        List<Step> steps = List.of(
                new Step("dispatch: find the agreements due", dispatchNanos - enqueueNanos[0]),
                new Step(QUEUE_STEP + " send, ten to a SendMessageBatch (moto's)", enqueueNanos[0]),
                new Step(QUEUE_STEP + " receive, read the event, delete (Lambda's part; moto's)", queueNanos),
                new Step("compute/store: DynamoDB reads and writes", dynamoNanos),
                new Step("render the email, compute in memory (the rest)", workerNanos - dynamoNanos - sendNanos[0] - announceNanos[0]),
                new Step("send (SES)", sendNanos[0]),
                new Step("announce (EventBridge)", announceNanos[0]));

        boolean checked = check(size, answer, stores, sentPerStatement, moto, sqs, queue, deadLetters, failures);
        long queueStepsNanos = steps.stream().filter(step -> step.name().startsWith(QUEUE_STEP)).mapToLong(Step::nanos).sum();
        out.printf(Locale.ROOT, "  closed in %.1f s: %.1f ms an agreement, %.1f ms of it revshare's (%d worker invocations)%n",
                totalNanos / 1e9, totalNanos / 1e6 / size, (totalNanos - queueStepsNanos) / 1e6 / size, batches);
        out.println("  step                                                      total s   per agreement ms   share");
        for (Step step : steps) {
            out.printf(Locale.ROOT, "  %-56s %8.2f  %17.2f  %5.1f%%%n", step.name(), step.nanos() / 1e9, step.nanos() / 1e6 / size,
                    100.0 * step.nanos() / totalNanos);
        }
        out.println("  the worker's DynamoDB calls                                calls per agreement   ms per call");
        dynamoDbTally.calls().forEach((kind, stats) -> out.printf(Locale.ROOT, "    %-56s %8.2f  %14.2f%n", kind,
                (double) stats[0] / size, stats[1] / 1e6 / stats[0]));
        dynamoClient.deleteTable(b -> b.tableName(table)); // frees DynamoDB Local's memory for the next size
        return new SizeResult(size, options.lines(), seedNanos, totalNanos, steps, new LinkedHashMap<>(dynamoDbTally.calls()),
                batches, checked);
    }

    /** N agreements, each with its month of lines in October; several threads, batched writes. */
    private long seed(int size, DynamoDbStores stores, DynamoDbClient dynamo, String table) {
        long start = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String id = agreementId(i);
                writes.add(threads.submit(() -> {
                    stores.agreements().put(agreement(id), Instant.parse("2026-09-15T00:00:00Z"));
                    LedgerSeeding.write(dynamo, table, lines(id));
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("seeding failed", e);
        } finally {
            threads.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        out.printf(Locale.ROOT, "  seeded %,d agreements and %,d ledger lines in %.1f s (set-up, not measured)%n", size,
                (long) size * options.lines(), nanos / 1e9);
        return nanos;
    }

    private boolean check(int size, Map<String, Object> answer, DynamoDbStores stores, Map<String, Integer> sentPerStatement,
                          MotoServer moto, SqsClient sqs, String queue, String deadLetters, int failures) {
        List<String> problems = new ArrayList<>();
        if (!Integer.valueOf(size).equals(answer.get("queued"))) {
            problems.add("the scheduled run queued " + answer.get("queued") + ", not " + size);
        }
        int notSent = 0;
        for (int i = 0; i < size; i++) {
            StatementStore.StoredStatement stored = stores.statements().findWithoutLines(agreementId(i), OCTOBER).orElse(null);
            if (stored == null || stored.status() != StatementStore.Status.SENT || !stored.announced()) {
                notSent++;
            }
        }
        if (notSent > 0) {
            problems.add(notSent + " statements not stored as sent and announced");
        }
        // keyed by message: each statement is a message to each party
        long sentTwice = sentPerStatement.values().stream().filter(count -> count > 1).count();
        if (sentPerStatement.size() != 2 * size || sentTwice > 0) {
            problems.add("the worker sent " + sentPerStatement.size() + " messages, not " + 2 * size + " (" + sentTwice
                    + " more than once)");
        }
        long recipients = sesRecipientsCounted(moto);
        if (recipients != 2L * size) {
            problems.add("SES counted " + recipients + " recipients, not " + 2L * size);
        }
        for (int i : new int[] {0, size / 2, size - 1}) {
            Statement statement = stores.statements().find(agreementId(i), OCTOBER).orElseThrow().statement();
            long expected = lines(agreementId(i)).stream().mapToLong(LedgerLine::amount).sum();
            if (statement.lines().size() != options.lines() || statement.totals().netRevenue() != expected) {
                problems.add(agreementId(i) + "'s statement has " + statement.lines().size() + " lines and "
                        + statement.totals().netRevenue() + " net, not " + options.lines() + " and " + expected);
            }
        }
        if (failures > 0) {
            problems.add(failures + " batch item failures");
        }
        int left = LambdaSqsPoller.depth(sqs, queue) + LambdaSqsPoller.depth(sqs, deadLetters);
        if (left > 0) {
            problems.add(left + " messages left on the queues");
        }
        out.printf(Locale.ROOT, "  checked: %,d statements sent and announced, a message to each party from the worker, "
                + "each once, SES counted %,d recipients (two each), no failure, queues empty: %s%n", size, recipients,
                problems.isEmpty() ? "ok" : "NO " + problems);
        return problems.isEmpty();
    }

    /** moto's SES counts every recipient of every message it accepted (SES v1 GetSendQuota's SentLast24Hours). */
    private static long sesRecipientsCounted(MotoServer moto) {
        HttpRequest request = HttpRequest.newBuilder(moto.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261105/us-east-1/ses/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetSendQuota&Version=2010-12-01")).build();
        try {
            String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            Matcher sent = Pattern.compile("<SentLast24Hours>([0-9.]+)</SentLast24Hours>").matcher(body);
            if (!sent.find()) {
                throw new IllegalStateException("moto's GetSendQuota answered without SentLast24Hours: " + body);
            }
            return (long) Double.parseDouble(sent.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("moto unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ScheduledEvent scheduledEvent() {
        ScheduledEvent event = new ScheduledEvent();
        event.setDetailType("Scheduled Event");
        event.setSource("aws.scheduler");
        event.setTime(new DateTime(CLOSING_DAY.toEpochMilli(), DateTimeZone.UTC));
        event.setDetail(Map.of());
        return event;
    }

    private static String agreementId(int index) {
        return String.format("agreement-%05d", index);
    }

    private static Agreement agreement(String id) {
        return new Agreement(id, "Expert " + id + " x Dalai Digital", new Agreement.Party("Expert " + id,
                List.of("expert-" + id + "@example.com")), new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_" + id, "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }

    /** The agreement's October: sales of different sizes over the month, ids Stripe-shaped and unique. */
    private List<LedgerLine> lines(String agreementId) {
        List<LedgerLine> lines = new ArrayList<>(options.lines());
        Instant first = Instant.parse("2026-10-01T08:00:00Z");
        long spacing = Duration.ofDays(29).toSeconds() / options.lines();
        String key = agreementId.substring(agreementId.indexOf('-') + 1);
        for (int i = 0; i < options.lines(); i++) {
            Instant at = first.plusSeconds(spacing * i);
            String n = String.format("%s%07d", key, i);
            lines.add(new LedgerLine(agreementId, "pi_3Bench" + n, "ch_3Bench" + n, LineType.SALE, 2_900 + (i % 40) * 500L,
                    "usd", at, at, at.plusSeconds(2), "course", "cus_Bench" + n, "evt_3Bench" + n));
        }
        return lines;
    }
}
