package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;

/**
 * Reads Stripe objects from Stripe's API, as the agreement's account sees them (for a Connect
 * platform, on behalf of the connected account). Used where an event lacks what classifying its payment
 * needs: the line items, prices and products, the invoice behind a payment intent.
 */
public interface StripeLookup {

    /**
     * @param pathAndQuery e.g. {@code /v1/payment_intents/pi_123?expand[]=latest_charge.balance_transaction}
     * @return the object (or list) as raw JSON, or null when Stripe has no such object
     * @throws StripeUnavailableException when Stripe cannot answer now (the delivery is retried)
     */
    JsonNode get(Agreement agreement, String pathAndQuery);

    /** Whether lookups are configured for the agreement (an API key is set up). */
    boolean enabledFor(Agreement agreement);

    /** No lookups: payments are read from their events alone. */
    StripeLookup NONE = new StripeLookup() {
        @Override
        public JsonNode get(Agreement agreement, String pathAndQuery) {
            return null;
        }

        @Override
        public boolean enabledFor(Agreement agreement) {
            return false;
        }
    };

    /** Stripe's API could not be reached or refused the key; the event is answered 5xx so Stripe retries. */
    final class StripeUnavailableException extends RuntimeException {
        public StripeUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
