package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * One month's statement computed from the statement before it, as closed at a given instant: the ledger lines
 * that may belong on it are read and the calculator applies the rules. The one way a month is computed: the
 * monthly run closes months with it, the preview shows them, and the what-if replays them under other terms.
 * Reads only; stores nothing.
 */
public final class MonthComputation {
    /** Stripe's clock and ours may differ a little: lines recorded this long before a month ends are read too. */
    static final Duration CLOCK_SKEW = Duration.ofDays(1);

    private final AgreementStore agreements;
    private final LedgerStore ledger;
    private final StatementCalculator calculator = new StatementCalculator();
    private final ShareAdjustments adjustments;

    public MonthComputation(AgreementStore agreements, LedgerStore ledger) {
        this(agreements, ledger, ShareAdjustments.NONE);
    }

    /** @param adjustments the settled objections' adjustments, which the statements closed after them carry */
    public MonthComputation(AgreementStore agreements, LedgerStore ledger, ShareAdjustments adjustments) {
        this.agreements = agreements;
        this.ledger = ledger;
        this.adjustments = adjustments;
    }

    /**
     * The statement for {@code month} under {@code agreement}'s terms, closed at {@code closedAt}: the lines recorded
     * by then and not on {@code previous} (or a statement before it).
     *
     * @param previous the agreement's statement before this one, or null for its first
     */
    public Statement compute(Agreement agreement, YearMonth month, Statement previous, Instant closedAt) {
        return compute(agreement, month, previous, closedAt, readFrom(agreement, previous));
    }

    /** The same, reading the ledger from {@code readFrom} on (a later point, when it is known nothing was recorded before). */
    Statement compute(Agreement agreement, YearMonth month, Statement previous, Instant closedAt, Instant readFrom) {
        List<LedgerLine> candidates = ledger.recordedBetween(agreement.id(), readFrom, closedAt);
        return calculator.compute(agreement, month, closedAt, previous, candidates, ledger.resolutions(agreement.id()),
                adjustments.of(agreement.id()));
    }

    /** Lines recorded before the previous statement's month ended are on it, or on one before it. */
    Instant readFrom(Agreement agreement, Statement previous) {
        return previous == null
                ? agreements.firstAppliedAt(agreement.id()).orElse(Instant.EPOCH).minus(CLOCK_SKEW)
                : agreement.monthEndExclusive(previous.period()).minus(CLOCK_SKEW);
    }
}
