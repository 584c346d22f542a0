package dev.revshare.bench;

import dev.revshare.aws.DynamoDbStore;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.store.LedgerStore.EventReceipt;
import dev.revshare.ingest.RefundState;
import dev.revshare.store.LedgerStore.RefundProgress;
import dev.revshare.store.LedgerStore.WriteOutcome;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Puts the benchmark's ledger lines into the table through the store's own write path, one
 * transaction per line as the webhook books them (about 1,200 to 2,000 lines/s in-process), so the
 * table holds exactly what production would: receipts, uniqueness items, refund totals and ledger lines.
 */
final class LedgerLoader {
    private final DynamoDbStore store;
    private final PrintStream out;

    LedgerLoader(DynamoDbStore store, PrintStream out) {
        this.store = store;
        this.out = out;
    }

    void load(String agreementId, List<LedgerLine> lines, String neighbourId, List<LedgerLine> neighbourLines) {
        out.printf(Locale.ROOT, "Loading %,d lines of %s, then %,d of %s, through DynamoDbStore.write (one transaction each)%n",
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

    /** As StripeIngestion books a charge.succeeded or a charge.refunded (each sale is refunded at most once here). */
    private void write(LedgerLine line) {
        boolean sale = line.type() == LineType.SALE;
        EventReceipt receipt = new EventReceipt(line.eventId(), sale ? "charge.succeeded" : "charge.refunded",
                line.agreementId(), "recorded", line.lineId(), line.recordedAt());
        // the sale's first refund: its refund state goes from nothing to this charge's refunded total
        RefundProgress refund = sale ? null : new RefundProgress(line.agreementId(),
                line.lineId().substring(0, line.lineId().indexOf(":refunds:")), 0,
                RefundState.NONE.withChargeView(-line.amount(), line.occurredAt().getEpochSecond()).bookedToTarget().nextVersion());
        WriteOutcome outcome = store.write(receipt, line, refund);
        if (outcome != WriteOutcome.WRITTEN) {
            throw new IllegalStateException("line " + line.lineId() + " was not written: " + outcome);
        }
    }
}
