package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a delivery leaves in CloudWatch Logs with Powertools (surefire sets the environment Lambda and
 * template.yaml set): a JSON line naming the request, the agreement and the Stripe event, never the body, and
 * its outcome counted in EMF on stdout.
 */
class WebhookTelemetryTest {
    private static final String SECRET = "whsec_revshare_local_test";
    private static final Instant NOW = Instant.parse("2026-10-21T12:00:00Z");

    @Test
    void deliveryLogsJsonWithItsKeysAndCountsItsOutcomeInEmf() {
        InMemoryStores store = new InMemoryStores();
        store.agreements().put(TestAgreements.sarahMindfulness(), Instant.parse("2025-10-01T00:00:00Z"));
        StripeWebhookFunction function = new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(),
                () -> SECRET, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)), PowertoolsTelemetry.fromEnvironment());
        APIGatewayV2HTTPEvent request = EventLoader.loadApiGatewayHttpEvent("../../events/stripe-webhook/charge-succeeded.json");
        Map<String, String> headers = new HashMap<>(request.getHeaders());
        headers.put("stripe-signature", SampleStripeEvents.signatureHeader(request.getBody(), SECRET, NOW));
        request.setHeaders(headers);

        String first = stdout(() -> function.handleRequest(request, context("req-1")).getStatusCode());
        String again = stdout(() -> function.handleRequest(request, context("req-2")).getStatusCode());

        assertThat(jsonLines(first)).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("webhook 200 RECORDED");
            assertThat(line.path("function_request_id").asText()).isEqualTo("req-1");
            assertThat(line.path("cold_start").asText()).isIn("true", "false");
            assertThat(line.path("service").asText()).isEqualTo("stripe-webhook");
            assertThat(line.path("agreement_id").asText()).isEqualTo("sarah-mindfulness");
            assertThat(line.path("stripe_event_id").asText()).isEqualTo("evt_3SarahCharge00001");
            assertThat(line.path("stripe_event_type").asText()).isEqualTo("charge.succeeded");
        });
        assertThat(emf(first)).singleElement().satisfies(metrics -> {
            JsonNode directive = metrics.path("_aws").path("CloudWatchMetrics").path(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("revshare");
            assertThat(directive.path("Dimensions").path(0)).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("Service", "outcome");
            assertThat(directive.path("Metrics").path(0).path("Name").asText()).isEqualTo("StripeEvents");
            assertThat(directive.path("Metrics").path(0).path("Unit").asText()).isEqualTo("Count");
            assertThat(metrics.path("StripeEvents").asDouble()).isEqualTo(1);
            assertThat(metrics.path("outcome").asText()).isEqualTo("recorded");
            assertThat(metrics.path("Service").asText()).isEqualTo("stripe-webhook");
        });
        // the next invocation: its own request id, the outcome counted under its own dimension value only
        assertThat(jsonLines(again)).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("webhook 200 DUPLICATE");
            assertThat(line.path("function_request_id").asText()).isEqualTo("req-2");
            assertThat(line.path("cold_start").asText()).isEqualTo("false");
        });
        assertThat(emf(again)).singleElement().satisfies(metrics -> {
            assertThat(metrics.path("outcome").asText()).isEqualTo("duplicate");
            assertThat(metrics.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions")).hasSize(1);
        });
        // the body holds the customer's data: it never reaches the log
        assertThat(first + again).doesNotContain("cus_SarahStudent0001", "revshare sample course", "pm_3SarahC");
    }

    @Test
    void aRefusedDeliveryIsCountedAndNamesNoEvent() {
        InMemoryStores store = new InMemoryStores();
        StripeWebhookFunction function = new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(),
                () -> SECRET, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)), PowertoolsTelemetry.fromEnvironment());
        APIGatewayV2HTTPEvent request = EventLoader.loadApiGatewayHttpEvent("../../events/stripe-webhook/charge-succeeded.json");

        String out = stdout(() -> function.handleRequest(request, context("req-3")).getStatusCode());

        assertThat(jsonLines(out)).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("webhook 400 REJECTED");
            assertThat(line.has("stripe_event_id")).isFalse();
        });
        assertThat(emf(out)).singleElement().satisfies(metrics -> assertThat(metrics.path("outcome").asText()).isEqualTo("rejected"));
    }

    private static List<JsonNode> jsonLines(String out) {
        return out.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class))
                .filter(line -> !line.has("_aws")).toList();
    }

    private static List<JsonNode> emf(String out) {
        return out.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class))
                .filter(line -> line.has("_aws")).toList();
    }

    /** What the handler wrote to stdout (log lines and EMF both go there, as in Lambda). */
    private static String stdout(Supplier<Integer> handling) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handling.get();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    private static Context context(String requestId) {
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/revshare-webhook"; }
            @Override public String getLogStreamName() { return "2026/10/21/[$LATEST]abc"; }
            @Override public String getFunctionName() { return "revshare-StripeWebhookFunction"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:revshare-StripeWebhookFunction"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 30_000; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
