package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.IngestionWiring;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe's webhook endpoint (a Lambda Function URL, auth NONE: the Stripe signature is the
 * authentication). Answers 200 for anything booked, ignored, set aside or already seen, 400 for a bad
 * signature or body, 404 for a path naming no agreement, and 500 whenever delivering again may succeed
 * (the store or Stripe's API failed, the secret is missing, a bug), so that Stripe retries.
 */
public final class StripeWebhookFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The container's AWS clients, each built on first use. */
    private static final AwsClients AWS = AwsClients.inLambda();

    static {
        // before the logger below starts Log4j, so that the two overlap on a cold start
        WarmUp.startIfColdInLambda(AWS);
    }

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookFunction.class);

    private final StripeWebhook webhook;
    private final Telemetry telemetry;

    /**
     * Production wiring: the table and the SSM parameters named by template.yaml, Powertools' logs and metrics.
     * Builds no AWS client (each is built on first use) and registers SnapStart's priming ({@link WebhookPriming}).
     */
    public StripeWebhookFunction() {
        this(IngestionWiring.webhook(AWS, Clock.systemUTC()), PowertoolsTelemetry.fromEnvironment());
        WebhookPriming.register();
    }

    /** The command line's: plain log lines, no metrics. */
    public StripeWebhookFunction(StripeWebhook webhook) {
        this(webhook, Telemetry.LOGS_ONLY);
    }

    public StripeWebhookFunction(StripeWebhook webhook, Telemetry telemetry) {
        this.webhook = webhook;
        this.telemetry = telemetry;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return telemetry.invocation(context, () -> answer(request));
    }

    /** The body is never logged: it holds the customer's data. */
    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent request) {
        BookingResult result;
        try {
            result = webhook.receive(request.getRawPath(), header(request, "stripe-signature"), body(request));
        } catch (RuntimeException bug) {
            log.error("webhook failed on a fault in revshare itself; answering 500 so that Stripe delivers again", bug);
            result = new BookingResult(Outcome.FAILED, "internal error, retry later");
        }
        int status = httpStatus(result.outcome());
        telemetry.outcome(result.outcome());
        log.info("webhook {} {}: {}", status, result.outcome(), result.message());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(Map.of("outcome", result.outcome().name().toLowerCase(Locale.ROOT),
                        "message", result.message())))
                .build();
    }

    /** What Stripe sees: it retries any non-2xx answer for up to three days. */
    static int httpStatus(Outcome outcome) {
        return switch (outcome) {
            case REJECTED -> 400;
            case UNKNOWN_AGREEMENT -> 404;
            default -> outcome.retry ? 500 : 200;
        };
    }

    /** The raw body Stripe signed: Function URLs base64-encode bodies they consider binary. */
    private static String body(APIGatewayV2HTTPEvent request) {
        String body = request.getBody();
        if (body != null && request.getIsBase64Encoded()) {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body;
    }

    private static String header(APIGatewayV2HTTPEvent request, String name) {
        if (request.getHeaders() == null) {
            return null;
        }
        return request.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
