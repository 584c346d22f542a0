package dev.revshare.aws;

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
}
