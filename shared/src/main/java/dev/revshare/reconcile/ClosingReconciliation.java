package dev.revshare.reconcile;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import dev.revshare.statements.BeforeClosing;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles with Stripe each month a closing job is about to close, before it is closed, and keeps the proof its
 * statement will carry. The one engine for every way a month closes: the command line's run and the demo (in
 * process, {@link MonthlyStatementRun#run}), and the stack's reconcile worker, which forwards the job to the
 * statements queue only when it may close.
 *
 * <p>The months are those the job will newly close ({@link MonthlyStatementRun#newlyClosed}), oldest first; each is
 * reconciled unless a proof is kept for it already (a job delivered twice, a month reconciled by hand), and not
 * again once it is proven. When Stripe fails (no answer, 5xx, a rate limit, a key refused), nothing was booked
 * ({@link Reconciliation}) and the month is not closed today: the job closes through the month before it, if any,
 * and the next daily run, finding the month due again, reconciles it again. A month that has waited
 * {@link #DEFAULT_PATIENCE} past the day it became due is closed all the same, its statement saying what failed:
 * statements are never held back for long by Stripe. Without an API key a month is closed at once, its statement
 * saying plainly that it is not reconciled.
 */
public final class ClosingReconciliation implements BeforeClosing {
    /** How long past its due day a month waits for Stripe to answer before it closes unreconciled. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofDays(3);
    private static final Logger log = LoggerFactory.getLogger(ClosingReconciliation.class);

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final MonthlyStatementRun run;
    private final Reconciliation reconciliation;
    private final Clock clock;
    private final Duration patience;

    /** @param run knows which months a job closes and when each became due (it sends nothing here) */
    public ClosingReconciliation(AgreementStore agreements, StatementStore statements, MonthlyStatementRun run,
                                 Reconciliation reconciliation, Clock clock, Duration patience) {
        this.agreements = agreements;
        this.statements = statements;
        this.run = run;
        this.reconciliation = reconciliation;
        this.clock = clock;
        this.patience = patience;
    }

    /**
     * What the check found for each month, and what may close now.
     *
     * @param months each month checked, in order, up to the one held (if any)
     */
    public record Checked(Decision decision, List<MonthProof> months) {
        public long count(Statement.Reconciliation.Status status) {
            return months.stream().filter(m -> m.proof().status() == status).count();
        }

        /** Months that close with a failed reconciliation, their patience run out. */
        public long closedUnreconciled() {
            return months.stream().filter(m -> m.proof().status() == Statement.Reconciliation.Status.FAILED && !m.held()).count();
        }
    }

    /**
     * @param reconciledNow Stripe was read for it by this check (not a proof kept from before)
     * @param held          not closed today: Stripe failed and the month is within its patience
     */
    public record MonthProof(YearMonth month, Statement.Reconciliation proof, boolean reconciledNow, boolean held) {}

    @Override
    public Decision check(ClosingJob job) {
        return checked(job).decision();
    }

    public Checked checked(ClosingJob job) {
        Agreement agreement = agreements.find(job.agreementId()).orElse(null);
        if (agreement == null) {
            return new Checked(Decision.closeAll(job), List.of()); // closing reports it: removed since it was queued
        }
        List<MonthProof> months = new ArrayList<>();
        YearMonth cleared = null;
        for (YearMonth month : run.newlyClosed(agreement, job.through())) {
            Statement.Reconciliation kept = statements.reconciliation(agreement.id(), month).orElse(null);
            boolean now = kept == null || kept.status() == Statement.Reconciliation.Status.FAILED;
            Statement.Reconciliation proof = now ? reconcile(agreement, month) : kept;
            Instant closesAnyway = run.dueAt(agreement, month).plus(patience);
            if (proof.status() == Statement.Reconciliation.Status.FAILED && clock.instant().isBefore(closesAnyway)) {
                months.add(new MonthProof(month, proof, now, true));
                String why = "not closed today: reconciling it with Stripe failed (" + proof.problem() + "); the next daily run "
                        + "tries again, and from " + closesAnyway.atZone(agreement.timezone()).toLocalDate()
                        + " closes it all the same, its statement saying what failed";
                log.warn("agreement {} {}: {}", agreement.id(), month, why);
                return new Checked(new Decision(cleared == null ? null : new ClosingJob(agreement.id(), cleared), month, why),
                        months);
            }
            if (proof.status() == Statement.Reconciliation.Status.FAILED) {
                log.error("agreement {} {}: closed without reconciling it with Stripe, after waiting {} days for Stripe: {}",
                        agreement.id(), month, patience.toDays(), proof.problem());
            }
            months.add(new MonthProof(month, proof, now, false));
            cleared = month;
        }
        return new Checked(Decision.closeAll(job), months);
    }

    /** Reconciles the month (booking what the ledger lacks) and keeps the proof for its statement. */
    private Statement.Reconciliation reconcile(Agreement agreement, YearMonth month) {
        Statement.Reconciliation proof = reconciliation.reconcile(agreement, month, false).proof();
        statements.storeReconciliation(agreement.id(), month, proof);
        return proof;
    }
}
