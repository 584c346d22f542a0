package dev.revshare.stripe;

/** Stripe did not give a whole list; the message says what failed, and what to do. Nothing partial is returned. */
public final class ListingFailedException extends RuntimeException {
    /** Why, in a word a program can act on. */
    public enum Problem {
        /** 429, still after the waits Stripe asked for */
        RATE_LIMITED,
        /** 5xx or no answer in time, still after stripe-java's retries */
        UNAVAILABLE,
        /** 401 or 403: the key may not read what was listed */
        NOT_PERMITTED,
        /** 400 or an answer that is not the list asked for */
        REFUSED
    }

    private final Problem problem;

    public ListingFailedException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
