package dev.revshare.simulate;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import dev.revshare.statements.MonthComputation;
import dev.revshare.statements.ShareAdjustments;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A renegotiation checkpoint's question: what would the partner's share have been, month by month, under proposed
 * terms? Replays the agreement's recorded history through the statements' own computation ({@link MonthComputation}),
 * each month closed at the instant its issued statement was closed, so that unchanged terms give the issued
 * statements to the cent. Reads only: nothing is stored or sent.
 */
public final class WhatIf {
    private final AgreementStore agreements;
    private final StatementStore statements;
    private final MonthComputation months;
    private final Clock clock;

    public WhatIf(AgreementStore agreements, LedgerStore ledger, StatementStore statements, Clock clock) {
        this(agreements, ledger, statements, ShareAdjustments.NONE, clock);
    }

    /** @param adjustments the settled objections' adjustments, which the statements closed after them carry */
    public WhatIf(AgreementStore agreements, LedgerStore ledger, StatementStore statements, ShareAdjustments adjustments,
                  Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.months = new MonthComputation(agreements, ledger, adjustments);
        this.clock = clock;
    }

    /**
     * Months before {@code from} stay as issued (the proposed terms continue from them); from {@code from} to
     * {@code to}, each month is computed under the proposed terms from the proposed month before it. A month not
     * issued yet is, on both sides, computed as if closed now (as {@code statements preview} does). A month with no
     * statement before the latest issued one (after the final statement, a month without a supplementary one) has no
     * row: there is nothing to compare.
     *
     * @param proposed the proposed terms, for the same agreement, account, currency and time zone
     * @param source   where the proposed terms come from (a file name), for messages
     * @param from     the first month to recompute, or null for the term's first month
     * @param to       the last month, or null for the last month issued (the current month when none is)
     * @throws IllegalArgumentException with a sentence saying what is wrong, before anything is read beyond the
     *                                  agreement and its latest statement
     */
    public Simulation simulate(String agreementId, Agreement proposed, String source, YearMonth from, YearMonth to) {
        Agreement recorded = agreements.find(agreementId)
                .orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        refuseOtherAgreement(recorded, proposed, source);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        YearMonth current = recorded.monthOf(now);
        Optional<Statement> latest = statements.latestAfter(agreementId, recorded.firstMonth().minusMonths(1))
                .map(StoredStatement::statement);
        YearMonth first = from == null ? recorded.firstMonth() : from;
        YearMonth last = to != null ? to : latest.map(Statement::period).orElse(current);
        if (first.isBefore(recorded.firstMonth())) {
            throw new IllegalArgumentException("--from " + first + " is before the term of " + agreementId + " starts ("
                    + recorded.termStart() + ")");
        }
        if (last.isAfter(current)) {
            throw new IllegalArgumentException("--to " + last + " has not begun in " + recorded.timezone()
                    + " (it is " + current + " there): the last month to simulate is the current one, as a preview");
        }
        if (to == null && latest.isEmpty() && current.isBefore(recorded.firstMonth())) {
            throw new IllegalArgumentException("the term of " + agreementId + " starts on " + recorded.termStart()
                    + ": it has no month to simulate yet");
        }
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("--to " + last + " is before --from " + first);
        }
        YearMonth lastIssued = latest.map(Statement::period).orElse(null);

        List<Simulation.Month> rows = new ArrayList<>();
        Statement asIsBefore = null;
        Statement proposedBefore = null;
        for (YearMonth month = recorded.firstMonth(); !month.isAfter(last); month = month.plusMonths(1)) {
            boolean issuedPeriod = lastIssued != null && !month.isAfter(lastIssued);
            Statement asIs;
            if (issuedPeriod) {
                Optional<StoredStatement> issued = statements.findWithoutLines(agreementId, month);
                if (issued.isEmpty()) {
                    continue; // no statement for this month (after the final one): nothing to compare
                }
                asIs = issued.get().statement();
            } else {
                asIs = headerOf(months.compute(recorded, month, asIsBefore, now));
            }
            // the same closing instant as the issued statement: the same lines are recorded by then
            Statement underProposed = month.isBefore(first) ? asIs
                    : headerOf(months.compute(proposed, month, proposedBefore, asIs.closedAt()));
            if (!month.isBefore(first)) {
                rows.add(new Simulation.Month(month, issuedPeriod, asIs, underProposed));
            }
            asIsBefore = asIs;
            proposedBefore = underProposed;
        }
        return new Simulation(recorded, proposed, source, first, last, now, rows);
    }

    /**
     * The history is one agreement's: its payments (one Stripe account), in its currency, in months of its time
     * zone. Proposed terms that change these could not be compared with it month by month.
     */
    static void refuseOtherAgreement(Agreement recorded, Agreement proposed, String source) {
        if (!recorded.id().equals(proposed.id())) {
            throw new IllegalArgumentException(source + " is for agreement " + proposed.id() + ", not " + recorded.id()
                    + ": a what-if replays one agreement's history under proposed terms for that same agreement (id: "
                    + recorded.id() + "). Nothing was simulated.");
        }
        if (!recorded.stripeAccount().equals(proposed.stripeAccount())) {
            throw new IllegalArgumentException(source + " changes the Stripe account from " + recorded.stripeAccount()
                    + " to " + proposed.stripeAccount() + ": the recorded history is the payments of "
                    + recorded.stripeAccount() + ", and another account's revenue cannot be replayed from it. Keep "
                    + "stripe.account as it is. Nothing was simulated.");
        }
        if (!recorded.currency().equals(proposed.currency())) {
            throw new IllegalArgumentException(source + " changes the currency from " + upper(recorded.currency()) + " to "
                    + upper(proposed.currency()) + ": the recorded amounts are in " + upper(recorded.currency())
                    + " and a what-if converts nothing. Keep currency: " + recorded.currency() + ". Nothing was simulated.");
        }
        if (!recorded.timezone().equals(proposed.timezone())) {
            throw new IllegalArgumentException(source + " changes the time zone from " + recorded.timezone() + " to "
                    + proposed.timezone() + ": the issued statements' months are " + recorded.timezone()
                    + "'s, so the months could not be compared. Keep timezone: " + recorded.timezone()
                    + ". Nothing was simulated.");
        }
    }

    /**
     * The agreement year a month's sales fall in (the year of its last day, or of the term's last day after the
     * term), for showing which year's cap the month uses.
     */
    public static int agreementYearOf(Agreement agreement, YearMonth month) {
        LocalDate day = month.atEndOfMonth();
        LocalDate lastDay = agreement.lastDay();
        if (lastDay != null && day.isAfter(lastDay)) {
            day = lastDay;
        }
        return Math.max(1, agreement.agreementYearOf(day));
    }

    /** A simulation keeps each month's figures, not its lines: a long history of large months stays small. */
    private static Statement headerOf(Statement statement) {
        return statement.withLines(List.of());
    }

    private static String upper(String currency) {
        return currency.toUpperCase(Locale.ROOT);
    }
}
