package dev.revshare.functions.webhook;

import dev.revshare.ingest.BookingResult;
import dev.revshare.aws.IngestionWiring;
import dev.revshare.json.Json;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's priming: before Lambda snapshots the initialised function (a CRaC {@code beforeCheckpoint} hook),
 * the built-in {@link SampleDelivery} goes through the webhook's own code (signature check, parsing, finding the
 * agreement, classifying and booking, the answer's JSON), so that restored containers start with those classes
 * loaded and initialised. It uses nothing of the function's own: its AWS clients, agreement cache and secrets
 * cache are made after restore, on first use, so the snapshot holds no connection, credentials or secret.
 */
final class WebhookPriming implements Resource {
    private static final Logger log = LoggerFactory.getLogger(WebhookPriming.class);
    /** CRaC keeps registered resources by weak reference: this one lives as long as the class. */
    private static final WebhookPriming REGISTERED = new WebhookPriming();

    private static boolean registered;

    /** Registers the hook with CRaC (once, whichever handler asks first); without SnapStart it never runs. */
    static synchronized void register() {
        if (!registered) {
            Core.getGlobalContext().register(REGISTERED);
            registered = true;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        BookingResult primed = prime();
        log.info("primed the webhook on a built-in sample delivery (no store, network or secret): {}", primed.outcome());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to re-create: the function's clients, caches and secrets are made on first use, after restore
    }

    /** The sample booked, and answered as StripeWebhookFunction answers. */
    BookingResult prime() {
        BookingResult result = IngestionWiring.primeOffline();
        Json.write(Map.of("outcome", result.outcome().name(), "message", result.message(),
                "status", StripeWebhookFunction.httpStatus(result.outcome())));
        return result;
    }
}
