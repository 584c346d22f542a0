package dev.revshare.statements;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closing day on the deployed stack, first half: finds the agreements with a month due ({@link
 * MonthlyStatementRun#due}) and queues one job each; the worker closes them ({@link MonthlyStatementRun#close}).
 * The run itself sends nothing, so it stays short however many agreements close on one day.
 */
public final class ClosingDispatch {
    private static final Logger log = LoggerFactory.getLogger(ClosingDispatch.class);

    private final MonthlyStatementRun run;
    private final ClosingQueue queue;

    public ClosingDispatch(MonthlyStatementRun run, ClosingQueue queue) {
        this.run = run;
        this.queue = queue;
    }

    /**
     * @return the jobs queued
     * @throws ClosingQueue.NotQueuedException when some could not be queued (the others are)
     */
    public List<ClosingJob> dispatch(Instant scheduledAt, YearMonth period, String agreementId) {
        List<ClosingJob> jobs = run.due(scheduledAt, period, agreementId);
        queue.enqueue(jobs);
        log.info("{} agreements queued for closing", jobs.size());
        return jobs;
    }
}
