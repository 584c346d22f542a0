package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.IngestionWiring;
import dev.revshare.ingest.IngestResult;
import dev.revshare.ingest.StripeIngestion;
import dev.revshare.ingest.WebhookSecrets;
import dev.revshare.json.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe events delivered through Stripe's Amazon EventBridge event destination (a rule on the partner
 * event bus invokes this function). The Stripe event is the envelope's {@code detail}; EventBridge is the
 * trusted source, so there is no signature. Booking is the webhook's, through the same ingestion code.
 * A store failure fails the invocation, so EventBridge retries it.
 */
public final class StripeEventBridgeFunction implements RequestHandler<ScheduledEvent, Map<String, String>> {
    private static final Logger log = LoggerFactory.getLogger(StripeEventBridgeFunction.class);

    private final StripeIngestion ingestion;

    /** Production wiring: the table named by template.yaml. */
    public StripeEventBridgeFunction() {
        this(productionIngestion());
    }

    public StripeEventBridgeFunction(StripeIngestion ingestion) {
        this.ingestion = ingestion;
    }

    private static StripeIngestion productionIngestion() {
        WebhookSecrets none = () -> {
            throw new WebhookSecrets.MissingSecretException("events from EventBridge carry no signature", null);
        };
        return IngestionWiring.fromEnvironment(AwsClients.fromEnvironment(), none, Clock.systemUTC());
    }

    @Override
    public Map<String, String> handleRequest(ScheduledEvent event, Context context) {
        if (event.getDetail() == null || event.getDetail().isEmpty()) {
            throw new IllegalArgumentException("EventBridge event " + event.getId() + " has no detail: not a Stripe event");
        }
        IngestResult result = ingestion.receiveFromEventBridge(Json.write(event.getDetail()));
        log.info("eventbridge {} {}: {}", event.getDetailType(), result.outcome(), result.message());
        if (result.outcome().httpStatus >= 500) {
            throw new IllegalStateException("could not book Stripe event " + event.getDetail().get("id") + ": "
                    + result.message() + " (EventBridge retries)");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("outcome", result.outcome().name().toLowerCase());
        answer.put("message", result.message());
        return answer;
    }
}
