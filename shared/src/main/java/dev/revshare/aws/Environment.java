package dev.revshare.aws;

import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.statements.MonthlyStatementRun;
import java.time.Duration;

/** Reads the functions' settings from environment variables, failing with a message that names them. */
public final class Environment {
    private Environment() {}

    public static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it in AWS)");
        }
        return value;
    }

    /** STATEMENT_GRACE_DAYS: days after a month's end before its statement is closed (default 3). */
    public static Duration statementGrace() {
        String value = System.getenv("STATEMENT_GRACE_DAYS");
        if (value == null || value.isBlank()) {
            return MonthlyStatementRun.DEFAULT_GRACE;
        }
        try {
            int days = Integer.parseInt(value.strip());
            if (days < 0 || days > 27) {
                throw new NumberFormatException();
            }
            return Duration.ofDays(days);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable STATEMENT_GRACE_DAYS must be whole days from 0 to 27, was '"
                    + value + "'");
        }
    }

    /**
     * SWEEP_DAYS: how far back the daily sweep lists Stripe's undelivered events, 1 to 30 days (default 30: all that
     * Stripe keeps).
     */
    public static Duration sweepLookBack() {
        String value = System.getenv("SWEEP_DAYS");
        if (value == null || value.isBlank()) {
            return DeliverySweep.STRIPE_KEEPS_EVENTS;
        }
        long most = DeliverySweep.STRIPE_KEEPS_EVENTS.toDays();
        try {
            int days = Integer.parseInt(value.strip());
            if (days < 1 || days > most) {
                throw new NumberFormatException();
            }
            return Duration.ofDays(days);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable SWEEP_DAYS must be whole days from 1 to " + most
                    + " (Stripe keeps events " + most + " days), was '" + value + "'");
        }
    }

    /**
     * How long one worker instance waits between two sends: STATEMENT_WORKERS / STATEMENT_SEND_RATE seconds, so that
     * the workers together (at most STATEMENT_WORKERS at once) send at most STATEMENT_SEND_RATE statements a second.
     * Without either (the command line, tests): no wait.
     */
    public static Duration statementSendInterval() {
        String rate = System.getenv("STATEMENT_SEND_RATE");
        String workers = System.getenv("STATEMENT_WORKERS");
        if (rate == null || rate.isBlank() || workers == null || workers.isBlank()) {
            return Duration.ZERO;
        }
        return sendInterval(positive("STATEMENT_SEND_RATE", rate), positive("STATEMENT_WORKERS", workers));
    }

    static Duration sendInterval(int sendsPerSecond, int workers) {
        return Duration.ofNanos(Duration.ofSeconds(workers).toNanos() / sendsPerSecond);
    }

    private static int positive(String name, String value) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number of at least 1, was '"
                    + value + "'");
        }
    }
}
