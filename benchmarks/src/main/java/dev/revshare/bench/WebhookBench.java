package dev.revshare.bench;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.bench.ChargeSucceededDeliveries.Delivery;
import dev.revshare.bench.RecordingDynamoDb.Tally;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.json.Json;
import dev.revshare.stripe.StripeSignatureVerifier;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The webhook's speed requirement, measured on signed {@code charge.succeeded} deliveries of about 3 KB
 * (a whole Stripe Charge), each a different payment. Both comparisons run side by side in one JVM, after
 * warm-up rounds, the two sides taking turns in small blocks of deliveries (which side goes first alternates
 * per round); the ratio reported is the median of the rounds' ratios:
 * <ol>
 *   <li><b>CPU path</b>: {@link StripeWebhook#receive} (signature check, parse, classify, book) with stores
 *       that do no I/O may take at most {@value #CPU_BUDGET}× the floor: stripe-java's signature check plus
 *       one Jackson {@code readTree} of the body, which any handler must do.</li>
 *   <li><b>Throughput into DynamoDB Local</b> (in-process, one thread): events/s through {@code receive} with
 *       the real DynamoDB repositories must reach at least {@value #THROUGHPUT_BUDGET}× the bare
 *       {@code TransactWriteItems} of the same items with the same client. The bare side replays copies of
 *       the very transactions the store issued, with fresh keys. The DynamoDB calls the handler made per
 *       event, by operation and key, are printed: they are where the difference goes.</li>
 * </ol>
 * A report, not a test: it exits 0 whatever the ratios.
 *
 * <pre>make bench-webhook   # or: make bench-webhook WEBHOOK_BENCH_ARGS="--events 5000 --rounds 3"</pre>
 */
public final class WebhookBench {
    static final double CPU_BUDGET = 1.50;
    static final double THROUGHPUT_BUDGET = 0.70;
    static final String TABLE = "revshare-webhook-bench";
    static final String SECRET = "whsec_revshare_bench_secret";
    /** When Stripe signs the deliveries; the clock reads two seconds later, well inside the 300 s tolerance. */
    static final Instant SIGNED_AT = Instant.parse("2026-10-14T09:30:00Z");
    static final Clock CLOCK = Clock.fixed(SIGNED_AT.plusSeconds(2), ZoneOffset.UTC);
    private static final Instant APPLIED_AT = Instant.parse("2025-10-20T12:00:00Z");
    /** An event's top-level fields: id, object, account, api_version, created, data, livemode, pending_webhooks, request, type. */
    private static final int EVENT_FIELDS = 10;
    /**
     * The two sides take turns in blocks this size, so that both meet the machine in the same state: DynamoDB
     * Local hands every SQLite step to its own thread, and how fast that hand-off is drifts over seconds.
     */
    static final int CPU_BLOCK = 100;
    static final int DB_BLOCK = 50;

    /** The demo's first example agreement (examples/agreements/sarah-mindfulness.yaml), as the user writes it. */
    static final String AGREEMENT_YAML = """
            id: sarah-mindfulness
            name: Sarah Lee Mindfulness x Dalai Digital
            expert: {name: Sarah Lee, emails: [sarah@example.com]}
            partner: {name: Dalai Digital, emails: [books@dalai.example]}
            stripe: {account: acct_1SarahExample}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2025-11-01, end: 2028-10-31}
            split:
              - {year: 1, partnerPercent: 25}
              - {year: 2, partnerPercent: 20}
              - {year: 3, partnerPercent: 15}
            cap: {perAgreementYear: "20000.00"}
            buyout: {multiple: 2.5}
            amendments:
              - {effective: 2027-06-01, split: [{year: 2, partnerPercent: 22.5}]}
            revenue:
              shared: [course, membership, booking, digital_product]
              excluded:
                affiliate: "Affiliate commissions from other products"
              review: [tip, donation, sponsorship, speaking]
            """;

    private final Options options;
    private final PrintStream out;

    WebhookBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchCommand.main("webhook-bench", Options.USAGE, args, Options::parse, options -> new WebhookBench(options, System.out).run());
    }

    /** Measures both comparisons and prints the report; returns it for the smoke test. */
    Report run() {
        long started = System.nanoTime();
        Agreement agreement = AgreementFile.parse(AGREEMENT_YAML, "benchmark agreement");
        out.println("revshare webhook benchmark: StripeWebhook.receive on signed charge.succeeded deliveries");
        out.printf(Locale.ROOT, "  agreement %s (Stripe account %s); deliveries to %s, signed at %s, clock %s%n",
                agreement.id(), agreement.stripeAccount(), options.path(), SIGNED_AT, CLOCK.instant());
        out.printf(Locale.ROOT, "  Java %s (%s), %d cores, max heap %d MB; one thread%n", Runtime.version(),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        CpuResult cpu = cpuPath(agreement);
        ThroughputResult throughput = throughput(agreement);

        out.println();
        out.printf(Locale.ROOT, "RESULT (1) CPU path: handler/floor = %.2fx (budget <= %.2fx): %s%n", cpu.ratio(),
                CPU_BUDGET, cpu.withinBudget() ? "ok" : "OVER");
        out.printf(Locale.ROOT, "RESULT (2) DynamoDB Local: handler/bare = %.2fx events/s (budget >= %.2fx): %s%n",
                throughput.ratio(), THROUGHPUT_BUDGET, throughput.withinBudget() ? "ok" : "UNDER");
        out.printf(Locale.ROOT, "Total time %.1f s%n", (System.nanoTime() - started) / 1e9);
        return new Report(cpu, throughput);
    }

    // ---------------------------------------------------------------- (1) the CPU path

    private CpuResult cpuPath(Agreement agreement) {
        ChargeSucceededDeliveries generator = new ChargeSucceededDeliveries(agreement.stripeAccount(), SECRET, SIGNED_AT,
                options.pretty(), 1);
        List<Delivery> deliveries = generator.next(options.events());
        StubStores stubs = new StubStores(agreement);
        StripeWebhook ingestion = StripeWebhook.of(stubs.agreements(), stubs.bookings(), () -> SECRET, StripeLookup.NONE, CLOCK);
        int n = deliveries.size();

        out.println();
        out.println("(1) CPU path, stores stubbed (no I/O)");
        out.printf(Locale.ROOT, "  %s distinct deliveries, %s bytes of %s JSON each on average, every round through both sides%n",
                count(n), count(ChargeSucceededDeliveries.averageBytes(deliveries)), options.pretty() ? "pretty-printed" : "compact");
        out.println("  floor   = Webhook.Signature.verifyHeader (as StripeSignatureVerifier calls it) + Json.mapper().readTree(body)");
        out.println("  handler = StripeWebhook.receive(path, Stripe-Signature, body), which must answer RECORDED");
        out.printf(Locale.ROOT, "  Rounds: %d warm-up, %d measured; the two take turns in blocks of %d deliveries, and which goes "
                + "first alternates per round%n", options.warmup(), options.rounds(), CPU_BLOCK);
        out.printf(Locale.ROOT, "  %-10s %14s %14s %8s%n", "round", "floor", "handler", "ratio");
        List<long[]> measured = new ArrayList<>();
        for (int i = 0; i < options.warmup() + options.rounds(); i++) {
            boolean warmup = i < options.warmup();
            boolean floorFirst = i % 2 == 0;
            long floor = 0;
            long handler = 0;
            stubs.reset();
            System.gc();
            for (int from = 0; from < n; from += CPU_BLOCK) {
                List<Delivery> block = deliveries.subList(from, Math.min(n, from + CPU_BLOCK));
                if (floorFirst) {
                    floor += timeFloor(block);
                    handler += timeHandler(ingestion, block);
                } else {
                    handler += timeHandler(ingestion, block);
                    floor += timeFloor(block);
                }
            }
            if (stubs.calls("BookingStore.write") != n) {
                throw new IllegalStateException("the handler booked " + stubs.calls("BookingStore.write") + " sales for "
                        + n + " deliveries");
            }
            String label = warmup ? "warm-up " + (i + 1) : "round " + (i - options.warmup() + 1);
            out.printf(Locale.ROOT, "  %-10s %14s %14s %7.2fx%s%n", label, perEvent(floor, n), perEvent(handler, n),
                    (double) handler / floor, floorFirst ? "" : "   (handler first)");
            if (!warmup) {
                measured.add(new long[] {floor, handler});
            }
        }
        long floor = BenchCommand.median(measured.stream().mapToLong(r -> r[0]).toArray());
        long handler = BenchCommand.median(measured.stream().mapToLong(r -> r[1]).toArray());
        double ratio = medianRatio(measured.stream().mapToDouble(r -> (double) r[1] / r[0]).toArray());
        out.printf(Locale.ROOT, "  %-10s %14s %14s %7.2fx   (ratio: the median of the rounds' ratios)%n", "median",
                perEvent(floor, n), perEvent(handler, n), ratio);
        out.printf(Locale.ROOT, "  Store calls per event (stubbed): %s%n", perEventCounts(stubs.calls(), n));
        return new CpuResult(floor / (double) n / 1e3, handler / (double) n / 1e3, ratio, ratio <= CPU_BUDGET);
    }

    /** What every webhook handler must do: check the signature, read the body into a tree. */
    private static long timeFloor(List<Delivery> deliveries) {
        long fields = 0;
        long start = System.nanoTime();
        for (Delivery delivery : deliveries) {
            try {
                Webhook.Signature.verifyHeader(delivery.body(), delivery.signatureHeader(), SECRET,
                        StripeSignatureVerifier.TOLERANCE_SECONDS, CLOCK);
                JsonNode event = Json.mapper().readTree(delivery.body());
                fields += event.size();
            } catch (SignatureVerificationException | JsonProcessingException e) {
                throw new IllegalStateException("delivery " + delivery.eventId() + " fails the floor: " + e.getMessage(), e);
            }
        }
        long nanos = System.nanoTime() - start;
        if (fields != (long) EVENT_FIELDS * deliveries.size()) {
            throw new IllegalStateException("the floor read " + fields + " top-level fields, expected "
                    + (long) EVENT_FIELDS * deliveries.size());
        }
        return nanos;
    }

    /** Every delivery through the webhook's ingestion; each must be recorded as its own sale. */
    private long timeHandler(StripeWebhook ingestion, List<Delivery> deliveries) {
        String path = options.path();
        int wrong = 0;
        BookingResult firstWrong = null;
        long start = System.nanoTime();
        for (Delivery delivery : deliveries) {
            BookingResult result = ingestion.receive(path, delivery.signatureHeader(), delivery.body());
            if (result.outcome() != Outcome.RECORDED) {
                wrong++;
                firstWrong = firstWrong == null ? result : firstWrong;
            }
        }
        long nanos = System.nanoTime() - start;
        if (wrong > 0) {
            throw new IllegalStateException(wrong + " of " + deliveries.size() + " deliveries were not recorded, e.g. "
                    + firstWrong.outcome() + ": " + firstWrong.message());
        }
        return nanos;
    }

    // ---------------------------------------------------------------- (2) throughput into DynamoDB Local

    private ThroughputResult throughput(Agreement agreement) {
        int n = options.dbEvents();
        out.println();
        out.println("(2) Throughput into DynamoDB Local (in-process), one thread, the same DynamoDbClient on both sides");
        out.println("  handler = StripeWebhook.receive with the real DynamoDB repositories");
        out.println("  bare    = TransactWriteItems replaying copies of the transactions the handler's store issued (fresh keys)");
        out.printf(Locale.ROOT, "  %s new deliveries per round; Rounds: %d warm-up, %d measured; the two take turns in blocks "
                + "of %d deliveries, and which goes first alternates per round%n", count(n), options.warmup(), options.rounds(),
                DB_BLOCK);
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true);
        try {
            RecordingDynamoDb dynamo = RecordingDynamoDb.around(local.dynamoDbClient());
            DynamoDbStores store = DynamoDbStores.createdOver(dynamo.client(), TABLE);
            store.agreements().put(agreement, APPLIED_AT);
            StripeWebhook ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, CLOCK);
            ChargeSucceededDeliveries generator = new ChargeSucceededDeliveries(agreement.stripeAccount(), SECRET, SIGNED_AT,
                    options.pretty(), 2);

            out.printf(Locale.ROOT, "  %-10s %16s %16s %8s%n", "round", "bare", "handler", "ratio");
            List<long[]> measured = new ArrayList<>();
            Map<String, long[]> handlerCalls = new TreeMap<>();
            Map<String, long[]> bareCalls = new TreeMap<>();
            // the transactions the handler issued, block by block, in the round before
            List<List<TransactWriteItemsRequest>> previous = null;
            for (int i = 0; i < options.warmup() + options.rounds(); i++) {
                boolean warmup = i < options.warmup();
                // the first round runs the handler first, so a bare-first round always has a round before to replay
                boolean handlerFirst = i % 2 == 0;
                String suffix = "~bare" + i;
                List<Delivery> deliveries = generator.next(n);
                Tally handlerTally = new Tally();
                Tally bareTally = new Tally();
                List<List<TransactWriteItemsRequest>> issued = new ArrayList<>();
                List<TransactWriteItemsRequest> replayed = new ArrayList<>();
                long bare = 0;
                long handler = 0;
                System.gc();
                for (int from = 0, b = 0; from < n; from += DB_BLOCK, b++) {
                    List<Delivery> block = deliveries.subList(from, Math.min(n, from + DB_BLOCK));
                    if (!handlerFirst) {
                        List<TransactWriteItemsRequest> replay = freshCopies(previous.get(b), suffix);
                        bare += timeBare(dynamo, bareTally, replay);
                        replayed.addAll(replay);
                    }
                    int before = handlerTally.transactions().size();
                    dynamo.recordInto(handlerTally);
                    handler += timeHandler(ingestion, block);
                    dynamo.recordInto(null);
                    issued.add(List.copyOf(handlerTally.transactions().subList(before, handlerTally.transactions().size())));
                    if (handlerFirst) {
                        List<TransactWriteItemsRequest> replay = freshCopies(issued.get(b), suffix);
                        bare += timeBare(dynamo, bareTally, replay);
                        replayed.addAll(replay);
                    }
                }
                verifyBooked(store, agreement, deliveries);
                verifyReplayed(dynamo.client(), replayed);
                previous = issued;
                String label = warmup ? "warm-up " + (i + 1) : "round " + (i - options.warmup() + 1);
                out.printf(Locale.ROOT, "  %-10s %16s %16s %7.2fx%s%n", label, eventsPerSecond(n, bare),
                        eventsPerSecond(n, handler), (double) bare / handler, handlerFirst ? "" : "   (bare first)");
                if (!warmup) {
                    measured.add(new long[] {bare, handler});
                    add(handlerCalls, handlerTally);
                    add(bareCalls, bareTally);
                }
            }
            long bare = BenchCommand.median(measured.stream().mapToLong(r -> r[0]).toArray());
            long handler = BenchCommand.median(measured.stream().mapToLong(r -> r[1]).toArray());
            double ratio = medianRatio(measured.stream().mapToDouble(r -> (double) r[0] / r[1]).toArray());
            out.printf(Locale.ROOT, "  %-10s %16s %16s %7.2fx   (ratio: the median of the rounds' ratios)%n", "median",
                    eventsPerSecond(n, bare), eventsPerSecond(n, handler), ratio);
            long events = (long) n * options.rounds();
            Map<String, Double> perEvent = printCalls(handlerCalls, bareCalls, events,
                    measured.stream().mapToLong(r -> r[1]).sum(), measured.stream().mapToLong(r -> r[0]).sum());
            return new ThroughputResult(n / (bare / 1e9), n / (handler / 1e9), ratio, ratio >= THROUGHPUT_BUDGET, perEvent);
        } finally {
            local.shutdown();
        }
    }

    /** The transactions exactly as the store built them, one after the other, through the same client. */
    private static long timeBare(RecordingDynamoDb dynamo, Tally tally, List<TransactWriteItemsRequest> replay) {
        DynamoDbClient client = dynamo.client();
        dynamo.recordInto(tally);
        long start = System.nanoTime();
        for (TransactWriteItemsRequest request : replay) {
            client.transactWriteItems(request);
        }
        long nanos = System.nanoTime() - start;
        dynamo.recordInto(null);
        return nanos;
    }

    /**
     * Copies of the captured transactions whose items all get a new sort key ({@code sk + suffix}), so every
     * conditional put lands on a key nobody wrote: the same partitions, item sizes, conditions and item count.
     */
    static List<TransactWriteItemsRequest> freshCopies(List<TransactWriteItemsRequest> captured, String suffix) {
        List<TransactWriteItemsRequest> copies = new ArrayList<>(captured.size());
        for (TransactWriteItemsRequest request : captured) {
            List<TransactWriteItem> items = new ArrayList<>(request.transactItems().size());
            for (TransactWriteItem item : request.transactItems()) {
                if (item.conditionCheck() != null) {
                    items.add(item); // the agreement's closing mark, read as the handler's store reads it
                    continue;
                }
                Put put = item.put();
                if (put == null) {
                    throw new IllegalStateException("the store's transaction holds more than puts; the replay "
                            + "must learn to rewrite " + item);
                }
                Map<String, AttributeValue> fresh = new HashMap<>(put.item());
                fresh.put("sk", AttributeValue.fromS(put.item().get("sk").s() + suffix));
                items.add(item.toBuilder().put(put.toBuilder().item(fresh).build()).build());
            }
            copies.add(request.toBuilder().transactItems(items).build());
        }
        return copies;
    }

    /** After the timing (every delivery was answered RECORDED): the first and last sales read back as delivered. */
    private static void verifyBooked(DynamoDbStores store, Agreement agreement, List<Delivery> deliveries) {
        for (Delivery delivery : List.of(deliveries.getFirst(), deliveries.getLast())) {
            Optional<LedgerLine> line = store.bookings().payments(agreement.id(), List.of(delivery.paymentKey())).stream()
                    .map(PaymentRecord::booked).flatMap(List::stream).findFirst();
            if (line.isEmpty() || line.get().amount() != delivery.amount() || !delivery.eventId().equals(line.get().eventId())) {
                throw new IllegalStateException("sale " + delivery.paymentKey() + " was not booked as delivered: " + line);
            }
        }
    }

    /** After the timing: the first and last replayed transactions' items are all in the table. */
    private static void verifyReplayed(DynamoDbClient client, List<TransactWriteItemsRequest> replay) {
        for (TransactWriteItemsRequest request : List.of(replay.getFirst(), replay.getLast())) {
            for (TransactWriteItem item : request.transactItems()) {
                if (item.put() == null) {
                    continue; // a condition, not an item written
                }
                Map<String, AttributeValue> key = Map.of("pk", item.put().item().get("pk"), "sk", item.put().item().get("sk"));
                if (!client.getItem(b -> b.tableName(item.put().tableName()).key(key).consistentRead(true)).hasItem()) {
                    throw new IllegalStateException("replayed item " + key + " is not in the table");
                }
            }
        }
    }

    private Map<String, Double> printCalls(Map<String, long[]> handlerCalls, Map<String, long[]> bareCalls, long events,
                                           long handlerNanos, long bareNanos) {
        out.println();
        out.printf(Locale.ROOT, "  DynamoDB calls per event, measured rounds (%s events each side):%n", count(events));
        out.printf(Locale.ROOT, "    %-52s %9s %11s %12s%n", "handler: operation and keys", "per event", "us per call",
                "us per event");
        Map<String, Double> perEvent = new LinkedHashMap<>();
        long inDynamo = 0;
        long calls = 0;
        for (Map.Entry<String, long[]> kind : handlerCalls.entrySet()) {
            long[] stats = kind.getValue();
            perEvent.put(kind.getKey(), stats[0] / (double) events);
            inDynamo += stats[1];
            calls += stats[0];
            out.printf(Locale.ROOT, "    %-52s %9.2f %11.0f %12.0f%n", kind.getKey(), stats[0] / (double) events,
                    stats[1] / 1e3 / stats[0], stats[1] / 1e3 / events);
        }
        out.printf(Locale.ROOT, "    %-52s %9.2f %11s %12.0f%n", "all DynamoDB calls", calls / (double) events, "",
                inDynamo / 1e3 / events);
        out.printf(Locale.ROOT, "    %-52s %9s %11s %12.0f%n", "outside DynamoDB (verify, parse, read agreement, book)", "",
                "", (handlerNanos - inDynamo) / 1e3 / events);
        out.printf(Locale.ROOT, "    %-52s %9s %11s %12.0f%n", "handler, whole delivery", "", "", handlerNanos / 1e3 / events);
        for (Map.Entry<String, long[]> kind : bareCalls.entrySet()) {
            long[] stats = kind.getValue();
            out.printf(Locale.ROOT, "    %-52s %9.2f %11.0f %12.0f%n", "bare: " + kind.getKey(), stats[0] / (double) events,
                    stats[1] / 1e3 / stats[0], stats[1] / 1e3 / events);
        }
        out.printf(Locale.ROOT, "    %-52s %9s %11s %12.0f%n", "bare, whole event", "", "", bareNanos / 1e3 / events);
        return perEvent;
    }

    private static void add(Map<String, long[]> totals, Tally tally) {
        tally.calls().forEach((kind, stats) -> {
            long[] total = totals.computeIfAbsent(kind, k -> new long[2]);
            total[0] += stats[0];
            total[1] += stats[1];
        });
    }

    private static String perEventCounts(Map<String, Long> calls, int events) {
        List<String> parts = new ArrayList<>();
        calls.forEach((method, count) -> parts.add(String.format(Locale.ROOT, "%s %.2f", method, count / (double) events)));
        return String.join(", ", parts);
    }

    /**
     * The ratio reported: each round's ratio compares two sides that ran interleaved, in the same state of the
     * machine, so their median is steadier than the ratio of two medians taken from different rounds.
     */
    static double medianRatio(double[] ratios) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String perEvent(long nanos, int events) {
        return String.format(Locale.ROOT, "%.1f us/event", nanos / 1e3 / events);
    }

    private static String eventsPerSecond(int events, long nanos) {
        return String.format(Locale.ROOT, "%,.0f events/s", events / (nanos / 1e9));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** @param floorMicros median µs per event of the floor; {@code handlerMicros} of the handler */
    record CpuResult(double floorMicros, double handlerMicros, double ratio, boolean withinBudget) {}

    /** @param handlerCallsPerEvent DynamoDB calls the handler made per event, by {@link RecordingDynamoDb#kind} */
    record ThroughputResult(double bareEventsPerSecond, double handlerEventsPerSecond, double ratio, boolean withinBudget,
                            Map<String, Double> handlerCallsPerEvent) {}

    record Report(CpuResult cpu, ThroughputResult throughput) {}

    /** @param pretty bodies pretty-printed as Stripe's webhook deliveries are (about 4 KB), else compact (about 3 KB) */
    record Options(int events, int dbEvents, int rounds, int warmup, String path, boolean pretty) {
        static final String USAGE = "usage: WebhookBench [--events N (10000): deliveries per round, CPU path] "
                + "[--db-events N (2000): per round, DynamoDB Local] [--rounds R (7)] [--warmup W (3)] "
                + "[--path /stripe | /stripe/sarah-mindfulness (/stripe)] [--pretty: bodies laid out as Stripe's]";

        static Options parse(String... args) {
            int events = 10_000, dbEvents = 2_000, rounds = 7, warmup = 3;
            String path = "/stripe";
            boolean pretty = false;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--pretty")) {
                    pretty = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--events" -> events = BenchCommand.count(name, value);
                    case "--db-events" -> dbEvents = BenchCommand.count(name, value);
                    case "--rounds" -> rounds = BenchCommand.count(name, value);
                    case "--warmup" -> warmup = BenchCommand.count(name, value);
                    case "--path" -> {
                        if (!value.equals("/stripe") && !value.startsWith("/stripe/")) {
                            throw new IllegalArgumentException("--path is /stripe or /stripe/{agreementId}: " + value);
                        }
                        path = value;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(events, dbEvents, rounds, warmup, path, pretty);
        }
    }
}
