package dev.revshare.statements;

import java.util.List;

/** What one run of the monthly statements did, agreement by agreement. */
public record RunSummary(List<Result> results) {

    public RunSummary {
        results = List.copyOf(results);
    }

    /** IN_PROGRESS: another run is sending that statement right now. */
    public enum Outcome { SENT, ALREADY_SENT, SKIPPED, IN_PROGRESS, FAILED }

    /** @param lines how many lines the statement has, when this run sent it (0 otherwise) */
    public record Result(String agreementId, String period, Outcome outcome, String message, int lines) {
        public Result(String agreementId, String period, Outcome outcome, String message) {
            this(agreementId, period, outcome, message, 0);
        }
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** One line for the log: how many statements were sent, skipped, already sent and failed. */
    public String headline() {
        return "statements: " + count(Outcome.SENT) + " sent, " + count(Outcome.ALREADY_SENT) + " already sent, "
                + count(Outcome.SKIPPED) + " skipped, " + count(Outcome.IN_PROGRESS) + " being sent by another run, "
                + count(Outcome.FAILED) + " failed";
    }
}
