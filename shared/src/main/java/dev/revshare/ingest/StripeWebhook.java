package dev.revshare.ingest;

import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.store.AgreementStore;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.WebhookEndpoint;
import dev.revshare.stripe.WebhookSecrets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A webhook delivery from door to ledger: the endpoint verifies it, the router books it. */
public final class StripeWebhook {
    private static final Logger log = LoggerFactory.getLogger(StripeWebhook.class);

    private final WebhookEndpoint endpoint;
    private final EventRouter router;

    public StripeWebhook(WebhookEndpoint endpoint, EventRouter router) {
        this.endpoint = endpoint;
        this.router = router;
    }

    /** Webhook deliveries checked with {@code secrets}, booked into {@code store}, for the applied agreements. */
    public static StripeWebhook of(AgreementStore agreements, BookingStore store, WebhookSecrets secrets, StripeLookup lookup,
                                   Clock clock) {
        EventRouter router = new EventRouter(agreements, store, lookup, clock);
        return new StripeWebhook(new WebhookEndpoint(secrets, clock, router::knows), router);
    }

    /**
     * @param path            the request path: {@code /stripe} (agreement found by the event's account, platform
     *                        secret) or {@code /stripe/{agreementId}} (that agreement, its own secret)
     * @param signatureHeader the {@code Stripe-Signature} header, or null
     * @param rawBody         the body exactly as received (already base64-decoded)
     */
    public BookingResult receive(String path, String signatureHeader, String rawBody) {
        return switch (endpoint.open(path, signatureHeader, rawBody)) {
            case WebhookEndpoint.Verified verified -> router.route(verified.agreementId(), verified.event());
            case WebhookEndpoint.Refused refused -> refused(refused);
        };
    }

    private static BookingResult refused(WebhookEndpoint.Refused refused) {
        return switch (refused.refusal()) {
            case BAD_REQUEST -> new BookingResult(Outcome.REJECTED, refused.reason());
            case UNKNOWN_AGREEMENT -> new BookingResult(Outcome.UNKNOWN_AGREEMENT, refused.reason());
            case NOT_CONFIGURED -> {
                log.error("webhook secret missing, asking Stripe to deliver again: {}", refused.reason());
                yield new BookingResult(Outcome.NOT_CONFIGURED, "signing secret not configured, retry later");
            }
        };
    }

    public EventRouter router() {
        return router;
    }
}
