package dev.revshare.ingest;

import dev.revshare.domain.LedgerLine;
import dev.revshare.store.SetAsideEvent;
import java.time.Instant;
import java.util.List;

/**
 * Everything one delivery writes, all or nothing. The store writes it as it is told, under these
 * conditions: the receipt is new (the event was not handled before); each payment record read is still
 * at the version read ({@code expected}), or still absent; each id given to the payment is still free, or
 * names one of the records read. If any condition fails, nothing is written and the store answers
 * {@link BookingStore.Written#CONFLICT}: another delivery got there first, read again and decide again.
 *
 * @param receipt  the event's receipt (null only for loading ledger lines that no event booked, in tests
 *                 and benchmarks)
 * @param expected the payment records as read (version 0: the payment was not stored), in key order
 * @param record   the payment record to store under its key (its version one above what was read), or
 *                 null when the delivery changes no payment
 * @param linkIds  ids to point at the record's key (new ids, and the keys of records it absorbed)
 * @param add      ledger lines to add
 * @param remove   ledger lines to take out (a provisional booking replaced before any statement counted it)
 * @param waiting  whether the payment is listed as waiting for its sale, when that changes; null otherwise
 * @param setAside an event kept for a person (unreadable), or null
 * @param counted  what the booking was decided against on the statements' side, when it adds or takes out
 *                 ledger lines; null otherwise
 */
public record Booking(EventReceipt receipt, List<PaymentRecord> expected, PaymentRecord record, List<String> linkIds,
                      List<LedgerLine> add, List<LedgerLine> remove, Boolean waiting, SetAsideEvent setAside,
                      Counted counted) {

    /**
     * The statements' side of a booking that changes ledger lines. The lines it adds are recorded at
     * {@code linesRecordedAt}: the write is refused if a statement began closing at or after then, since
     * that statement read the ledger without them and the next one would take them for counted. The lines
     * it takes out were judged uncounted while the agreement's latest close began at {@code lastClosedAt}
     * (null: none had): when {@code takesOut}, the write is refused unless that is still the latest.
     */
    public record Counted(String agreementId, Instant linesRecordedAt, boolean takesOut, Instant lastClosedAt) {

        /** Adds lines, takes none out. */
        public static Counted adding(String agreementId, Instant linesRecordedAt) {
            return new Counted(agreementId, linesRecordedAt, false, null);
        }
    }

    /** A booking that takes out no line: no statement's close can conflict with it. */
    public Booking(EventReceipt receipt, List<PaymentRecord> expected, PaymentRecord record, List<String> linkIds,
                   List<LedgerLine> add, List<LedgerLine> remove, Boolean waiting, SetAsideEvent setAside) {
        this(receipt, expected, record, linkIds, add, remove, waiting, setAside, null);
    }

    public Booking {
        expected = List.copyOf(expected);
        linkIds = List.copyOf(linkIds);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    /** A receipt alone, for an event that changes no payment. */
    public static Booking receiptOnly(EventReceipt receipt, List<PaymentRecord> read) {
        return new Booking(receipt, read, null, List.of(), List.of(), List.of(), null, null);
    }

    /** Ledger lines no event booked: loaded as they are (a benchmark's month, a test's history). */
    public static Booking lines(List<LedgerLine> lines) {
        return new Booking(null, List.of(), null, List.of(), lines, List.of(), null, null);
    }

    /** How many items the write holds, against DynamoDB's 100 per transaction. */
    public int size() {
        return (receipt == null ? 0 : 1) + expected.size() + (record == null ? 0 : 1) + linkIds.size() + add.size()
                + remove.size() + (waiting == null ? 0 : 1) + (setAside == null ? 0 : 1) + (counted == null ? 0 : 1);
    }
}
