package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.domain.PaymentStanding;
import dev.revshare.json.StatementHash;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Closes each agreement's month, in the agreement's own time zone, once the month's end plus a grace
 * period (for Stripe's retries) has passed: computes the statement once, stores it, claims it for
 * sending, emails it to both parties, marks it sent, then announces it. Every step is a conditional
 * write, so a re-run or a second run at the same time never emails a statement twice, and a run that
 * stops half-way (or a failed send) leaves the statement to the next run: none is lost. Months missed
 * since the last statement are caught up in order, because each statement continues from the one before
 * (from its stored totals: a month that cannot be sent is retried by every run and blocks none after it).
 * After the final statement, lines recorded late go on a supplementary statement, under the same steps.
 */
public final class MonthlyStatementRun {
    /** Stripe retries a failed delivery for up to three days: a month is closed after that. */
    public static final Duration DEFAULT_GRACE = Duration.ofDays(3);
    /**
     * A claim to send older than this belongs to a run that stopped (the function's timeout is 5 minutes):
     * the next run sends the statement.
     */
    static final Duration SENDING_LEASE = Duration.ofMinutes(15);
    private static final Logger log = LoggerFactory.getLogger(MonthlyStatementRun.class);
    /** The logging context's key for the agreement a line is about (the webhook's router uses the same). */
    public static final String LOG_AGREEMENT_ID = "agreement_id";

    private final AgreementStore agreements;
    private final LedgerStore ledger;
    private final StatementStore statements;
    private final StatementMailer mailer;
    private final StatementPublisher publisher;
    private final Clock clock;
    private final Duration grace;
    private final MonthComputation months;
    private final String sender;
    /** Built on the first send: the reconcile worker plans with a run that sends nothing, and has no email templates. */
    private StatementEmail email;
    private final BeforeClosing beforeClosing;
    private final PartyLinks links;
    private final ShareAdjustments adjustments;
    /** Pays each statement sent when its agreement says so (automatic transfers). */
    private final AfterSending afterSending;

    /**
     * @param grace how long after a month's end (in the agreement's zone) a scheduled run closes it
     *              ({@link #DEFAULT_GRACE} unless configured)
     */
    public MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                               StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock,
                               Duration grace) {
        this(agreements, ledger, statements, mailer, publisher, sender, clock, grace, BeforeClosing.NOTHING);
    }

    /**
     * @param beforeClosing what {@link #run} does with each job before closing it (reconciling its months with Stripe);
     *                      {@link #close(ClosingJob)} closes as told: on the stack the job was checked before it was queued
     */
    public MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                               StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock,
                               Duration grace, BeforeClosing beforeClosing) {
        this(agreements, ledger, statements, mailer, publisher, sender, clock, grace, beforeClosing, PartyLinks.NONE,
                ShareAdjustments.NONE);
    }

    /**
     * @param links       each party's page link, put in every statement email (signed anew each time)
     * @param adjustments the settled objections' adjustments, carried by the next statement closed after each
     */
    public MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                               StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock,
                               Duration grace, BeforeClosing beforeClosing, PartyLinks links, ShareAdjustments adjustments) {
        this(agreements, ledger, statements, mailer, publisher, sender, clock, grace, beforeClosing, links, adjustments,
                AfterSending.NOTHING);
    }

    private MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                                StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock,
                                Duration grace, BeforeClosing beforeClosing, PartyLinks links, ShareAdjustments adjustments,
                                AfterSending afterSending) {
        this.links = links;
        this.adjustments = adjustments;
        this.afterSending = afterSending;
        this.ledger = ledger;
        this.beforeClosing = beforeClosing;
        this.grace = grace;
        this.agreements = agreements;
        this.months = new MonthComputation(agreements, ledger, adjustments);
        this.statements = statements;
        this.mailer = mailer;
        this.publisher = publisher;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * The same run, which after sending a statement pays it by Stripe transfer when its agreement says the partner is
     * paid automatically (a transfer that fails is recorded on the payout, never on the statement, which stays sent).
     */
    public MonthlyStatementRun payingAutomatically(AfterSending automaticPayouts) {
        return new MonthlyStatementRun(agreements, ledger, statements, mailer, publisher, sender, clock, grace, beforeClosing,
                links, adjustments, automaticPayouts);
    }

    /**
     * Closes every agreement's due months in this one call, one agreement after the other: what the command
     * line and the demo run. The deployed stack splits the same two steps across a queue ({@link #due} in the
     * scheduled function, {@link #close(ClosingJob)} in the worker, one message an agreement).
     *
     * @param scheduledAt when the schedule fired: each agreement closes the last month whose end plus the
     *                    grace period has passed by then, in its own zone
     * @param period      a month to (re-)run instead, for every agreement
     * @param agreementId only this agreement, or null for all
     */
    public RunSummary run(Instant scheduledAt, YearMonth period, String agreementId) {
        List<Result> results = new ArrayList<>();
        for (ClosingJob job : due(scheduledAt, period, agreementId)) {
            BeforeClosing.Decision decision;
            MDC.put(LOG_AGREEMENT_ID, job.agreementId());
            try {
                decision = beforeClosing.check(job);
            } catch (RuntimeException e) {
                log.error("agreement {} period {}: the check before closing failed; nothing closed", job.agreementId(),
                        job.through(), e);
                results.add(new Result(job.agreementId(), job.through().toString(), Outcome.FAILED,
                        "the check before closing failed: " + e.getMessage()));
                continue;
            } finally {
                MDC.remove(LOG_AGREEMENT_ID);
            }
            if (decision.close() != null) {
                results.addAll(close(decision.close()));
            }
            if (decision.held()) {
                results.add(new Result(job.agreementId(), decision.heldMonth().toString(), Outcome.SKIPPED,
                        decision.heldReason()));
            }
        }
        RunSummary summary = new RunSummary(results);
        log.info(summary.headline());
        return summary;
    }

    /**
     * The agreements with something to do at {@code scheduledAt}, each with the last month to close: its month (the
     * final one, once the agreement has ended) not yet sent and announced, an earlier statement not yet sent (a send
     * that failed: every run retries it), or, after the final statement, lines recorded since for a supplementary
     * one. A re-run of a closed day finds nothing to do.
     *
     * @param period      a month to (re-)run instead, for every agreement
     * @param agreementId only this agreement, or null for all
     */
    public List<ClosingJob> due(Instant scheduledAt, YearMonth period, String agreementId) {
        List<ClosingJob> jobs = new ArrayList<>();
        for (Agreement agreement : agreements.all()) {
            if (agreementId != null && !agreement.id().equals(agreementId)) {
                continue;
            }
            YearMonth target = period != null ? period : lastClosable(agreement, scheduledAt);
            if (period == null && !somethingToDo(agreement, target)) {
                continue;
            }
            jobs.add(new ClosingJob(agreement.id(), target));
        }
        return jobs;
    }

    /**
     * One small read for most agreements (the month's statement, finished); then one Query of the agreement's
     * unfinished statements; after the final month, the latest supplementary statement and the lines since it.
     */
    private boolean somethingToDo(Agreement agreement, YearMonth target) {
        YearMonth lastRegular = lastRegular(agreement, target);
        if (!finished(agreement, lastRegular) || !statements.unfinished(agreement.id()).isEmpty()) {
            return true;
        }
        return target.isAfter(lastRegular) && lateLines(agreement, lastRegular, target);
    }

    /**
     * Whether lines recorded since the agreement's latest statement (the final one, or a supplementary one) belong
     * on a supplementary statement for {@code month}. The ledger is read from where the last look found nothing, and
     * a look that finds nothing notes how far it got (no later than the month's end, less the clock skew: a line
     * that happened after it may belong to the next month), so an agreement that ended long ago costs a few small
     * reads a day, whatever its Stripe account still records.
     */
    private boolean lateLines(Agreement agreement, YearMonth lastRegular, YearMonth month) {
        Statement prior = statements.latestAfter(agreement.id(), lastRegular)
                .or(() -> statements.findWithoutLines(agreement.id(), lastRegular))
                .map(StoredStatement::statement).orElse(null);
        if (prior == null || !prior.period().isBefore(month)) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant from = months.readFrom(agreement, prior);
        Instant lookedAt = statements.nothingLateUntil(agreement.id()).filter(from::isBefore).orElse(from);
        Statement statement = months.compute(agreement, month, prior, now, lookedAt);
        if (!statement.lines().isEmpty()) {
            return true;
        }
        Instant monthEnd = agreement.monthEndExclusive(month);
        Instant nothingUntil = (now.isBefore(monthEnd) ? now : monthEnd).minus(MonthComputation.CLOCK_SKEW);
        if (nothingUntil.isAfter(lookedAt)) {
            statements.noteNothingLateUntil(agreement.id(), nothingUntil);
        }
        return false;
    }

    /**
     * Closes one agreement's months up to the job's month, in order, and says what happened to each. Never
     * throws for the agreement's own failures: they are results (FAILED), logged once here with their trace.
     */
    public List<Result> close(ClosingJob job) {
        // every line logged while closing this agreement's months names it (key "agreement_id")
        MDC.put(LOG_AGREEMENT_ID, job.agreementId());
        try {
            Agreement agreement = agreements.find(job.agreementId()).orElse(null);
            if (agreement == null) {
                return List.of(new Result(job.agreementId(), job.through().toString(), Outcome.SKIPPED,
                        "no agreement with this id (removed since the run was scheduled)"));
            }
            return close(agreement, job.through());
        } catch (RuntimeException e) {
            log.error("agreement {} period {}: statement failed", job.agreementId(), job.through(), e);
            return List.of(new Result(job.agreementId(), job.through().toString(), Outcome.FAILED, e.getMessage()));
        } finally {
            MDC.remove(LOG_AGREEMENT_ID);
        }
    }

    /** The last month of the agreement whose end plus the grace period has passed at {@code at}. */
    private YearMonth lastClosable(Agreement agreement, Instant at) {
        YearMonth month = agreement.monthOf(at).minusMonths(1);
        while (agreement.monthEndExclusive(month).plus(grace).isAfter(at)) {
            month = month.minusMonths(1);
        }
        return month;
    }

    /**
     * The months closing the job would compute and store now, oldest first: those after the agreement's latest stored
     * statement through the job's month, and after the final month the job's supplementary month when none is stored
     * for it (whether it will have lines is known only once its month is reconciled). Months stored already (sent or
     * not) are not among them: their statements never change.
     */
    public List<YearMonth> newlyClosed(Agreement agreement, YearMonth through) {
        if (through.isBefore(agreement.firstMonth())) {
            return List.of();
        }
        YearMonth lastRegular = lastRegular(agreement, through);
        if (!ended(agreement, lastRegular)) {
            return List.of();
        }
        List<YearMonth> months = new ArrayList<>();
        StoredStatement latest = latestStored(agreement, lastRegular);
        YearMonth first = latest == null ? agreement.firstMonth() : latest.statement().period().plusMonths(1);
        for (YearMonth month = first; !month.isAfter(lastRegular); month = month.plusMonths(1)) {
            months.add(month);
        }
        if (through.isAfter(lastRegular) && ended(agreement, through)
                && statements.latestAfter(agreement.id(), lastRegular).filter(s -> !s.statement().period().isBefore(through)).isEmpty()) {
            months.add(through);
        }
        return months;
    }

    /** When a scheduled run first closes the month: its end, in the agreement's zone, plus the grace period. */
    public Instant dueAt(Agreement agreement, YearMonth month) {
        return agreement.monthEndExclusive(month).plus(grace);
    }

    /** The month itself, or the final month for a month after it (those have supplementary statements only). */
    private static YearMonth lastRegular(Agreement agreement, YearMonth month) {
        YearMonth finalMonth = agreement.finalMonth();
        return finalMonth != null && month.isAfter(finalMonth) ? finalMonth : month;
    }

    /**
     * In order: (1) the statements stored and not yet sent, sent again, so a month that cannot be sent is retried by
     * every run and reported as FAILED until it goes out; (2) the months after the latest stored one, each computed
     * from the one before, stored and sent; (3) after the final month, a supplementary statement when lines were
     * recorded since the latest statement. A statement continues from its predecessor's stored totals, never from
     * whether it was sent: a failed send does not hold up the months after it. A statement that cannot be computed
     * stops the agreement there (the next months need it), and so does one that another run is sending right now:
     * that run is closing this agreement and goes on to the months after it, so this one leaves them to it rather
     * than compute them a second time and send a later month before an earlier one; if that run stops, the next run
     * after its claim's lease takes over.
     */
    private List<Result> close(Agreement agreement, YearMonth through) {
        if (through.isBefore(agreement.firstMonth())) {
            return List.of(skipped(agreement, through, "before the term starts"));
        }
        YearMonth lastRegular = lastRegular(agreement, through);
        if (!ended(agreement, lastRegular)) {
            return List.of(skipped(agreement, lastRegular, "the month has not ended in " + agreement.timezone()));
        }
        List<Result> results = new ArrayList<>();
        StoredStatement latest = latestStored(agreement, lastRegular);
        // (1); a statement an older revshare stored, before statements were marked unfinished, is the latest stored
        TreeMap<YearMonth, StoredStatement> unsent = new TreeMap<>();
        for (StoredStatement stored : statements.unfinished(agreement.id())) {
            if (!stored.statement().period().isAfter(through)) {
                unsent.put(stored.statement().period(), stored);
            }
        }
        if (latest != null && !(latest.status() == Status.SENT && latest.announced())) {
            unsent.putIfAbsent(latest.statement().period(), latest);
        }
        for (StoredStatement stored : unsent.values()) {
            if (!attempt(agreement, stored.statement().period(), results, () -> deliver(agreement, stored))) {
                return results;
            }
        }
        // (2)
        Statement previous = latest == null ? null : latest.statement();
        YearMonth first = latest == null ? agreement.firstMonth() : latest.statement().period().plusMonths(1);
        for (YearMonth month = first; !month.isAfter(lastRegular); month = month.plusMonths(1)) {
            Statement statement;
            try {
                statement = computeAndStore(agreement, month, previous);
            } catch (RuntimeException e) {
                results.add(failed(agreement, month, e));
                return results;
            }
            if (!attempt(agreement, month, results, () -> send(agreement, statement))) {
                return results;
            }
            previous = statement;
        }
        // (3)
        if (through.isAfter(lastRegular)) {
            Optional<StoredStatement> latestSupplementary = statements.latestAfter(agreement.id(), lastRegular);
            if (latestSupplementary.isPresent() && !latestSupplementary.get().statement().period().isBefore(through)) {
                if (results.isEmpty()) {
                    results.add(alreadySent(agreement, latestSupplementary.get()));
                }
                return results;
            }
            if (!ended(agreement, through)) {
                results.add(skipped(agreement, through, "the month has not ended in " + agreement.timezone()));
                return results;
            }
            Statement prior = latestSupplementary.map(StoredStatement::statement).orElse(previous);
            if (supplementary(agreement, prior, through).isPresent()) {
                attempt(agreement, through, results, () -> send(agreement, computeAndStore(agreement, through, prior)));
            } else if (results.isEmpty()) {
                results.add(skipped(agreement, through, "the agreement has ended: its final statement was " + lastRegular
                        + ", and nothing was recorded for it since " + prior.period() + "'s statement"));
            }
            return results;
        }
        if (results.isEmpty()) {
            // a re-run of a month that went out: nothing was left to do
            results.add(alreadySent(agreement, latest));
        }
        return results;
    }

    /**
     * One month's step; false when the agreement's run stops there. A send that fails is a FAILED result from the
     * step itself (the run goes on); anything else that fails stops the agreement, logged here once.
     */
    private boolean attempt(Agreement agreement, YearMonth month, List<Result> results, Supplier<Result> step) {
        try {
            results.add(step.get());
            return true;
        } catch (StatementInProgressException e) {
            results.add(new Result(agreement.id(), month.toString(), Outcome.IN_PROGRESS, e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            results.add(failed(agreement, month, e));
            return false;
        }
    }

    private static Result failed(Agreement agreement, YearMonth month, RuntimeException e) {
        log.error("agreement {} period {}: statement failed", agreement.id(), month, e);
        return new Result(agreement.id(), month.toString(), Outcome.FAILED, e.getMessage());
    }

    private boolean ended(Agreement agreement, YearMonth month) {
        return !clock.instant().isBefore(agreement.monthEndExclusive(month));
    }

    /** The latest statement stored for a month up to {@code month}, walking back from it; null when none is. */
    private StoredStatement latestStored(Agreement agreement, YearMonth month) {
        for (YearMonth m = month; !m.isBefore(agreement.firstMonth()); m = m.minusMonths(1)) {
            Optional<StoredStatement> stored = statements.findWithoutLines(agreement.id(), m);
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        return null;
    }

    /** Sent and announced: nothing is left to do for the month. */
    private boolean finished(Agreement agreement, YearMonth month) {
        return statements.findWithoutLines(agreement.id(), month)
                .map(s -> s.status() == Status.SENT && s.announced()).orElse(false);
    }

    /** The supplementary statement for {@code month} as it would be closed now, when there is anything to put on it. */
    private Optional<Statement> supplementary(Agreement agreement, Statement prior, YearMonth month) {
        Statement statement = compute(agreement, month, prior);
        return statement.lines().isEmpty() ? Optional.empty() : Optional.of(statement);
    }

    private static Result alreadySent(Agreement agreement, StoredStatement stored) {
        return new Result(agreement.id(), stored.statement().period().toString(), Outcome.ALREADY_SENT,
                "sent before as " + stored.messages());
    }

    /** A stored statement not yet finished: sent (again), or announced when it went out and the event did not. */
    private Result deliver(Agreement agreement, StoredStatement stored) {
        YearMonth month = stored.statement().period();
        if (stored.status() == Status.SENT) {
            // a run stopped between sending and announcing: the event goes out now
            announce(stored.statement(), stored.messages());
            return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT,
                    "sent before as " + stored.messages() + "; announced now");
        }
        // the header told how far it got; its lines are read only to send it
        return send(agreement, statements.find(agreement.id(), month).orElseThrow().statement());
    }

    /**
     * Claims the statement, emails each party its own message and notes each sent as it goes, then notes the statement
     * sent and announces it. A party whose message went out under an earlier claim (a run that failed on the other
     * party's message, or stopped) is not sent it again. A send that fails is noted on the statement (FAILED, with the
     * error: the next run claims it again) and is this step's FAILED result.
     */
    private Result send(Agreement agreement, Statement statement) {
        YearMonth month = statement.period();
        String claim = UUID.randomUUID().toString();
        if (!statements.claimForSending(agreement.id(), month, claim, clock.instant(), SENDING_LEASE)) {
            StoredStatement now = statements.findWithoutLines(agreement.id(), month).orElse(null);
            if (now != null && now.status() == Status.SENT) {
                return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT, "sent by a concurrent run");
            }
            // another run is sending it now; if that run stops, the next run after the lease sends it
            throw new StatementInProgressException("being sent by another run; not sent twice");
        }
        SentMessages sent = statements.findWithoutLines(agreement.id(), month).orElseThrow().messages();
        // each party's message on its own: one refused (a bad address) does not keep the other from its statement
        RuntimeException failure = null;
        List<String> failed = new ArrayList<>();
        for (Side side : Side.values()) {
            if (sent.sentTo(side)) {
                continue;
            }
            String messageId;
            try {
                // built inside the claim: an email that cannot be built (too large) is a failed send, with its reason
                messageId = mailer.send(email().build(agreement, statement, side, clock.instant()));
            } catch (RuntimeException e) {
                failed.add("to the " + side.word() + ": " + e.getMessage());
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                continue;
            }
            if (!statements.markPartySent(agreement.id(), month, claim, side, messageId)) {
                return lostClaim(agreement, month, messageId);
            }
            sent = sent.with(side, messageId);
        }
        if (failure != null) {
            String error = String.join("; ", failed);
            try {
                statements.markFailed(agreement.id(), month, claim, error, clock.instant());
            } catch (RuntimeException notNoted) {
                failure.addSuppressed(notNoted); // still SENDING: the next run after the lease sends it
            }
            log.error("agreement {} period {}: statement not sent {}{}; every run tries it again until it goes out (or "
                    + "`revshare statements resend --party` sends it to corrected addresses)", agreement.id(), month, error,
                    sent.equals(SentMessages.NONE) ? "" : " (sent as " + sent + ", which is not sent again)", failure);
            return new Result(agreement.id(), month.toString(), Outcome.FAILED, error);
        }
        if (!statements.markSent(agreement.id(), month, claim, clock.instant())) {
            return lostClaim(agreement, month, sent.toString());
        }
        announce(statement, sent);
        String paid = afterSending.sent(agreement, statement);
        return new Result(agreement.id(), month.toString(), Outcome.SENT, "sent as " + sent + paid, statement.lines().size());
    }

    /** Our claim outlived its lease and another run took it over: that run reports the statement. */
    private Result lostClaim(Agreement agreement, YearMonth month, String sentAs) {
        log.warn("agreement {} period {}: sent as {} after the claim to send expired", agreement.id(), month, sentAs);
        return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT, "sent late as " + sentAs);
    }

    private synchronized StatementEmail email() {
        if (email == null) {
            email = new StatementEmail(sender, links);
        }
        return email;
    }

    /** The StatementIssued event, then the note that it went out (a stop in between announces it again). */
    private void announce(Statement statement, SentMessages messages) {
        publisher.statementIssued(statement, messages);
        statements.markAnnounced(statement.agreementId(), statement.period(), clock.instant());
    }

    /** A statement another run is sending right now: this run leaves it, and the months after it, alone. */
    static final class StatementInProgressException extends RuntimeException {
        StatementInProgressException(String message) {
            super(message);
        }
    }

    /**
     * What the statement for a month would be if it were closed now; nothing is stored or sent. A month
     * already issued is returned as stored; months before it that were never closed are computed first. A month
     * after the final one is the supplementary statement that would follow the latest statement.
     */
    public Statement preview(String agreementId, YearMonth month) {
        Agreement agreement = agreements.find(agreementId)
                .orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        if (month.isBefore(agreement.firstMonth())) {
            throw new IllegalArgumentException(month + " is before the term of " + agreementId + " starts ("
                    + agreement.termStart() + ")");
        }
        Optional<StoredStatement> issued = statements.find(agreementId, month);
        if (issued.isPresent()) {
            return issued.get().statement();
        }
        YearMonth lastRegular = lastRegular(agreement, month);
        // a statement continues from its predecessor's totals, years and recent shares, never from its lines
        StoredStatement latest = latestStored(agreement, lastRegular);
        Statement previous = latest == null ? null : latest.statement();
        YearMonth first = latest == null ? agreement.firstMonth() : latest.statement().period().plusMonths(1);
        for (YearMonth m = first; !m.isAfter(lastRegular); m = m.plusMonths(1)) {
            previous = compute(agreement, m, previous);
        }
        if (month.equals(lastRegular)) {
            return previous.withReconciliation(proof(agreement, month, NOT_YET_CHECKED));
        }
        Statement prior = statements.latestAfter(agreementId, lastRegular).map(StoredStatement::statement)
                .filter(s -> s.period().isBefore(month)).orElse(previous);
        return compute(agreement, month, prior).withReconciliation(proof(agreement, month, NOT_YET_CHECKED));
    }

    /**
     * The proof kept when the month was reconciled with Stripe, for its statement; without one, a proof that says it
     * was not (a run wired without reconciling, or a preview before the month was checked).
     *
     * @param otherwise why it was not, when no proof is kept
     */
    private Statement.Reconciliation proof(Agreement agreement, YearMonth month, String otherwise) {
        return statements.reconciliation(agreement.id(), month)
                .orElseGet(() -> Statement.Reconciliation.notReconciled(null, otherwise));
    }

    static final String CLOSED_UNCHECKED = "the month was closed without a check against Stripe";
    static final String NOT_YET_CHECKED = "not yet checked against Stripe (a month is checked when its statement is closed)";

    /** Closes a month now: the lines recorded since the previous statement, under the agreement's rules. */
    private Statement compute(Agreement agreement, YearMonth month, Statement previous) {
        Instant closedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return months.compute(agreement, month, previous, closedAt)
                .withPayments(PaymentStanding.at(previous, statements.payouts(agreement.id()), closedAt));
    }

    /**
     * Computes the month from the statement before it (null for the first) and stores it, unless a run stored it first;
     * issued chained to that statement and hashed, proof of reconciliation included.
     */
    private Statement computeAndStore(Agreement agreement, YearMonth month, Statement previous) {
        Instant closedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // before reading: a booking that would take out a line this statement counts must see it counted
        statements.beginClosing(agreement.id(), closedAt);
        // what had been paid the partner is part of what the hash seals
        Statement statement = StatementHash.seal(months.compute(agreement, month, previous, closedAt)
                .withReconciliation(proof(agreement, month, CLOSED_UNCHECKED))
                .withPayments(PaymentStanding.at(previous, statements.payouts(agreement.id()), closedAt)), previous);
        if (!statements.create(statement)) {
            // a concurrent run stored this month first: continue with its statement, not ours
            return statements.find(agreement.id(), month).orElseThrow().statement();
        }
        return statement;
    }

    private static Result skipped(Agreement agreement, YearMonth month, String why) {
        return new Result(agreement.id(), month.toString(), Outcome.SKIPPED, why);
    }
}
