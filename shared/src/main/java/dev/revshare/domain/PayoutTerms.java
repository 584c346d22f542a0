package dev.revshare.domain;

import java.util.Objects;

/**
 * How the partner's payable amounts are paid, as the agreement file says ({@code payouts:}).
 *
 * @param method      by hand (a bank transfer someone makes and records) or by a Stripe Connect transfer
 * @param destination the partner's connected account ({@code acct_…}) a transfer goes to; null when paid by hand
 * @param automatic   a transfer is made as soon as each statement has been sent, without a person asking
 */
public record PayoutTerms(Method method, String destination, boolean automatic) {
    /** What an agreement without {@code payouts:} gets: the partner is paid by hand, and each payment recorded. */
    public static final PayoutTerms BY_HAND = new PayoutTerms(Method.BY_HAND, null, false);

    public PayoutTerms {
        Objects.requireNonNull(method, "method");
        if (method == Method.STRIPE_TRANSFER && (destination == null || !destination.startsWith("acct_"))) {
            throw new IllegalArgumentException("a Stripe transfer needs the partner's connected account (acct_…)");
        }
        if (method == Method.BY_HAND && automatic) {
            throw new IllegalArgumentException("only a Stripe transfer can be made automatically");
        }
    }

    public boolean byTransfer() {
        return method == Method.STRIPE_TRANSFER;
    }

    public enum Method { BY_HAND, STRIPE_TRANSFER }
}
