package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
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
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Closes each agreement's month, in the agreement's own time zone, once the month's end plus a grace
 * period (for Stripe's retries) has passed: computes the statement once, stores it, claims it for
 * sending, emails it to both parties, marks it sent, then announces it. Every step is a conditional
 * write, so a re-run or a second run at the same time never emails a statement twice, and a run that
 * stops half-way (or a failed send) leaves the statement to the next run: none is lost. Months missed
 * since the last statement are caught up in order, because each statement continues from the one before.
 */
public final class MonthlyStatementRun {
    /** Stripe retries a failed delivery for up to three days: a month is closed after that. */
    public static final Duration DEFAULT_GRACE = Duration.ofDays(3);
    /**
     * A claim to send older than this belongs to a run that stopped (the function's timeout is 5 minutes):
     * the next run sends the statement.
     */
    static final Duration SENDING_LEASE = Duration.ofMinutes(15);
    /** Stripe's clock and ours may differ a little: lines recorded this long before a month ends are read too. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
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
    private final StatementCalculator calculator = new StatementCalculator();
    private final StatementEmail email;

    /**
     * @param grace how long after a month's end (in the agreement's zone) a scheduled run closes it
     *              ({@link #DEFAULT_GRACE} unless configured)
     */
    public MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                               StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock,
                               Duration grace) {
        this.grace = grace;
        this.agreements = agreements;
        this.ledger = ledger;
        this.statements = statements;
        this.mailer = mailer;
        this.publisher = publisher;
        this.email = new StatementEmail(sender);
        this.clock = clock;
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
            results.addAll(close(job));
        }
        RunSummary summary = new RunSummary(results);
        log.info(summary.headline());
        return summary;
    }

    /**
     * The agreements with a month to close at {@code scheduledAt}, each with the last month to close: every
     * agreement, unless its target month went out and was announced already (a re-run of a closed day finds
     * nothing to do).
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
            if (period == null && sent(agreement, target)) {
                continue;
            }
            jobs.add(new ClosingJob(agreement.id(), target));
        }
        return jobs;
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

    private List<Result> close(Agreement agreement, YearMonth target) {
        if (target.isBefore(agreement.firstMonth())) {
            return List.of(skipped(agreement, target, "before the term starts"));
        }
        YearMonth finalMonth = agreement.finalMonth();
        if (finalMonth != null && target.isAfter(finalMonth)) {
            if (sent(agreement, finalMonth)) {
                return List.of(skipped(agreement, target, "the agreement has ended: its final statement was " + finalMonth));
            }
            target = finalMonth; // close whatever is left, up to the final statement
        }
        if (clock.instant().isBefore(agreement.monthEndExclusive(target))) {
            return List.of(skipped(agreement, target, "the month has not ended in " + agreement.timezone()));
        }
        // walk back to the last statement sent (one stored but unsent, e.g. after a mail failure, is sent
        // again), then close every month from there to the target in order
        YearMonth first = target;
        while (first.isAfter(agreement.firstMonth()) && !sent(agreement, first.minusMonths(1))) {
            first = first.minusMonths(1);
        }
        List<Result> results = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(target); month = month.plusMonths(1)) {
            try {
                results.add(closeOne(agreement, month));
            } catch (StatementInProgressException e) {
                results.add(new Result(agreement.id(), month.toString(), Outcome.IN_PROGRESS, e.getMessage()));
                break;
            } catch (RuntimeException e) {
                // each month continues from the one before: stop here, the next run starts again from it
                log.error("agreement {} period {}: statement failed", agreement.id(), month, e);
                results.add(new Result(agreement.id(), month.toString(), Outcome.FAILED, e.getMessage()));
                break;
            }
        }
        return results;
    }

    /** Sent and announced: nothing is left to do for the month. */
    private boolean sent(Agreement agreement, YearMonth month) {
        return statements.findWithoutLines(agreement.id(), month)
                .map(s -> s.status() == Status.SENT && s.announced()).orElse(false);
    }

    private Result closeOne(Agreement agreement, YearMonth month) {
        // the header tells how far the statement got; its lines are read only to send it
        Optional<StoredStatement> stored = statements.findWithoutLines(agreement.id(), month);
        if (stored.isPresent() && stored.get().status() == Status.SENT) {
            if (!stored.get().announced()) {
                // a run stopped between sending and announcing: the event goes out now
                announce(stored.get().statement(), stored.get().messageId());
                return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT,
                        "sent before as " + stored.get().messageId() + "; announced now");
            }
            return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT,
                    "sent before as " + stored.get().messageId());
        }
        Statement statement = stored.isPresent()
                ? statements.find(agreement.id(), month).orElseThrow().statement()
                : computeAndStore(agreement, month);
        String claim = UUID.randomUUID().toString();
        if (!statements.claimForSending(agreement.id(), statement.period(), claim, clock.instant(), SENDING_LEASE)) {
            Status now = statements.findWithoutLines(agreement.id(), month).map(StoredStatement::status).orElse(null);
            if (now == Status.SENT) {
                return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT, "sent by a concurrent run");
            }
            // another run is sending it now; if that run stops, the next run after the lease sends it
            throw new StatementInProgressException("being sent by another run; not sent twice");
        }
        String messageId;
        try {
            // built inside the claim: an email that cannot be built (too large) is a failed send, with its reason
            messageId = mailer.send(email.build(agreement, statement, clock.instant()));
        } catch (RuntimeException e) {
            statements.markFailed(agreement.id(), statement.period(), claim, e.getMessage(), clock.instant());
            throw e;
        }
        if (!statements.markSent(agreement.id(), statement.period(), claim, messageId, clock.instant())) {
            // our claim outlived its lease and another run took it over: it will report the statement
            log.warn("agreement {} period {}: sent as {} after the claim to send expired", agreement.id(), month, messageId);
            return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT, "sent late as " + messageId);
        }
        announce(statement, messageId);
        return new Result(agreement.id(), month.toString(), Outcome.SENT, "sent as " + messageId, statement.lines().size());
    }

    /** The StatementIssued event, then the note that it went out (a stop in between announces it again). */
    private void announce(Statement statement, String messageId) {
        publisher.statementIssued(statement, messageId);
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
     * already issued is returned as stored; months before it that were never closed are computed first.
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
        YearMonth first = month;
        while (first.isAfter(agreement.firstMonth()) && statements.findWithoutLines(agreementId, first.minusMonths(1)).isEmpty()) {
            first = first.minusMonths(1);
        }
        // a statement continues from its predecessor's totals, years and recent shares, never from its lines
        Statement previous = statements.findWithoutLines(agreementId, first.minusMonths(1))
                .map(StoredStatement::statement).orElse(null);
        for (YearMonth m = first; !m.isAfter(month); m = m.plusMonths(1)) {
            previous = compute(agreement, m, previous);
        }
        return previous;
    }

    /** Closes a month now: the lines recorded since the previous statement, under the agreement's rules. */
    private Statement compute(Agreement agreement, YearMonth month, Statement previous) {
        return compute(agreement, month, previous, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private Statement compute(Agreement agreement, YearMonth month, Statement previous, Instant closedAt) {
        Instant readFrom = previous == null
                ? agreements.firstAppliedAt(agreement.id()).orElse(Instant.EPOCH).minus(CLOCK_SKEW)
                : agreement.monthEndExclusive(month.minusMonths(1)).minus(CLOCK_SKEW);
        List<LedgerLine> candidates = ledger.recordedBetween(agreement.id(), readFrom, closedAt);
        return calculator.compute(agreement, month, closedAt, previous, candidates, ledger.resolutions(agreement.id()));
    }

    private Statement computeAndStore(Agreement agreement, YearMonth month) {
        Statement previous = statements.findWithoutLines(agreement.id(), month.minusMonths(1))
                .map(StoredStatement::statement).orElse(null);
        Instant closedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // before reading: a booking that would take out a line this statement counts must see it counted
        statements.beginClosing(agreement.id(), closedAt);
        Statement statement = compute(agreement, month, previous, closedAt);
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
