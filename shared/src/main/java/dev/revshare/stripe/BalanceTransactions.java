package dev.revshare.stripe;

import dev.revshare.domain.Agreement;
import java.time.Instant;
import java.util.List;

/**
 * What Stripe recorded for an agreement's account: every balance transaction created in a time range, as the
 * agreement's account sees it (for a Connect platform, on behalf of the connected account).
 */
public interface BalanceTransactions {

    /**
     * @param from     first instant listed
     * @param to       first instant not listed
     * @param progress told after each page
     * @return every balance transaction of the range, oldest first
     * @throws ListingFailedException when Stripe did not give the whole list (nothing partial is returned)
     */
    List<BalanceTransaction> list(Agreement agreement, Instant from, Instant to, Progress progress);

    /** Whether an API key is set up for the agreement: without one its books cannot be checked against Stripe. */
    boolean enabledFor(Agreement agreement);

    /** Told after each page of a listing (a month of a busy account is a hundred pages). */
    @FunctionalInterface
    interface Progress {
        void listed(int pages, int transactions);

        Progress NONE = (pages, transactions) -> { };
    }
}
