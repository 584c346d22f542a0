package dev.revshare.store;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.ingest.RefundState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The ledger: every money movement recorded once, plus a receipt for every Stripe event handled. */
public interface LedgerStore {

    /**
     * Writes the receipt of a Stripe event together with the ledger line it produced (if any) and,
     * for a refund, the new refunded total of its sale, all or nothing.
     *
     * @param line           null when the event adds no line (ignored, unclaimed, nothing new)
     * @param refundProgress null unless the line is a refund
     */
    default WriteOutcome write(EventReceipt receipt, LedgerLine line, RefundProgress refundProgress) {
        return write(receipt, line == null ? List.of() : List.of(line), refundProgress);
    }

    /** As {@link #write(EventReceipt, LedgerLine, RefundProgress)}, for an event that books several lines at once. */
    WriteOutcome write(EventReceipt receipt, List<LedgerLine> lines, RefundProgress refundProgress);

    /**
     * Books a payment: its receipt, the sale under every id of the payment, and its lines, all or nothing.
     * A payment already booked under any of its ids (another event of it came first) books nothing again.
     */
    SaleWrite bookSale(EventReceipt receipt, BookedSale sale, List<LedgerLine> lines);

    /** Adds ids a booked payment is also known by (another of its events named them); ids known already stay. */
    void alias(String agreementId, String saleKey, List<String> ids);

    /** The payment booked under any of its ids (payment intent, charge, invoice, checkout session). */
    Optional<BookedSale> sale(String agreementId, String anyId);

    /**
     * Notes that a refund or dispute of a sale not booked yet is waiting, so that booking the sale joins it.
     *
     * @return false when the sale is booked already: join now
     */
    boolean markWaiting(String agreementId, String saleKey);

    /** Records the parties' resolution of a payment held for review (a later resolution replaces it). */
    void resolve(ReviewResolution resolution);

    /** The agreement's review resolutions. */
    List<ReviewResolution> resolutions(String agreementId);

    /**
     * Keeps an event no agreement claims, for inspection. It does not count as handled: once an agreement
     * claims its account, Stripe's resend of the event is booked. Keeping the same event again is harmless.
     */
    void keepUnclaimed(UnclaimedEvent event);

    /** Events no agreement claimed, oldest first. */
    List<UnclaimedEvent> unclaimed();

    /**
     * Books one ledger line unless its money movement is booked already (no receipt: for events that carry
     * several movements, whose receipt is written after them all).
     *
     * @return true when the line was new
     */
    boolean bookLine(LedgerLine line);

    /** Keeps a money movement whose sale the ledger does not have yet, to be booked when the sale is. */
    void keepPending(String agreementId, String saleLineId, PendingMovement movement);

    /** Movements waiting for a sale. */
    List<PendingMovement> pending(String agreementId, String saleLineId);

    /** Forgets a pending movement once it is booked. */
    void dropPending(String agreementId, String saleLineId, String lineId);

    /**
     * A money movement of a sale the ledger has not booked yet (a dispute arriving before its payment).
     *
     * @param amount signed, in minor units of {@code currency}
     */
    record PendingMovement(String lineId, String stripeId, dev.revshare.domain.LineType type, long amount, String currency,
                           Instant occurredAt, String eventId) {}

    /** A booked ledger line by its id (a sale's payment intent or charge), if the ledger has it. */
    Optional<LedgerLine> line(String agreementId, String lineId);

    /** What the ledger knows of a sale's refunds ({@link RefundState#NONE} when nothing yet). */
    RefundState refundState(String agreementId, String saleLineId);

    /** Total refunded so far of a sale, as the ledger's lines book it (0 when nothing was refunded). */
    default long refundedTotal(String agreementId, String saleLineId) {
        return refundState(agreementId, saleLineId).booked();
    }

    /** Lines of an agreement recorded in [from, to], in recording order. */
    List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to);

    /** What happened to a write. */
    enum WriteOutcome {
        WRITTEN,
        /** the event id was handled before: Stripe redelivered it */
        EVENT_ALREADY_HANDLED,
        /** another event already recorded the same money movement; the receipt alone was written */
        LINE_ALREADY_RECORDED,
        /** the sale's refund state moved since it was read: read again and retry */
        REFUND_TOTAL_MOVED
    }

    /** The record that a Stripe event was handled, and how. Holds no customer data. */
    record EventReceipt(String eventId, String eventType, String agreementId, String outcome, String detail,
                        Instant receivedAt) {}

    /**
     * What is kept of an event no agreement claims: ids, type, account and amount, no customer data.
     *
     * @param account the connected account it came from, or null for the platform's own
     * @param amount  the amount of the object it describes, when it has one, in minor units of {@code currency}
     * @param reason  why it is kept: no agreement claims its account, or what revshare could not read in it
     */
    record UnclaimedEvent(String eventId, String eventType, String account, Instant created, Instant receivedAt,
                          String objectId, Long amount, String currency, String reason) {}

    /** What happened to a payment's booking. */
    enum SaleWrite {
        BOOKED,
        /** booked, and refunds or disputes were waiting for it: join them now */
        BOOKED_WHILE_WAITING,
        EVENT_ALREADY_HANDLED,
        /** another event of the same payment booked it; this event's receipt alone was written */
        ALREADY_BOOKED
    }

    /** A sale's refund state moves from version {@code expectedVersion} to {@code next} (one version further). */
    record RefundProgress(String agreementId, String saleLineId, long expectedVersion, RefundState next) {}

}
