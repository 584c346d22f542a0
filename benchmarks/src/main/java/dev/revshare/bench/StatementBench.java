package dev.revshare.bench;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.json.Json;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementAttachments;
import dev.revshare.statements.StatementEmail;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Issue 3's speed requirement, measured: closing one agreement-month of ledger lines read from
 * DynamoDB Local (reading them with {@code LedgerStore.recordedBetween} and computing the statement,
 * as {@code MonthlyStatementRun} does) may take at most {@value #BUDGET}× the bare paginated Query of the
 * same lines. Both run side by side in one JVM against one in-process DynamoDB Local, alternating which
 * goes first, after warm-up rounds. A report, not a test: it exits 0 whatever the ratio.
 *
 * <pre>make bench   # or: make bench BENCH_ARGS="--lines 20000 --rounds 3"</pre>
 */
public final class StatementBench {
    static final double BUDGET = 1.30;
    /** The ledger repository's page size, which the bare Query uses too. */
    static final int PAGE_SIZE = 1000;
    static final String TABLE = "revshare-bench";
    static final YearMonth MONTH = YearMonth.of(2026, 3);
    /** MonthlyStatementRun reads lines recorded from a day before the agreement was first applied. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final Instant APPLIED_AT = Instant.parse("2026-02-25T12:00:00Z");
    /** The monthly schedule fires at 06:00 on the 2nd, when the month has ended in every time zone. */
    private static final Instant CLOSED_AT = Instant.parse("2026-04-02T06:00:00Z");
    /** Lines are recorded over 30 days from the 1st (UTC), inside the agreement's March in Madrid too. */
    private static final Instant RECORDED_FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration RECORDED_SPAN = Duration.ofDays(30);
    private static final BigDecimal YEAR_ONE_RATE = new BigDecimal("0.25");
    private static final DateTimeFormatter SORT_KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static final String AGREEMENT_YAML = """
            id: bench-coaching
            name: Bench Coaching x Bench Studio
            expert: {name: Bench Coaching, emails: [expert@bench.example]}
            partner: {name: Bench Studio, emails: [partner@bench.example]}
            stripe: {account: acct_1BenchExample}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2025-11-01, end: 2028-10-31}
            split:
              - {year: 1, partnerPercent: 25}
              - {year: 2, partnerPercent: 20}
            revenue:
              shared: [course, membership]
              excluded:
                affiliate: "Affiliate commissions from other products"
              review: [tip]
            """;
    /** Another agreement with lines in the same month: closing ours must never read them. */
    static final String OTHER_AGREEMENT_YAML = AGREEMENT_YAML
            .replace("id: bench-coaching", "id: bench-neighbour")
            .replace("acct_1BenchExample", "acct_1NeighbourExample");

    private final Options options;
    private final PrintStream out;

    StatementBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchCommand.main("statement-bench", Options.USAGE, args, Options::parse, options -> new StatementBench(options, System.out).run());
    }

    /** Loads the ledger, measures both paths, prints the report; returns it for the smoke test. */
    Report run() {
        long started = System.nanoTime();
        Agreement agreement = AgreementFile.parse(AGREEMENT_YAML, "benchmark agreement");
        Agreement neighbour = AgreementFile.parse(OTHER_AGREEMENT_YAML, "neighbouring agreement");
        SyntheticMonth month = SyntheticMonth.generate(agreement.id(), agreement.currency(), options.lines(),
                RECORDED_FROM, RECORDED_SPAN);
        int neighbourCount = Math.max(100, options.lines() / 20);
        SyntheticMonth neighbourMonth = SyntheticMonth.generate(neighbour.id(), neighbour.currency(), neighbourCount,
                RECORDED_FROM, RECORDED_SPAN);
        String partition = "LEDGER#" + agreement.id() + "#" + YearMonth.from(RECORDED_FROM.atZone(ZoneOffset.UTC));

        out.println("revshare statement benchmark: closing one agreement-month read from DynamoDB Local, against the bare Query");
        out.printf(Locale.ROOT, "  agreement %s, month %s (%s), %s lines in partition %s%n", agreement.id(), MONTH,
                agreement.timezone(), count(options.lines()), partition);
        out.printf(Locale.ROOT, "  plus %s lines of %s recorded in the same month, which closing ours must not read%n",
                count(neighbourCount), neighbour.id());
        out.printf(Locale.ROOT, "  Java %s (%s), %d cores, max heap %d MB; DynamoDB Local in-process; pages of %d items%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, PAGE_SIZE);

        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true);
        try {
            DynamoDbClient client = local.dynamoDbClient();
            DynamoDbStores store = DynamoDbStores.createdOver(client, TABLE);
            store.agreements().put(agreement, APPLIED_AT);
            store.agreements().put(neighbour, APPLIED_AT);

            long loadStarted = System.nanoTime();
            LedgerLoader loader = new LedgerLoader(store.bookings(), out);
            loader.load(agreement.id(), month.lines(), neighbour.id(), neighbourMonth.lines());
            Duration loadTime = Duration.ofNanos(System.nanoTime() - loadStarted);
            out.printf(Locale.ROOT, "Loaded %s lines in %s (%s lines/s)%n", count(options.lines() + neighbourCount),
                    seconds(loadTime.toNanos()), count(Math.round((options.lines() + neighbourCount) / (loadTime.toNanos() / 1e9))));

            Instant from = store.agreements().firstAppliedAt(agreement.id()).orElseThrow().minus(CLOCK_SKEW);
            TimedPaths paths = new TimedPaths(client, store, agreement, partition, from, CLOSED_AT);
            checkLedger(paths, month);

            List<Round> rounds = measure(paths, month);
            Report measured = report(rounds, month, paths.full().statement(), loadTime);
            Report report = new Report(measured.rounds(), measured.bareMedianNanos(), measured.fullMedianNanos(),
                    measured.ratio(), measured.withinBudget(), loadTime, closeStepByStep(paths, month));
            out.printf(Locale.ROOT, "Total time %s (loading %s)%n", seconds(System.nanoTime() - started),
                    seconds(loadTime.toNanos()));
            return report;
        } finally {
            local.shutdown();
        }
    }

    /** Before any timing: the store returns exactly the lines written, and only this agreement's. */
    private void checkLedger(TimedPaths paths, SyntheticMonth month) {
        List<LedgerLine> read = paths.store().ledger().recordedBetween(paths.agreement().id(), paths.from(), paths.to());
        if (!read.equals(month.lines())) {
            throw new IllegalStateException("recordedBetween returned " + read.size() + " lines, not the "
                    + month.lines().size() + " written (or not the same lines, or not in recording order)");
        }
        out.printf(Locale.ROOT, "Check: recordedBetween(%s, %s, %s) returns the %s lines written, in order, none of the other agreement: ok%n",
                paths.agreement().id(), paths.from(), paths.to(), count(read.size()));
    }

    private List<Round> measure(TimedPaths paths, SyntheticMonth month) {
        out.printf(Locale.ROOT, "%nRounds: %d warm-up, %d measured; the two alternate which runs first%n",
                options.warmup(), options.rounds());
        out.printf(Locale.ROOT, "  %-10s %12s %12s %8s   %s%n", "round", "bare Query", "full", "ratio",
                "full = recordedBetween + compute");
        List<Round> measured = new ArrayList<>();
        for (int i = 0; i < options.warmup() + options.rounds(); i++) {
            boolean warmup = i < options.warmup();
            boolean bareFirst = i % 2 == 0;
            Timed bare = null;
            Timed full = null;
            for (int half = 0; half < 2; half++) {
                if ((half == 0) == bareFirst) {
                    bare = paths.timeBare();
                    verifyBare(bare, month);
                } else {
                    full = paths.timeFull();
                    verifyStatement(paths.full().statement(), month);
                }
            }
            Round round = new Round(bare.nanos(), full.nanos(), full.readNanos(), full.computeNanos());
            String label = warmup ? "warm-up " + (i + 1) : "round " + (i - options.warmup() + 1);
            out.printf(Locale.ROOT, "  %-10s %12s %12s %7.2fx   %s + %s%s%n", label, seconds(round.bareNanos()),
                    seconds(round.fullNanos()), round.ratio(), seconds(round.readNanos()), seconds(round.computeNanos()),
                    bareFirst ? "" : "   (full first)");
            if (!warmup) {
                measured.add(round);
            }
        }
        return measured;
    }

    /**
     * One whole close, as MonthlyStatementRun does it for a month: read, compute, store (the header and its
     * chunks of lines), show (read it back whole), and build the email both parties get; each step timed once.
     */
    private Steps closeStepByStep(TimedPaths paths, SyntheticMonth month) {
        DynamoDbStores store = paths.store();
        Agreement agreement = paths.agreement();
        out.printf(Locale.ROOT, "%nOne close, step by step (once, after the rounds):%n");
        System.gc();
        long t0 = System.nanoTime();
        List<LedgerLine> candidates = store.ledger().recordedBetween(agreement.id(), paths.from(), paths.to());
        long t1 = System.nanoTime();
        Statement statement = new StatementCalculator().compute(agreement, MONTH, paths.to(), null, candidates);
        long t2 = System.nanoTime();
        verifyStatement(statement, month);
        long t3 = System.nanoTime();
        if (!store.statements().create(statement)) {
            throw new IllegalStateException("a statement for " + MONTH + " was stored before");
        }
        long t4 = System.nanoTime();
        Statement shown = store.statements().find(agreement.id(), MONTH).orElseThrow().statement();
        long t5 = System.nanoTime();
        if (!shown.equals(statement) || !Json.write(shown).equals(Json.write(statement))) {
            throw new IllegalStateException("the statement read back is not the one stored");
        }
        long t6 = System.nanoTime();
        OutgoingEmail email = new StatementEmail("statements@bench.example").build(agreement, statement, dev.revshare.domain.Side.EXPERT, paths.to());
        long t7 = System.nanoTime();
        // COUNT pages stop at 1 MB of items read, a few chunks: every page is counted
        long chunks = paths.client().queryPaginator(b -> b.tableName(TABLE).select(Select.COUNT).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :lines)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("STATEMENT#" + agreement.id()),
                        ":lines", AttributeValue.fromS(MONTH + "#LINES#")))).stream().mapToLong(QueryResponse::count).sum();
        Steps steps = new Steps(t1 - t0, t2 - t1, t4 - t3, t5 - t4, t7 - t6, chunks, email.mime().length);
        out.printf(Locale.ROOT, "  %-8s %10s   %s%n", "read", seconds(steps.readNanos()),
                "LedgerStore.recordedBetween: " + count(candidates.size()) + " lines");
        out.printf(Locale.ROOT, "  %-8s %10s   %s%n", "compute", seconds(steps.computeNanos()), "StatementCalculator.compute");
        out.printf(Locale.ROOT, "  %-8s %10s   %s%n", "store", seconds(steps.storeNanos()), "StatementStore.create: "
                + count(chunks) + " chunks of lines (at most 300 KB each), then the header");
        out.printf(Locale.ROOT, "  %-8s %10s   %s%n", "show", seconds(steps.showNanos()), "StatementStore.find: "
                + count(shown.lines().size()) + " lines, the same JSON as computed");
        out.printf(Locale.ROOT, "  %-8s %10s   %s%n", "email", seconds(steps.emailNanos()), String.format(Locale.ROOT,
                "StatementEmail.build (bodies, CSV and JSON gzip-compressed, MIME): %.2f MB message (budget %d MB, SES refuses 40 MB; "
                        + "the generated ids are sequential and compress better than Stripe's); "
                        + "text body %s KB, HTML body %s KB", email.mime().length / 1e6,
                StatementAttachments.MAX_MESSAGE_BYTES >> 20, count(email.text().length() / 1024), count(email.html().length() / 1024)));
        return steps;
    }

    private Report report(List<Round> rounds, SyntheticMonth month, Statement statement, Duration loadTime) {
        long bare = BenchCommand.median(rounds.stream().mapToLong(Round::bareNanos).toArray());
        long full = BenchCommand.median(rounds.stream().mapToLong(Round::fullNanos).toArray());
        long read = BenchCommand.median(rounds.stream().mapToLong(Round::readNanos).toArray());
        long compute = BenchCommand.median(rounds.stream().mapToLong(Round::computeNanos).toArray());
        double ratio = (double) full / bare;
        boolean ok = ratio <= BUDGET;
        out.printf(Locale.ROOT, "  %-10s %12s %12s %7.2fx   %s + %s%n", "median", seconds(bare), seconds(full), ratio,
                seconds(read), seconds(compute));
        out.println();
        out.printf(Locale.ROOT, "Throughput (median): bare Query %s lines/s, full %s lines/s%n",
                count(Math.round(options.lines() / (bare / 1e9))), count(Math.round(options.lines() / (full / 1e9))));
        Statement.Totals totals = statement.totals();
        String currency = statement.currency();
        out.printf(Locale.ROOT, "Checked every run: the bare Query examined exactly the %s lines (ScannedCount), none of the "
                + "other agreement's, and their amounts add up to %s%n", count(options.lines()),
                Money.format(month.amountSum(), statement.currency()));
        out.printf(Locale.ROOT, "Statement checked every run: %s lines, gross %s, refunds %s, net %s, partner %s, expert %s, "
                        + "excluded %s, held for review %s: as expected%n", count(statement.lines().size()),
                Money.format(totals.grossSales(), currency), Money.format(totals.refunds(), currency),
                Money.format(totals.netRevenue(), currency), Money.format(totals.partnerShare(), currency),
                Money.format(totals.expertShare(), currency), Money.format(totals.excluded(), currency),
                Money.format(totals.pendingReview(), currency));
        out.printf(Locale.ROOT, "RESULT: full/bare = %.2fx (budget <= %.2fx): %s%n", ratio, BUDGET, ok ? "ok" : "OVER");
        return new Report(rounds, bare, full, ratio, ok, loadTime, null);
    }

    private static void verifyBare(Timed bare, SyntheticMonth month) {
        if (bare.items() != month.lines().size() || bare.scanned() != bare.items() || bare.amountSum() != month.amountSum()) {
            throw new IllegalStateException("bare Query examined " + bare.scanned() + " and read " + bare.items()
                    + " items summing to " + bare.amountSum() + ", expected " + month.lines().size() + " summing to "
                    + month.amountSum());
        }
    }

    /** The benchmark must not time a broken path: every figure is checked against the generator's own sums. */
    static void verifyStatement(Statement statement, SyntheticMonth month) {
        Statement.Totals totals = statement.totals();
        long lineSum = statement.lines().stream().mapToLong(Statement.StatementLine::amount).sum();
        long partnerShare = month.partnerShare(YEAR_ONE_RATE);
        List<String> wrong = new ArrayList<>();
        expect(wrong, "lines", statement.lines().size(), month.lines().size());
        expect(wrong, "sum of line amounts", lineSum, month.amountSum());
        expect(wrong, "grossSales", totals.grossSales(), month.grossSales());
        expect(wrong, "refunds", totals.refunds(), month.refunds());
        expect(wrong, "netRevenue", totals.netRevenue(), month.netRevenue());
        expect(wrong, "partnerShare", totals.partnerShare(), partnerShare);
        expect(wrong, "expertShare", totals.expertShare(), month.netRevenue() - partnerShare);
        expect(wrong, "excluded", totals.excluded(), month.excluded());
        expect(wrong, "pendingReview", totals.pendingReview(), month.pendingReview());
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the statement is wrong, so its time means nothing: " + String.join("; ", wrong));
        }
    }

    private static void expect(List<String> wrong, String what, long actual, long expected) {
        if (actual != expected) {
            wrong.add(what + " " + actual + " instead of " + expected);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static String seconds(Duration duration) {
        return seconds(duration.toNanos());
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The two things timed, over the same client, table and lines. */
    static final class TimedPaths {
        private final DynamoDbClient client;
        private final DynamoDbStores store;
        private final Agreement agreement;
        private final String partition;
        private final Instant from;
        private final Instant to;
        private final StatementCalculator calculator = new StatementCalculator();
        private FullRun lastFull;

        TimedPaths(DynamoDbClient client, DynamoDbStores store, Agreement agreement, String partition, Instant from, Instant to) {
            this.client = client;
            this.store = store;
            this.agreement = agreement;
            this.partition = partition;
            this.from = from;
            this.to = to;
        }

        /**
         * The paginated Query of the agreement-month partition with the ledger repository's key condition and page
         * size, consuming every item (the amounts are summed and checked, so nothing is optimised away).
         */
        Timed timeBare() {
            System.gc();
            long start = System.nanoTime();
            Map<String, AttributeValue> values = Map.of(":pk", AttributeValue.fromS(partition),
                    ":from", AttributeValue.fromS(SORT_KEY_TIME.format(from)),
                    ":to", AttributeValue.fromS(SORT_KEY_TIME.format(to) + "#\uffff"));
            long items = 0;
            long scanned = 0;
            long amountSum = 0;
            Map<String, AttributeValue> startKey = null;
            do {
                QueryRequest.Builder request = QueryRequest.builder().tableName(TABLE).limit(PAGE_SIZE)
                        .consistentRead(true).keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(values);
                if (startKey != null) {
                    request.exclusiveStartKey(startKey);
                }
                QueryResponse page = client.query(request.build());
                scanned += page.scannedCount();
                for (Map<String, AttributeValue> item : page.items()) {
                    amountSum += Long.parseLong(item.get("amount").n());
                    items++;
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
            long nanos = System.nanoTime() - start;
            return new Timed(nanos, 0, 0, items, scanned, amountSum);
        }

        /** What MonthlyStatementRun.computeAndStore does before storing: read the candidates, compute. */
        Timed timeFull() {
            System.gc();
            long start = System.nanoTime();
            List<LedgerLine> candidates = store.ledger().recordedBetween(agreement.id(), from, to);
            long read = System.nanoTime();
            Statement statement = calculator.compute(agreement, MONTH, to, null, candidates);
            long end = System.nanoTime();
            lastFull = new FullRun(candidates, statement);
            return new Timed(end - start, read - start, end - read, candidates.size(), 0, 0);
        }

        FullRun full() {
            return lastFull;
        }

        DynamoDbStores store() {
            return store;
        }

        DynamoDbClient client() {
            return client;
        }

        Agreement agreement() {
            return agreement;
        }

        Instant from() {
            return from;
        }

        Instant to() {
            return to;
        }
    }

    record FullRun(List<LedgerLine> candidates, Statement statement) {}

    /** @param scanned items the Query examined (its ScannedCount): none of another agreement's */
    record Timed(long nanos, long readNanos, long computeNanos, long items, long scanned, long amountSum) {}

    record Round(long bareNanos, long fullNanos, long readNanos, long computeNanos) {
        double ratio() {
            return (double) fullNanos / bareNanos;
        }
    }

    record Report(List<Round> rounds, long bareMedianNanos, long fullMedianNanos, double ratio, boolean withinBudget,
                  Duration loadTime, Steps steps) {}

    /** One close, step by step (null until it ran); {@code chunks} of lines stored besides the header, {@code emailBytes} the raw message. */
    record Steps(long readNanos, long computeNanos, long storeNanos, long showNanos, long emailNanos, long chunks,
                 long emailBytes) {}

    record Options(int lines, int rounds, int warmup) {
        static final String USAGE = "usage: StatementBench [--lines N (100000)] [--rounds R (5)] [--warmup W (2)]";

        static Options parse(String... args) {
            int lines = 100_000, rounds = 5, warmup = 2;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                int value = BenchCommand.count(name, args[++i]);
                switch (name) {
                    case "--lines" -> lines = value;
                    case "--rounds" -> rounds = value;
                    case "--warmup" -> warmup = value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(lines, rounds, warmup);
        }
    }
}
