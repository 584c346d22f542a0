package dev.revshare.statements;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Sends at most one email per interval from this instance, waiting for its turn. The worker function runs as at
 * most N instances at once, each paced to N / rate seconds, so together they stay within SES's sending rate
 * (template.yaml: StatementSendRate, StatementWorkers) instead of being throttled by it.
 */
public final class PacedMailer implements StatementMailer {
    /** Waits; in tests, records the wait. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final StatementMailer mailer;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextSendAt;
    private boolean sentBefore;

    public PacedMailer(StatementMailer mailer, Duration interval) {
        this(mailer, interval, System::nanoTime, duration -> Thread.sleep(duration));
    }

    public PacedMailer(StatementMailer mailer, Duration interval, LongSupplier nanoTime, Sleeper sleeper) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval between sends cannot be negative: " + interval);
        }
        this.mailer = mailer;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    @Override
    public synchronized String send(OutgoingEmail email) {
        long now = nanoTime.getAsLong();
        if (sentBefore && now - nextSendAt < 0) {
            try {
                sleeper.sleep(Duration.ofNanos(nextSendAt - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the turn to send", e);
            }
            now = nextSendAt;
        }
        sentBefore = true;
        nextSendAt = now + intervalNanos;
        return mailer.send(email);
    }
}
