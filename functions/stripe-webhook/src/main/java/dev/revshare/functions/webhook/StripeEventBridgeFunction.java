package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.IngestionWiring;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe events delivered through Stripe's Amazon EventBridge event destination (a rule on the partner
 * event bus invokes this function). The Stripe event is the envelope's {@code detail}; EventBridge is the
 * trusted source, so there is no signature. Booking is the webhook's, through the same router. When
 * delivering again may succeed, the invocation fails, so that Lambda retries it (twice, then the on-failure queue).
 */
public final class StripeEventBridgeFunction implements RequestHandler<ScheduledEvent, Map<String, String>> {
    private static final Logger log = LoggerFactory.getLogger(StripeEventBridgeFunction.class);

    private final EventRouter router;
    private final Telemetry telemetry;

    /**
     * Production wiring: the table named by template.yaml, Powertools' logs and metrics. Builds no AWS client
     * (each is built on first use) and registers SnapStart's priming of the booking path ({@link WebhookPriming}).
     */
    public StripeEventBridgeFunction() {
        this(IngestionWiring.router(AwsClients.inLambda(), Clock.systemUTC()), PowertoolsTelemetry.fromEnvironment());
        WebhookPriming.register();
    }

    /** Plain log lines, no metrics. */
    public StripeEventBridgeFunction(EventRouter router) {
        this(router, Telemetry.LOGS_ONLY);
    }

    public StripeEventBridgeFunction(EventRouter router, Telemetry telemetry) {
        this.router = router;
        this.telemetry = telemetry;
    }

    @Override
    public Map<String, String> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, () -> book(event));
    }

    private Map<String, String> book(ScheduledEvent event) {
        if (event.getDetail() == null || event.getDetail().isEmpty()) {
            throw new IllegalArgumentException("EventBridge event " + event.getId() + " has no detail: not a Stripe event");
        }
        BookingResult result = router.receiveTrusted(Json.write(event.getDetail()));
        telemetry.outcome(result.outcome());
        log.info("eventbridge {} {}: {}", event.getDetailType(), result.outcome(), result.message());
        if (result.outcome().retry) {
            throw new IllegalStateException("could not book Stripe event " + event.getDetail().get("id") + ": " + result.message()
                    + " (Lambda retries)");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        answer.put("message", result.message());
        return answer;
    }
}
