package dev.revshare.reconcile;

import dev.revshare.domain.Statement;
import dev.revshare.ingest.BookingResult;
import dev.revshare.reconcile.Comparison.Difference;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * What reconciling an agreement's month with Stripe found and did.
 *
 * @param status     how it ended
 * @param problem    what failed, in a sentence (FAILED, NOT_CONFIGURED; or a difference that could not be held)
 * @param pages      pages of balance transactions Stripe answered
 * @param listed     balance transactions Stripe listed around the month (a day before it, a week after it)
 * @param comparison the month as found, before booking anything; null when Stripe was not read
 * @param booked     each movement missing in the ledger, booked through the webhook's booking path (none in a dry run)
 * @param after      the month compared again after booking; null when nothing was booked
 * @param held       the differences kept for a person ({@code revshare events unclaimed}), by their set-aside id
 */
public record ReconciliationReport(String agreementId, YearMonth month, Instant reconciledAt, boolean dryRun, Status status,
                                   String problem, int pages, int listed, Comparison comparison, List<Booked> booked, Comparison after,
                                   List<String> held, Timings timings) {

    public ReconciliationReport {
        booked = List.copyOf(booked);
        held = List.copyOf(held);
    }

    public enum Status {
        /** every Stripe movement of the month is in the ledger with its amount, and the ledger has nothing Stripe lacks */
        RECONCILED,
        /** compared; differences remain (held for a person, or movements still to book) */
        DIFFERENCES,
        /** no Stripe API key is set up for the agreement: its books are not checked against Stripe */
        NOT_CONFIGURED,
        /** Stripe (or the store) did not answer in full: nothing was booked or held; the next run starts again */
        FAILED
    }

    /**
     * One movement missing in the ledger, handed to the booking path as the event its webhook would have been.
     *
     * @param outcome the booking's outcome (RECORDED; DUPLICATE when the ledger had it under another id; PENDING when
     *                its payment is not in the ledger; a retryable outcome when the store or Stripe failed); null when
     *                the event could not be built
     */
    public record Booked(Difference difference, String eventId, BookingResult.Outcome outcome, String message) {
        public boolean failed() {
            return outcome == null || outcome.retry;
        }
    }

    /** Where the time went: the listing (Stripe's pages), reading the ledger, the comparison itself, booking. */
    public record Timings(Duration listing, Duration ledger, Duration comparison, Duration booking) {
        public static final Timings NONE = new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        public Duration total() {
            return listing.plus(ledger).plus(comparison).plus(booking);
        }
    }

    /** The comparison that stands: after booking when something was booked, else as found. */
    public Comparison result() {
        return after != null ? after : comparison;
    }

    /** Movements the booking path recorded (new ledger lines). */
    public long recorded() {
        return booked.stream().filter(b -> b.outcome() == BookingResult.Outcome.RECORDED).count();
    }

    /**
     * The proof a statement carries of this reconciliation (not of a dry run). A run that could not finish its work
     * (Stripe or the store failed, a movement that could not be booked because the store or Stripe failed, the
     * differences not kept for a person) is FAILED: the month's books are not proven complete, and the next run
     * starts again.
     */
    public Statement.Reconciliation proof() {
        if (dryRun) {
            throw new IllegalStateException("a dry run proves nothing: nothing was booked");
        }
        return switch (status) {
            case NOT_CONFIGURED -> Statement.Reconciliation.notReconciled(reconciledAt, problem);
            case FAILED -> new Statement.Reconciliation(Statement.Reconciliation.Status.FAILED, reconciledAt, 0, Map.of(), 0,
                    List.of(), 0, problem);
            case RECONCILED, DIFFERENCES -> compared();
        };
    }

    private Statement.Reconciliation compared() {
        List<Booked> notBooked = booked.stream().filter(b -> b.outcome() != null && b.outcome().retry).toList();
        String failure = problem;
        if (failure == null && !notBooked.isEmpty()) {
            failure = notBooked.size() + " movement(s) Stripe has and the ledger lacked could not be booked (" + notBooked.get(0)
                    .difference().stripeId() + ": " + notBooked.get(0).message() + ")";
        }
        Comparison result = result();
        List<Statement.Reconciliation.Difference> differences = result.differences().stream()
                .limit(Statement.Reconciliation.DIFFERENCES_LISTED).map(ReconciliationReport::difference).toList();
        Statement.Reconciliation.Status proven = failure != null ? Statement.Reconciliation.Status.FAILED
                : result.differences().isEmpty() ? Statement.Reconciliation.Status.RECONCILED
                : Statement.Reconciliation.Status.DIFFERENCES;
        return new Statement.Reconciliation(proven, reconciledAt, comparison.stripeMovements(),
                Comparison.total(comparison.stripe()), (int) recorded(), differences, result.differences().size(), failure);
    }

    private static Statement.Reconciliation.Difference difference(Difference d) {
        return new Statement.Reconciliation.Difference(d.stripeId(), Statement.Reconciliation.Kind.valueOf(d.kind().name()),
                d.movement().label, d.at(), d.stripeAmount(), d.stripeCurrency(), d.ledgerAmount(), d.ledgerCurrency(), d.detail());
    }
}
