package dev.revshare.bench;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventReceipt;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Puts the benchmark's ledger lines into the table through the booking store's own write path, one
 * transaction per line with its event's receipt (about 1,200 to 2,000 lines/s in-process), so the
 * ledger partitions hold what production's would; the payments' records, which closing a month does
 * not read, are left out.
 */
final class LedgerLoader {
    private final BookingStore store;
    private final PrintStream out;

    LedgerLoader(BookingStore store, PrintStream out) {
        this.store = store;
        this.out = out;
    }

    void load(String agreementId, List<LedgerLine> lines, String neighbourId, List<LedgerLine> neighbourLines) {
        out.printf(Locale.ROOT, "Loading %,d lines of %s, then %,d of %s, through BookingStore.write (one transaction each)%n",
                lines.size(), agreementId, neighbourLines.size(), neighbourId);
        long started = System.nanoTime();
        int total = lines.size() + neighbourLines.size();
        int done = 0;
        int nextReport = 1;
        for (List<LedgerLine> batch : List.of(lines, neighbourLines)) {
            for (LedgerLine line : batch) {
                write(line);
                done++;
                if (done * 10L >= (long) nextReport * total) {
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    out.printf(Locale.ROOT, "  %3d%%  %,9d lines  %7.1f s  (%,.0f lines/s)%n", nextReport * 10, done,
                            elapsed, done / elapsed);
                    nextReport++;
                }
            }
        }
    }

    /** As a charge.succeeded or a charge.refunded delivery writes its line: with its event's receipt. */
    private void write(LedgerLine line) {
        boolean sale = line.type() == LineType.SALE;
        EventReceipt receipt = new EventReceipt(line.eventId(), sale ? "charge.succeeded" : "charge.refunded",
                line.agreementId(), Outcome.RECORDED, line.lineId(), line.recordedAt());
        Booking booking = new Booking(receipt, List.of(), null, List.of(), List.of(line), List.of(), null, null);
        if (store.write(booking) != BookingStore.Written.WRITTEN) {
            throw new IllegalStateException("line " + line.lineId() + " was not written: its event was booked before");
        }
    }
}
