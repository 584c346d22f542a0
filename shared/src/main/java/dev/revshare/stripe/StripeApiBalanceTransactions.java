package dev.revshare.stripe;

import dev.revshare.domain.Agreement;
import dev.revshare.stripe.ListingFailedException.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists an account's balance transactions with stripe-java ({@link StripeApiListing}: page by page, all or nothing,
 * rate limits waited out), each with its source expanded (the charge, refund or dispute a webhook event would
 * have carried), so nothing is booked from half a month.
 */
public final class StripeApiBalanceTransactions implements BalanceTransactions {
    static final StripeApiListing.Collection BALANCE_TRANSACTIONS = new StripeApiListing.Collection("/v1/balance_transactions",
            "balance transactions", "transactions", "a balance transaction", "a restricted key needs read access to Balance "
            + "(balance transactions) as well as to Charges, Refunds and Disputes");

    private final StripeApiKeys keys;
    private final StripeApiListing stripe;

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, a fake in tests); null for Stripe's */
    public StripeApiBalanceTransactions(StripeApiKeys keys, String apiBase) {
        this(keys, apiBase, StripeApiListing.Policy.DEFAULT);
    }

    public StripeApiBalanceTransactions(StripeApiKeys keys, String apiBase, StripeApiListing.Policy policy) {
        this(keys, new StripeApiListing(apiBase, policy));
    }

    public StripeApiBalanceTransactions(StripeApiKeys keys, StripeApiListing stripe) {
        this.keys = keys;
        this.stripe = stripe;
    }

    @Override
    public boolean enabledFor(Agreement agreement) {
        return keys.keyFor(agreement) != null;
    }

    @Override
    public List<BalanceTransaction> list(Agreement agreement, Instant from, Instant to, Progress progress) {
        StripeApiKeys.ApiKey key = keys.keyFor(agreement);
        if (key == null) {
            throw new ListingFailedException(Problem.NOT_PERMITTED, "no Stripe API key is set up for agreement "
                    + agreement.id(), null);
        }
        List<BalanceTransaction> listed = new ArrayList<>(stripe.list(key, true, BALANCE_TRANSACTIONS,
                "created[gte]=" + from.getEpochSecond() + "&created[lt]=" + to.getEpochSecond() + "&expand[]=data.source",
                BalanceTransaction::read, BalanceTransaction::id, progress::listed));
        // Stripe lists newest first; a month is read in the order its money moved
        listed.sort(Comparator.comparing(BalanceTransaction::created).thenComparing(BalanceTransaction::id));
        return listed;
    }
}
