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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes each agreement's month, in the agreement's own time zone: computes the statement once,
 * stores it, emails it to both parties, then announces it. A month already sent is never sent again;
 * a month stored but not yet sent is sent by the next run; months missed since the last statement are
 * caught up in order, because each statement continues from the one before.
 */
public final class MonthlyStatementRun {
    /** Stripe's clock and ours may differ a little: lines recorded this long before a month ends are read too. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(MonthlyStatementRun.class);

    private final AgreementStore agreements;
    private final LedgerStore ledger;
    private final StatementStore statements;
    private final StatementMailer mailer;
    private final StatementPublisher publisher;
    private final String sender;
    private final Clock clock;
    private final StatementCalculator calculator = new StatementCalculator();
    private final StatementEmailRenderer renderer = new StatementEmailRenderer();
    private final MimeMessageWriter mime = new MimeMessageWriter();

    public MonthlyStatementRun(AgreementStore agreements, LedgerStore ledger, StatementStore statements,
                               StatementMailer mailer, StatementPublisher publisher, String sender, Clock clock) {
        this.agreements = agreements;
        this.ledger = ledger;
        this.statements = statements;
        this.mailer = mailer;
        this.publisher = publisher;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * @param scheduledAt when the schedule fired: each agreement closes the month before this instant's
     *                    month, in its own zone
     * @param period      a month to (re-)run instead, for every agreement
     * @param agreementId only this agreement, or null for all
     */
    public RunSummary run(Instant scheduledAt, YearMonth period, String agreementId) {
        List<Result> results = new ArrayList<>();
        for (Agreement agreement : agreements.all()) {
            if (agreementId != null && !agreement.id().equals(agreementId)) {
                continue;
            }
            YearMonth target = period != null ? period : agreement.monthOf(scheduledAt).minusMonths(1);
            try {
                results.addAll(close(agreement, target));
            } catch (RuntimeException e) {
                log.error("agreement {} period {}: statement failed: {}", agreement.id(), target, e.toString());
                results.add(new Result(agreement.id(), target.toString(), Outcome.FAILED, e.getMessage()));
            }
        }
        RunSummary summary = new RunSummary(results);
        log.info(summary.headline());
        return summary;
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
            } catch (RuntimeException e) {
                // each month continues from the one before: stop here, the next run starts again from it
                log.error("agreement {} period {}: statement failed: {}", agreement.id(), month, e.toString());
                results.add(new Result(agreement.id(), month.toString(), Outcome.FAILED, e.getMessage()));
                break;
            }
        }
        return results;
    }

    private boolean sent(Agreement agreement, YearMonth month) {
        return statements.find(agreement.id(), month.toString()).map(s -> s.status() == Status.SENT).orElse(false);
    }

    private Result closeOne(Agreement agreement, YearMonth month) {
        Optional<StoredStatement> stored = statements.find(agreement.id(), month.toString());
        if (stored.isPresent() && stored.get().status() == Status.SENT) {
            return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT,
                    "sent before as " + stored.get().messageId());
        }
        Statement statement = stored.map(StoredStatement::statement).orElseGet(() -> computeAndStore(agreement, month));
        OutgoingEmail email = email(agreement, statement);
        String messageId = mailer.send(email);
        if (!statements.markSent(agreement.id(), statement.period(), messageId, clock.instant())) {
            // another run sent it at the same time; ours is the duplicate and is not announced
            log.warn("agreement {} period {}: another run marked the statement sent first", agreement.id(), month);
            return new Result(agreement.id(), month.toString(), Outcome.ALREADY_SENT, "sent by a concurrent run");
        }
        publisher.statementIssued(statement, messageId);
        return new Result(agreement.id(), month.toString(), Outcome.SENT, "sent as " + messageId);
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
        Optional<StoredStatement> issued = statements.find(agreementId, month.toString());
        if (issued.isPresent()) {
            return issued.get().statement();
        }
        YearMonth first = month;
        while (first.isAfter(agreement.firstMonth()) && statements.find(agreementId, first.minusMonths(1).toString()).isEmpty()) {
            first = first.minusMonths(1);
        }
        Statement previous = statements.find(agreementId, first.minusMonths(1).toString())
                .map(StoredStatement::statement).orElse(null);
        for (YearMonth m = first; !m.isAfter(month); m = m.plusMonths(1)) {
            previous = compute(agreement, m, previous);
        }
        return previous;
    }

    /** Closes a month now: the lines recorded since the previous statement, under the agreement's rules. */
    private Statement compute(Agreement agreement, YearMonth month, Statement previous) {
        Instant closedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant readFrom = previous == null
                ? agreements.firstAppliedAt(agreement.id()).orElse(Instant.EPOCH).minus(CLOCK_SKEW)
                : agreement.monthEndExclusive(month.minusMonths(1)).minus(CLOCK_SKEW);
        List<LedgerLine> candidates = ledger.recordedBetween(agreement.id(), readFrom, closedAt);
        return calculator.compute(agreement, month, closedAt, previous, candidates, ledger.resolutions(agreement.id()));
    }

    private Statement computeAndStore(Agreement agreement, YearMonth month) {
        Statement previous = statements.find(agreement.id(), month.minusMonths(1).toString())
                .map(StoredStatement::statement).orElse(null);
        Statement statement = compute(agreement, month, previous);
        if (!statements.create(statement)) {
            // a concurrent run stored this month first: continue with its statement, not ours
            return statements.find(agreement.id(), month.toString()).orElseThrow().statement();
        }
        return statement;
    }

    private OutgoingEmail email(Agreement agreement, Statement statement) {
        List<String> recipients = new ArrayList<>(agreement.expert().emails());
        recipients.addAll(agreement.partner().emails());
        StatementEmailRenderer.Rendered rendered = renderer.render(agreement, statement);
        byte[] message = mime.write(sender, recipients, rendered.subject(), rendered.text(), rendered.html(), clock.instant());
        return new OutgoingEmail(agreement.id() + "-" + statement.period(), sender, recipients, rendered.subject(), rendered.html(), rendered.text(), message);
    }

    private static Result skipped(Agreement agreement, YearMonth month, String why) {
        return new Result(agreement.id(), month.toString(), Outcome.SKIPPED, why);
    }
}
