package dev.revshare.cli;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.reconcile.Comparison;
import dev.revshare.reconcile.Comparison.Difference;
import dev.revshare.reconcile.Comparison.Tally;
import dev.revshare.reconcile.MovementKind;
import dev.revshare.reconcile.Reconciliation;
import dev.revshare.reconcile.ReconciliationReport;
import dev.revshare.reconcile.ReconciliationReport.Booked;
import java.io.PrintStream;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "reconcile", mixinStandardHelpOptions = true, subcommands = SweepCommand.class,
        synopsisSubcommandLabel = "[sweep]",
        description = {"Check an agreement's month against what Stripe recorded (its balance transactions, read with the "
                + "agreement's read-only key), print the comparison, and book what the ledger lacks as its webhooks would "
                + "have. What the ledger has and Stripe does not, or with another amount, is never changed: it is kept for "
                + "a person (revshare events unclaimed).",
                "Exit status: 0 the ledger matches Stripe; 1 differences remain (with --dry-run: something to book); "
                        + "2 a mistake in the command or no API key; 3 Stripe or the store failed, nothing booked: run it again.",
                "revshare reconcile sweep: the daily sweep of the events Stripe could not deliver, by hand (see its --help)."})
final class ReconcileCommand implements Callable<Integer> {
    static final int DIFFERENCES = 1;
    static final int FAILED = 3;

    @ParentCommand
    RevshareCommand root;

