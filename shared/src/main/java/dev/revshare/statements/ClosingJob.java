package dev.revshare.statements;

import java.time.YearMonth;
import java.util.Objects;

/**
 * One agreement's closing to do: its months not yet sent, up to and including {@code through}. A statements run
 * is a list of these; the deployed stack sends each as one queue message to the worker.
 */
public record ClosingJob(String agreementId, YearMonth through) {
    public ClosingJob {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(through, "through");
    }
}
