package dev.revshare.testing;

import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventReceipt;
import dev.revshare.ingest.PaymentRecord;
import java.util.List;
import java.util.Optional;

/** Ledger history for tests that start from lines, and what a test may ask of a booked payment. */
public final class TestLedger {
    private TestLedger() {}

    /** Writes a ledger line with the receipt of its own event, as a delivery writes it. */
    public static void record(BookingStore store, LedgerLine line) {
        EventReceipt receipt = new EventReceipt(line.eventId(), "test." + line.type().name().toLowerCase(java.util.Locale.ROOT),
                line.agreementId(), Outcome.RECORDED, line.lineId(), line.recordedAt());
        Booking booking = new Booking(receipt, List.of(), null, List.of(), List.of(line), List.of(), null, null);
        if (store.write(booking) != BookingStore.Written.WRITTEN) {
            throw new IllegalStateException("event " + line.eventId() + " was recorded before");
        }
    }

    /** The payment booked under any of its ids. */
    public static Optional<PaymentRecord> payment(BookingStore store, String agreementId, String anyId) {
        List<PaymentRecord> found = store.payments(agreementId, List.of(anyId));
        if (found.size() > 1) {
            throw new IllegalStateException(anyId + " names " + found.size() + " payments");
        }
        return found.stream().findFirst();
    }

    /** The refunded total the payment's lines book (0 when nothing was refunded, or no such payment). */
    public static long refundedTotal(BookingStore store, String agreementId, String anyId) {
        return payment(store, agreementId, anyId).map(p -> p.refunds().booked()).orElse(0L);
    }
}
