package dev.revshare.bench;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.bench.RecordingDynamoDb.Tally;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import dev.revshare.reconcile.Reconciliation;
import dev.revshare.reconcile.ReconciliationReport;
import dev.revshare.reconcile.ReconciliationReport.Timings;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeLookup;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Reconciling one agreement-month of {@code --transactions} balance transactions (10,000 by default: 100 pages of
 * 100, each a charge of about 3 KB with its source expanded) from a fake Stripe API on loopback, against a ledger
 * in DynamoDB Local (in-process) that lacks {@code --missing} of them. It reports, per month reconciled, the calls
 * to Stripe and to DynamoDB and where the time goes: Stripe's pages, reading the ledger, the comparison itself and
 * booking what is missing. The comparison must stay a small fraction of the whole: at most
 * {@value #COMPARISON_BUDGET_PERCENT} % of a dry run (listing, reading, comparing), whose median over the rounds
 * is reported, after warm-up runs (the JIT compiles the comparison's loops only after a few months' worth of
 * movements); then one run books the missing movements. Stripe's real API answers a page in a second or so
 * where the fake takes milliseconds: against Stripe the fraction is smaller still. A report, not a test: it exits 0.
 *
 * <pre>make bench-reconcile   # or: make bench-reconcile RECONCILE_BENCH_ARGS="--transactions 2000 --rounds 3"</pre>
 */
public final class ReconcileBench {
    static final double COMPARISON_BUDGET_PERCENT = 5.0;
    static final YearMonth MONTH = YearMonth.of(2026, 10);
    /** After October's grace period (the agreement's zone is Europe/Madrid). */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T06:00:00Z"), ZoneOffset.UTC);
    private static final Instant APPLIED_AT = Instant.parse("2025-10-20T12:00:00Z");
    private static final String TABLE = "revshare-reconcile-bench";

    private final Options options;
    private final PrintStream out;

    ReconcileBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchCommand.main("reconcile-bench", Options.USAGE, args, Options::parse,
                options -> new ReconcileBench(options, System.out).run());
    }

    /** One dry run's figures: per step, and the calls. */
    record Round(Timings timings, int stripeCalls, Map<String, long[]> dynamoCalls) {}

    /**
     * @param comparisonPercent the comparison's share of the median dry run
     * @param booking           the run that booked the missing movements
     */
    record Report(int transactions, int missing, Round median, double comparisonPercent, boolean withinBudget,
                  ReconciliationReport booking, Round bookingRound) {}

    Report run() {
        long started = System.nanoTime();
        Agreement agreement = AgreementFile.parse(WebhookBench.AGREEMENT_YAML, "benchmark agreement");
        out.printf(Locale.ROOT, "revshare reconciliation benchmark: %s, %s, %,d balance transactions (%d a page), "
                + "%,d of them missing in the ledger%n", agreement.id(), MONTH, options.transactions(), BalanceTransactionPages.PAGE,
                options.missing());
        out.printf(Locale.ROOT, "  Java %s, %d cores; DynamoDB Local in-process; a fake Stripe API on loopback%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());

        List<JsonNode> deliveries = month(agreement);
        int total = deliveries.size();
        Set<Integer> lost = lost();
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true);
        try (BalanceTransactionPages stripe = new BalanceTransactionPages(deliveries.stream()
                .map(event -> event.path("data").path("object")).toList())) {
            RecordingDynamoDb dynamo = RecordingDynamoDb.around(local.dynamoDbClient());
            DynamoDbStores store = DynamoDbStores.createdOver(dynamo.client(), TABLE);
            store.agreements().put(agreement, APPLIED_AT);
            EventRouter router = new EventRouter(store.agreements(), store.bookings(), StripeLookup.NONE, CLOCK);
            long loading = System.nanoTime();
            for (int i = 0; i < total; i++) {
                if (!lost.contains(i)) {
                    BookingResult result = router.receiveTrusted(Json.write(deliveries.get(i)));
                    if (result.outcome() != BookingResult.Outcome.RECORDED) {
                        throw new IllegalStateException("loading the ledger: " + result);
                    }
                }
            }
            out.printf(Locale.ROOT, "  ledger loaded: %,d payments booked through the webhook's path in %.1f s%n",
                    total - lost.size(), (System.nanoTime() - loading) / 1e9);
            deliveries = null; // the fake serves its pages as bytes: the events' trees would only weigh on the collector

            Reconciliation reconciliation = new Reconciliation(store.ledger(), store.bookings(), router,
                    new StripeApiBalanceTransactions(a -> new StripeApiKeys.ApiKey("rk_test_bench", a.stripeAccount()),
                            stripe.baseUrl()), CLOCK);
            for (int i = 0; i < options.warmup(); i++) {
                reconciliation.reconcile(agreement, MONTH, true);
            }
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < options.rounds(); i++) {
                rounds.add(measured(dynamo, stripe, () -> check(reconciliation.reconcile(agreement, MONTH, true), lost.size())));
            }
            rounds.sort((a, b) -> a.timings().total().compareTo(b.timings().total()));
            Round median = rounds.get(rounds.size() / 2);
            ReconciliationReport[] booking = new ReconciliationReport[1];
            Round bookingRound = measured(dynamo, stripe, () -> {
                booking[0] = reconciliation.reconcile(agreement, MONTH, false);
                return booking[0];
            });

            double percent = 100.0 * median.timings().comparison().toNanos() / median.timings().total().toNanos();
            boolean within = percent <= COMPARISON_BUDGET_PERCENT;
            print("dry run (compare only), median of " + options.rounds(), median, options.transactions());
            print("the run that books the " + lost.size() + " missing (and compares again)", bookingRound, options.transactions());
            out.printf(Locale.ROOT, "    booked: %d recorded; after booking: %d difference(s)%n", booking[0].recorded(),
                    booking[0].result().differences().size());
            out.println();
            out.printf(Locale.ROOT, "RESULT comparison = %.1f%% of a month's reconciliation (%d ms of %d ms; budget <= %.0f%%): %s%n",
                    percent, median.timings().comparison().toMillis(), median.timings().total().toMillis(),
                    COMPARISON_BUDGET_PERCENT, within ? "ok" : "OVER");
            out.printf(Locale.ROOT, "Total time %.1f s%n", (System.nanoTime() - started) / 1e9);
            return new Report(options.transactions(), lost.size(), median, percent, within, booking[0], bookingRound);
        } finally {
            local.shutdown();
        }
    }

    private static ReconciliationReport check(ReconciliationReport report, int lost) {
        if (report.status() == ReconciliationReport.Status.FAILED || report.comparison().differences().size() != lost) {
            throw new IllegalStateException("the dry run found " + (report.comparison() == null ? report.problem()
                    : report.comparison().differences().size() + " differences, not " + lost));
        }
        return report;
    }

    private Round measured(RecordingDynamoDb dynamo, BalanceTransactionPages stripe,
                           java.util.function.Supplier<ReconciliationReport> run) {
        Tally tally = new Tally();
        int before = stripe.requests();
        dynamo.recordInto(tally);
        ReconciliationReport report;
        try {
            report = run.get();
        } finally {
            dynamo.recordInto(null);
        }
        return new Round(report.timings(), stripe.requests() - before, tally.calls());
    }

    private void print(String what, Round round, int transactions) {
        Timings t = round.timings();
        out.println();
        out.printf(Locale.ROOT, "  %s:%n", what);
        out.printf(Locale.ROOT, "    %-34s %9s %10s%n", "step", "calls", "ms");
        out.printf(Locale.ROOT, "    %-34s %9d %10d%n", "Stripe: pages of balance transactions", round.stripeCalls(),
                t.listing().toMillis());
        long dynamoCalls = round.dynamoCalls().values().stream().mapToLong(stats -> stats[0]).sum();
        out.printf(Locale.ROOT, "    %-34s %9d %10d%n", "the ledger and its payments (DynamoDB)", dynamoCalls, t.ledger().toMillis());
        out.printf(Locale.ROOT, "    %-34s %9s %10d%n", "the comparison", "-", t.comparison().toMillis());
        out.printf(Locale.ROOT, "    %-34s %9s %10d%n", "booking", "", t.booking().toMillis());
        out.printf(Locale.ROOT, "    %-34s %9s %10d   (%.0f us a balance transaction)%n", "whole month", "", t.total().toMillis(),
                t.total().toNanos() / 1e3 / transactions);
        round.dynamoCalls().forEach((kind, stats) -> out.printf(Locale.ROOT, "      DynamoDB %-40s %7d calls %8.0f ms%n", kind,
                stats[0], stats[1] / 1e6));
    }

    /** The month's charges, spread evenly over October in the agreement's zone, each a different payment. */
    private List<JsonNode> month(Agreement agreement) {
        ChargeSucceededDeliveries charges = new ChargeSucceededDeliveries(agreement.stripeAccount(), WebhookBench.SECRET,
                agreement.monthStart(MONTH), false, 11);
        long first = agreement.monthStart(MONTH).getEpochSecond() + 60;
        long span = agreement.monthEndExclusive(MONTH).getEpochSecond() - 120 - first;
        List<JsonNode> month = new ArrayList<>(options.transactions());
        for (int i = 0; i < options.transactions(); i++) {
            ObjectNode event = (ObjectNode) Json.read(charges.next().body(), JsonNode.class);
            long at = first + span * i / options.transactions();
            event.put("created", at + 2);
            ((ObjectNode) event.path("data").path("object")).put("created", at);
            month.add(event);
        }
        return month;
    }

    /** Which deliveries never arrived: a seeded choice, the same every run. */
    private Set<Integer> lost() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < options.transactions(); i++) {
            all.add(i);
        }
        Collections.shuffle(all, new Random(12));
        return new HashSet<>(all.subList(0, Math.min(options.missing(), all.size())));
    }

    record Options(int transactions, int missing, int rounds, int warmup) {
        static final String USAGE = "usage: ReconcileBench [--transactions N (10000): balance transactions in the month] "
                + "[--missing M (100): deliveries that never arrived] [--rounds R (5)] [--warmup W (3)]";

        static Options parse(String... args) {
            int transactions = 10_000, missing = 100, rounds = 5, warmup = 3;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--transactions" -> transactions = BenchCommand.count(name, value);
                    case "--missing" -> missing = BenchCommand.count(name, value);
                    case "--rounds" -> rounds = BenchCommand.count(name, value);
                    case "--warmup" -> warmup = BenchCommand.count(name, value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (missing > transactions) {
                throw new IllegalArgumentException("--missing cannot exceed --transactions");
            }
            return new Options(transactions, missing, rounds, warmup);
        }
    }
}
