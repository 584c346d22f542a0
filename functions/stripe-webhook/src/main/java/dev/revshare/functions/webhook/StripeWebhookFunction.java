package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.IngestionWiring;
import dev.revshare.aws.Environment;
import dev.revshare.aws.SsmWebhookSecrets;
import dev.revshare.ingest.IngestResult;
import dev.revshare.ingest.StripeIngestion;
import dev.revshare.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe's webhook endpoint (a Lambda Function URL, auth NONE: the Stripe signature is the
 * authentication). Answers 200 for anything booked, ignored or already seen, 400 for a bad signature
 * or body, 500 when the store fails so that Stripe retries.
 */
public final class StripeWebhookFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookFunction.class);

    private final StripeIngestion ingestion;

    /** Production wiring: the table and the SSM parameter named by template.yaml. */
    public StripeWebhookFunction() {
        this(productionIngestion());
    }

    public StripeWebhookFunction(StripeIngestion ingestion) {
        this.ingestion = ingestion;
    }

    private static StripeIngestion productionIngestion() {
        AwsClients aws = AwsClients.fromEnvironment();
        Clock clock = Clock.systemUTC();
        return IngestionWiring.fromEnvironment(aws, new SsmWebhookSecrets(aws.ssm(),
                Environment.require("WEBHOOK_SECRET_PARAMETER"), System.getenv("AGREEMENT_SECRET_PREFIX"), clock), clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        IngestResult result;
        try {
            result = ingestion.receive(request.getRawPath(), header(request, "stripe-signature"), body(request));
        } catch (RuntimeException e) {
            log.error("webhook failed, answering 500 so that Stripe retries: {}", e.toString());
            result = new IngestResult(IngestResult.Outcome.STORE_FAILED, "internal error, retry later");
        }
        log.info("webhook {} {}: {}", result.outcome().httpStatus, result.outcome(), result.message());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(result.outcome().httpStatus)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(Map.of("outcome", result.outcome().name().toLowerCase(), "message", result.message())))
                .build();
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
