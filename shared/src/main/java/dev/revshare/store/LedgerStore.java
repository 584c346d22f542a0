package dev.revshare.store;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.ReviewResolution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reading the ledger, and the parties' review decisions. Lines are written only by booking Stripe
 * events ({@code dev.revshare.ingest.BookingStore}).
 */
public interface LedgerStore {

    /** Lines of an agreement recorded in [from, to], in recording order. */
    List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to);

    /** Records the parties' resolution of a payment held for review (a later resolution replaces it). */
    void resolve(ReviewResolution resolution);

    /** The agreement's review resolutions. */
    List<ReviewResolution> resolutions(String agreementId);

    /** Events set aside for a person (no agreement claims them, or revshare could not read them), oldest first. */
    List<SetAsideEvent> setAside();

    /** The agreement's payments with a refund or dispute booked before anything described the sale, oldest first. */
    List<WaitingPayment> waiting(String agreementId);

    /** A refund or dispute that arrived before its payment: booked with the payment when it arrives. */
    record WaitingPayment(String agreementId, String paymentKey, Instant since) {
        /**
         * Stripe sends a payment's events within seconds of each other and retries for three days: a
         * refund or dispute still waiting for its payment after a day needs a person.
         */
        public static final Duration GRACE = Duration.ofDays(1);

        public boolean overdue(Instant now) {
            return since.plus(GRACE).isBefore(now);
        }
    }
}
