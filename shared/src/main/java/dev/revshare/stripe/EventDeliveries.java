package dev.revshare.stripe;

import java.time.Instant;
import java.util.List;

/**
 * What Stripe knows of its webhook deliveries to an account: the events it has not delivered, and the endpoints it
 * delivers to. Stripe keeps events for 30 days.
 */
public interface EventDeliveries {

    /**
     * The events Stripe has not delivered ({@code delivery_success=false}: failed, or still being retried) created
     * since {@code since}, as the key's account sees them (for a Connect platform's key, the connected account's).
     *
     * @return each event's JSON as a webhook would have delivered it (naming the connected account), oldest first
     * @throws ListingFailedException when Stripe did not give the whole list (nothing partial is returned)
     */
    List<String> undelivered(StripeApiKeys.ApiKey key, Instant since, StripeApiListing.Progress progress);

    /**
     * The webhook endpoints of the key's own account: a Connect platform's key lists the platform's, where its Connect
     * endpoint is (never on behalf of a connected account).
     *
     * @throws ListingFailedException when Stripe did not give the whole list
     */
    List<Endpoint> webhookEndpoints(StripeApiKeys.ApiKey key);

    /**
     * A webhook endpoint as Stripe lists it (its signing secret is not read).
     *
     * @param enabled       Stripe's status: {@code enabled}, or {@code disabled} (by a person, or by Stripe after days of
     *                      failed deliveries): a disabled endpoint is sent nothing
     * @param enabledEvents the event types it is subscribed to; {@code *} for all
     */
    record Endpoint(String id, String url, boolean enabled, List<String> enabledEvents) {
        public Endpoint {
            enabledEvents = List.copyOf(enabledEvents);
        }

        public boolean receives(String eventType) {
            return enabledEvents.contains("*") || enabledEvents.contains(eventType);
        }
    }
}
