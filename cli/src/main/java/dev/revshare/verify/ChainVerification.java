package dev.revshare.verify;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.PaymentStanding;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementHash;
import dev.revshare.statements.MonthComputation;
import dev.revshare.statements.ShareAdjustments;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-checks an agreement's issued statements against the records: each is recomputed from the ledger and the
 * agreement's terms by the statements' own computation ({@link MonthComputation}), from the statement before it as
 * stored and closed at the instant it was closed, so that exactly the lines recorded by then count (a line recorded
 * later belongs to a later statement, as an adjustment), and compared with what is stored, field by field and line by
 * line. Each hash is recomputed from the stored content, and each {@code previousHash} checked against the statement
 * before it. Reads only: nothing is stored or sent.
 */
public final class ChainVerification {
    private final AgreementStore agreements;
    private final StatementStore statements;
    private final MonthComputation months;

    public ChainVerification(AgreementStore agreements, LedgerStore ledger, StatementStore statements) {
        this(agreements, ledger, statements, ShareAdjustments.NONE);
    }

    /** @param adjustments the settled objections' adjustments, which the statements closed after them carry */
    public ChainVerification(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                             ShareAdjustments adjustments) {
        this.agreements = agreements;
        this.statements = statements;
        this.months = new MonthComputation(agreements, ledger, adjustments);
    }

    /**
     * One field that differs.
     *
     * @param field      where, in the statement document: "totals.partnerShare", "lines[ch_1].amount", "hash"
     * @param stored     what the stored statement says ("(none)" when it lacks it)
     * @param recomputed what the recomputation gives ("(none)" when it lacks it), and why where it needs saying
     */
    public record Difference(String field, String stored, String recomputed) {}

    /** Where a statement stands in its agreement's chain. */
    public enum Link {
        /** closed before statements carried a hash: recomputed and compared, no hash to check */
        UNHASHED,
        /** the first statement of the chain (the agreement's first, or the first closed with a hash) */
        FIRST,
        /** carries the hash of the statement before it */
        FOLLOWS,
        /** no statement is stored for a month the run closes (between two that are) */
        MISSING
    }

    /**
     * One stored statement, checked.
     *
     * @param lines       how many lines it has
     * @param differences what differs from the recomputation, and what is wrong with its hash or its link; none when it
     *                    matches
     */
    public record Checked(YearMonth period, boolean supplementary, int lines, String hash, Link link,
                          YearMonth previousPeriod, List<Difference> differences) {
        public boolean matches() {
            return differences.isEmpty();
        }
    }

    /** @param statements each stored statement of the agreement, oldest first */
    public record Report(Agreement agreement, List<Checked> statements) {
        public boolean allMatch() {
            return statements.stream().allMatch(Checked::matches);
        }

        public long differing() {
            return statements.stream().filter(c -> !c.matches()).count();
        }
    }

    /** @throws IllegalArgumentException when there is no such agreement */
    public Report verify(String agreementId) {
        Agreement agreement = agreements.find(agreementId)
                .orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        List<Checked> checked = new ArrayList<>();
        Optional<StoredStatement> latest = statements.latestAfter(agreementId, agreement.firstMonth().minusMonths(1));
        if (latest.isEmpty()) {
            return new Report(agreement, checked);
        }
        YearMonth finalMonth = agreement.finalMonth();
        Statement previous = null;
        for (YearMonth month = agreement.firstMonth(); !month.isAfter(latest.get().statement().period());
             month = month.plusMonths(1)) {
            Optional<StoredStatement> stored = statements.find(agreementId, month);
            if (stored.isEmpty()) {
                // the run closes every month of the term in order; after the final month only some have a statement
                if (previous != null && (finalMonth == null || !month.isAfter(finalMonth))) {
                    checked.add(new Checked(month, false, 0, null, Link.MISSING, previous.period(), List.of(new Difference(
                            "statement", "(none stored)", "a statement for every month of the term, in order, from the "
                            + "first one issued (" + checked.get(0).period() + ")"))));
                }
                continue;
            }
            Statement statement = stored.get().statement();
            checked.add(check(agreement, statement, previous));
            // the next month continues from this one's figures (its header), never from its lines
            previous = statement.withLines(List.of());
        }
        return new Report(agreement, checked);
    }

    private Checked check(Agreement agreement, Statement stored, Statement previous) {
        YearMonth month = stored.period();
        // the proof of reconciling with Stripe belongs to the close, not to the ledger: the one kept when the month was
        // checked, or, when none was kept, the statement's own
        Statement.Reconciliation proof = statements.reconciliation(agreement.id(), month).orElse(stored.reconciliation());
        // what had been paid the partner, from the payouts recorded by the statement's close (none on a statement closed
        // before revshare recorded payouts)
        Statement.Payments paid = stored.payments() == null ? null
                : PaymentStanding.at(previous, statements.payouts(agreement.id()), stored.closedAt());
        Statement recomputed = months.compute(agreement, month, previous, stored.closedAt()).withReconciliation(proof)
                .withPayments(paid);
        List<Difference> differences = new ArrayList<>(StatementDifferences.between(stored, recomputed));
        Link link;
        if (stored.hash() == null) {
            link = Link.UNHASHED;
            if (previous != null && previous.hash() != null) {
                differences.add(new Difference("hash", "(none)", "a hash, as the statement before it ("
                        + previous.period() + ") has: every statement closed since statements carry one has one"));
            }
            if (stored.previousHash() != null) {
                differences.add(new Difference("previousHash", stored.previousHash(), "(none, as the statement has no hash)"));
            }
        } else {
            String expectedPrevious = StatementHash.previousHashFor(previous);
            link = expectedPrevious.isEmpty() ? Link.FIRST : Link.FOLLOWS;
            if (!expectedPrevious.equals(stored.previousHash())) {
                differences.add(new Difference("previousHash", stored.previousHash() == null ? "(none)" : quoted(stored.previousHash()),
                        expectedPrevious.isEmpty() ? "\"\" (the first of the chain)"
                                : expectedPrevious + " (the hash of " + previous.period() + "): the chain is broken"));
            }
            String ownContent = StatementHash.of(stored);
            if (!ownContent.equals(stored.hash())) {
                differences.add(new Difference("hash", stored.hash(), ownContent
                        + " (its stored content, hashed now): it was changed after it was issued"));
            }
            // the recomputed content in the stored statement's place in the chain (a broken link is said above)
            String fromLedger = StatementHash.of(recomputed.withHashes(stored.previousHash(), null));
            if (!fromLedger.equals(stored.hash()) && !fromLedger.equals(ownContent)) {
                differences.add(new Difference("hash", stored.hash(), fromLedger + " (the recomputed statement's)"));
            }
        }
        return new Checked(month, stored.supplementary(), stored.lines().size(), stored.hash(), link,
                previous == null ? null : previous.period(), differences);
    }

    private static String quoted(String value) {
        return value.isEmpty() ? "\"\"" : value;
    }
}
