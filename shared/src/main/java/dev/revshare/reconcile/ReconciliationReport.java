package dev.revshare.reconcile;

import dev.revshare.ingest.BookingResult;
import dev.revshare.reconcile.Comparison.Difference;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

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
}
