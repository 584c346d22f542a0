package dev.revshare.stripe;

/** Stripe Connect transfers from the platform's balance to a partner's connected account. */
public interface StripeTransfers {

    /**
     * Asks Stripe to make the transfer. Asking again with the same idempotency key and the same request returns the
     * transfer Stripe made the first time: it is never made twice.
     *
     * @return Stripe's id of the transfer ({@code tr_…})
     * @throws Refused     when Stripe refused it (an insufficient platform balance, an account that cannot receive
     *                     transfers, a key without the permission): nothing was paid
     * @throws NotAnswered when Stripe's answer is not known (no answer, 5xx, rate limited): ask again with the same key
     */
    String transfer(Transfer request);

    /**
     * @param amount         minor units of {@code currency}
     * @param destination    the partner's connected account ({@code acct_…})
     * @param transferGroup  the statement's reference, which groups what was paid for it in Stripe's dashboard
     * @param idempotencyKey Stripe's {@code Idempotency-Key}
     */
    record Transfer(long amount, String currency, String destination, String transferGroup, String idempotencyKey,
                    String description, String agreementId, String period) {}

    /** Stripe refused the transfer; its message says why. */
    final class Refused extends RuntimeException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Stripe's answer is not known: the transfer may or may not have been made. */
    final class NotAnswered extends RuntimeException {
        public NotAnswered(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