    // required for a month's reconciliation, not for `reconcile sweep`: checked in call()
    @Option(names = "--agreement", paramLabel = "ID", description = "The agreement (required).")
    String agreementId;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "The month, in the agreement's time zone (required).")
    String period;

    @Option(names = "--dry-run", description = "Compare only: book nothing, keep nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (agreementId == null || period == null) {
            throw new RevshareCommand.UserError("reconcile needs --agreement ID and --period YYYY-MM (or `revshare reconcile "
                    + "sweep` for the daily sweep of Stripe's undelivered events)");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(period);
        } catch (DateTimeParseException e) {
            throw new RevshareCommand.UserError("--period must be a month as YYYY-MM, was '" + period + "'");
        }
        Clock clock = Clock.systemUTC();
        try (Backend backend = root.backend(clock)) {
            Agreement agreement = backend.store().agreements().find(agreementId)
                    .orElseThrow(() -> new RevshareCommand.UserError("no agreement with id " + agreementId));
            Reconciliation reconciliation = Reconciliation.withStripeApi(backend.store().agreements(), backend.store().bookings(),
                    backend.store().ledger(), backend.stripeApiKeys(), System.getenv("STRIPE_API_BASE"), clock);
            System.err.printf("Reconciling %s %s with Stripe (%s)...%n", agreement.id(), month, backend.where());
            ReconciliationReport report = reconciliation.reconcile(agreement, month, dryRun, new ProgressOnStderr(System.err));
            return switch (report.status()) {
                case NOT_CONFIGURED -> throw new RevshareCommand.UserError(report.problem() + ": "
                        + backend.stripeApiKeysFrom(agreement.id()) + ". Nothing was booked.");
                case FAILED -> {
                    System.err.println("revshare: reconciliation failed: " + report.problem());
                    System.err.println("Nothing was booked; the next run starts again.");
                    yield FAILED;
                }
                case RECONCILED, DIFFERENCES -> {
                    System.out.print(text(agreement, report));
                    boolean open = report.status() == ReconciliationReport.Status.DIFFERENCES
                            || report.booked().stream().anyMatch(Booked::failed);
                    yield open ? DIFFERENCES : 0;
                }
            };
        }
    }

    /** Stripe's listing, a page at a time (a busy month is a hundred pages), then the bookings. */
    private record ProgressOnStderr(PrintStream err) implements Reconciliation.Progress {
        @Override
        public void listed(int pages, int transactions) {
            if (pages == 1 || pages % 10 == 0) {
                err.printf("  listed %,d balance transactions (%d page%s)%n", transactions, pages, pages == 1 ? "" : "s");
            }
        }

        @Override
        public void booked(int done, int of) {
            if (done == of || done % 100 == 0) {
                err.printf("  booked %,d of %,d%n", done, of);
            }
        }
    }

    static String text(Agreement agreement, ReconciliationReport report) {
        StringBuilder out = new StringBuilder();
        Comparison found = report.comparison();
        out.append(String.format("Reconciliation of %s with Stripe, %s (%s)%s%n", agreement.id(), report.month(),
                agreement.timezone(), agreement.stripeAccount() == null ? "" : ", account " + agreement.stripeAccount()));
        out.append(String.format("The month runs from %s to %s; Stripe listed %,d balance transaction(s) around it "
                + "(%d page(s)).%n%n", found.from(), found.to(), report.listed(), report.pages()));
        out.append(sides(found));
        if (!found.notRevenue().isEmpty()) {
            out.append("  Not revenue, not compared: ").append(found.notRevenue().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))).append('\n');
        }
        out.append("  Stripe counts what moved in the account (tax included, in its settlement currency); the ledger counts\n"
                + "  revenue (tax left out, in the agreement's currency). Each movement is compared by its Stripe id.\n\n");
        out.append(String.format("Matched: %d of Stripe's %d movement(s).%n", found.matched(), found.stripeMovements()));

        Map<Difference, Booked> booked = new IdentityHashMap<>();
        report.booked().forEach(b -> booked.put(b.difference(), b));
        if (found.differences().isEmpty()) {
            out.append("Differences: none.\n");
        } else {
            out.append(String.format("Differences (%d):%n", found.differences().size()));
            for (Difference difference : found.differences()) {
                out.append(line(agreement, difference, booked.get(difference)));
            }
        }
        if (report.dryRun()) {
            long missing = found.differences(Difference.Kind.MISSING_IN_LEDGER).size();
            out.append(missing == 0 ? "\nDry run: nothing booked, nothing kept.\n"
                    : String.format("%nDry run: nothing booked, nothing kept. Without --dry-run, the %d movement(s) missing "
                    + "in the ledger are booked as their webhooks would have booked them.%n", missing));
            return out.toString();
        }
        if (!report.booked().isEmpty()) {
            Map<String, Long> outcomes = new TreeMap<>();
            report.booked().forEach(b -> outcomes.merge(b.outcome() == null ? "not booked"
                    : b.outcome().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
            out.append(String.format("%nBooked %d movement(s) through the webhook's booking path: %s.%n", report.booked().size(),
                    outcomes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))));
        }
        Comparison result = report.result();
        if (report.after() != null) {
            out.append(result.differences().isEmpty()
                    ? String.format("After booking: the ledger matches Stripe's %d movement(s) of %s.%n", result.stripeMovements(),
                    report.month())
                    : String.format("After booking: %d difference(s) remain.%n", result.differences().size()));
        }
        if (!report.held().isEmpty()) {
            out.append(String.format("Kept for a person (revshare events unclaimed): %d difference(s). The ledger was not "
                    + "changed: look each one up in the Stripe Dashboard.%n", report.held().size()));
        }
        if (report.problem() != null) {
            out.append("Problem: ").append(report.problem()).append('\n');
        }
        if (report.booked().stream().anyMatch(Booked::failed)) {
            out.append("Some movements could not be booked (see above): run it again; nothing is booked twice.\n");
        }
        return out.toString();
    }

    private static String sides(Comparison found) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("  %-24s %6s %16s   %6s %16s%n", "", "Stripe", "", "ledger", ""));
        for (MovementKind kind : MovementKind.values()) {
            Tally stripe = found.stripe().getOrDefault(kind, new Tally(0, Map.of()));
            Tally ledger = found.ledger().getOrDefault(kind, new Tally(0, Map.of()));
            if (stripe.count() == 0 && ledger.count() == 0) {
                continue;
            }
            out.append(String.format("  %-24s %6d %16s   %6d %16s%n", kind.label + "s", stripe.count(), amounts(stripe.amounts()),
                    ledger.count(), amounts(ledger.amounts())));
        }
        out.append(String.format("  %-24s %6d %16s   %6d %16s%n", "total", found.stripeMovements(),
                amounts(Comparison.total(found.stripe())), found.ledgerMovements(), amounts(Comparison.total(found.ledger()))));
        return out.toString();
    }

    private static String line(Agreement agreement, Difference difference, Booked booked) {
        List<String> amounts = new ArrayList<>();
        if (difference.stripeAmount() != null) {
            amounts.add("Stripe " + Money.format(difference.stripeAmount(), difference.stripeCurrency()));
        }
        if (difference.ledgerAmount() != null) {
            amounts.add("ledger " + Money.format(difference.ledgerAmount(), difference.ledgerCurrency()));
        }
        String what = switch (difference.kind()) {
            case MISSING_IN_LEDGER -> "missing in the ledger";
            case MISSING_IN_STRIPE -> "missing in Stripe";
            case AMOUNT_DIFFERS -> "amount differs";
        };
        String transaction = difference.balanceTransaction() == null || difference.balanceTransaction().equals(difference.stripeId())
                ? "" : " (" + difference.balanceTransaction() + ")";
        String outcome = booked == null ? "" : "  -> " + (booked.outcome() == null ? booked.message()
                : "booked: " + booked.outcome().name().toLowerCase(Locale.ROOT)
                + (booked.failed() ? " (" + booked.message() + ")" : ""));
        return String.format("  %s  %-21s %-21s %s%s  %s%s%n      %s%n", agreement.dayOf(difference.at()), what,
                difference.movement().label, difference.stripeId(), transaction, String.join(", ", amounts), outcome,
                difference.detail() + (difference.kind() == Difference.Kind.MISSING_IN_LEDGER ? "" : "; the ledger was not changed"));
    }

    private static String amounts(Map<String, Long> byCurrency) {
        if (byCurrency.isEmpty()) {
            return "-";
        }
        return byCurrency.entrySet().stream().map(e -> Money.format(e.getValue(), e.getKey())).collect(Collectors.joining(" + "));
    }
}
