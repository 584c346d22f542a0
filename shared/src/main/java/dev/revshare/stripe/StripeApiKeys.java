package dev.revshare.stripe;

import dev.revshare.domain.Agreement;

/** Where the read-only Stripe API key an agreement's payments are looked up with comes from. */
@FunctionalInterface
public interface StripeApiKeys {

    /** @return the key, or null when none is set up for the agreement (its payments are read from events alone) */
    ApiKey keyFor(Agreement agreement);

    /**
     * @param onBehalfOf the connected account to read as ({@code Stripe-Account}), when the key is the
     *                   Connect platform's; null for the agreement's own key
     */
    record ApiKey(String secret, String onBehalfOf) {
        /** Never the secret: a key that reaches a log line or a message says only whose it is. */
        @Override
        public String toString() {
            return "ApiKey[" + (onBehalfOf == null ? "own account" : "on behalf of " + onBehalfOf) + "]";
        }
    }

    StripeApiKeys NONE = agreement -> null;
}
