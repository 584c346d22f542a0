package dev.revshare.page;

/**
 * How many requests a link may make in a while: each request is counted under its link, and refused over the limit.
 * In one process ({@link RateLimiter}, `revshare serve`) or for the whole stack, whatever number of function
 * instances serve it (the DynamoDB one: a flood of requests starts more instances, each with a fresh count).
 */
public interface RequestLimit {
    /** Counts a request under the key; false when the key is over its limit for the current window. */
    boolean allow(String key);

    /** Seconds until the key may try again (for Retry-After). */
    long retryAfterSeconds(String key);
}
