package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaJarProcess;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.RecordedStripeApi;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/stripe-webhook.jar, alone on a class path, wired from the environment as template.yaml
 * wires it: the signing secret comes from SSM (moto), the ledger goes to DynamoDB Local, both reached
 * through the SDK's standard AWS_ENDPOINT_URL settings.
 */
class PackagedWebhookJarIT {
    private static final String SECRET = "whsec_packaged_jar_test";
    private static final String PARAMETER = "/revshare/it/webhook-secret";

    @Test
    void packagedJarVerifiesWithTheSsmSecretAndRecordsOnce() throws Exception {
        MotoServer moto = freshMoto();
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        String table = "packaged-webhook";
        DynamoDbStores store = tableWithTheAgreement(dynamo, table);
        Map<String, String> environment = environment(moto, dynamo, table, Map.of());

        Instant now = Instant.now();
        String body = SampleStripeEvents.chargeSucceeded("evt_jar1", "acct_1JarTest", "ch_jar1", "pi_jar1", 29_700, "usd",
                now.minusSeconds(60), "course", "cus_jar1");
        String signature = SampleStripeEvents.signatureHeader(body, SECRET, now);

        for (int delivery = 0; delivery < 2; delivery++) {
            LambdaJarProcess.Invocation answer = invoke(environment, request(body, signature));
            assertThat(answer.exitCode()).as(answer.log()).isZero();
            assertThat(Json.read(answer.response(), JsonNode.class).path("statusCode").asInt()).as(answer.response()).isEqualTo(200);
            // the shrunk jar still has Log4j's JSON layout with Powertools' keys, and counts the outcome in EMF
            String outcome = delivery == 0 ? "recorded" : "duplicate";
            List<JsonNode> logLines = answer.log().lines().filter(line -> line.startsWith("{"))
                    .map(line -> Json.read(line, JsonNode.class)).toList();
            assertThat(logLines).as(answer.log()).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("webhook 200 " + outcome.toUpperCase(java.util.Locale.ROOT));
                assertThat(line.path("stripe_event_id").asText()).isEqualTo("evt_jar1");
                assertThat(line.path("agreement_id").asText()).isEqualTo("jar-test");
                assertThat(line.path("service").asText()).isEqualTo("stripe-webhook");
            });
            assertThat(logLines).as(answer.log()).anySatisfy(line -> {
                assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
                assertThat(line.path("StripeEvents").asInt()).isEqualTo(1);
                assertThat(line.path("outcome").asText()).isEqualTo(outcome);
            });
            assertThat(answer.log()).doesNotContain("cus_jar1");
        }
        LambdaJarProcess.Invocation tampered = invoke(environment, request(body.replace("29700", "2970000"), signature));
        assertThat(tampered.exitCode()).as(tampered.log()).isZero();
        assertThat(Json.read(tampered.response(), JsonNode.class).path("statusCode").asInt()).isEqualTo(400);

        assertThat(store.ledger().recordedBetween("jar-test", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .singleElement().satisfies(line -> assertThat(line.amount()).isEqualTo(29_700));

        // the same jar's EventBridge handler: the same event through Stripe's event destination counts once,
        // a new one is booked
        String second = SampleStripeEvents.chargeSucceeded("evt_jar2", "acct_1JarTest", "ch_jar2", "pi_jar2", 10_000, "usd",
                now.minusSeconds(30), "course", "cus_jar2");
        for (String detail : List.of(body, second)) {
            LambdaJarProcess.Invocation answer = LambdaJarProcess.invoke(Path.of("target/stripe-webhook.jar"),
                    "dev.revshare.functions.webhook.StripeEventBridgeFunction", eventBridgeEnvelope(detail), environment);
            assertThat(answer.exitCode()).as(answer.log()).isZero();
        }
        assertThat(store.ledger().recordedBetween("jar-test", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .extracting(line -> line.amount()).containsExactlyInAnyOrder(29_700L, 10_000L);
    }

    /**
     * With the platform's API key in SSM, the jar fetches a checkout's line items from Stripe's API (here
     * recorded answers over HTTP) and books each by its category, tax left out.
     */
    @Test
    void packagedJarFetchesWhatTheEventLacksFromStripesApi() throws Exception {
        MotoServer moto = freshMoto();
        moto.clients().ssm().putParameter(b -> b.name("/revshare/it/api-key").type(ParameterType.SECURE_STRING)
                .value("rk_test_jar"));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        String table = "packaged-webhook-lookups";
        DynamoDbStores store = tableWithTheAgreement(dynamo, table);
        Instant now = Instant.now();
        String charge = Json.write(Json.read(SampleStripeEvents.chargeSucceeded("evt_c", "acct_1JarTest", "ch_L", "pi_L",
                55_000, "usd", now.minusSeconds(90), null, "cus_L"), JsonNode.class).path("data").path("object"));
        try (RecordedStripeApi stripeApi = new RecordedStripeApi()) {
            stripeApi.answer("/v1/payment_intents/pi_L?expand[]=latest_charge.balance_transaction",
                    "{\"id\":\"pi_L\",\"object\":\"payment_intent\",\"amount_received\":55000,\"currency\":\"usd\","
                            + "\"metadata\":{},\"latest_charge\":" + charge + "}");
            stripeApi.answer("/v1/checkout/sessions?payment_intent=pi_L&limit=1", "{\"object\":\"list\",\"data\":[]}");
            stripeApi.answer("/v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=pi_L&limit=1",
                    "{\"object\":\"list\",\"data\":[]}");
            stripeApi.answer("/v1/checkout/sessions/cs_L/line_items?limit=100&expand[]=data.price.product", """
                    {"object":"list","has_more":false,"data":[
                     {"id":"li_1","object":"item","amount_total":44000,"amount_tax":4000,"description":"Course",
                      "price":{"id":"price_C","metadata":{"revshare_category":"course"},"product":{"id":"prod_C","metadata":{}}}},
                     {"id":"li_2","object":"item","amount_total":11000,"amount_tax":1000,"description":"Session",
                      "price":{"id":"price_S","metadata":{},"product":{"id":"prod_S","metadata":{"revshare_category":"booking"}}}}]}""");
            Map<String, String> environment = environment(moto, dynamo, table, Map.of(
                    "STRIPE_API_KEY_PARAMETER", "/revshare/it/api-key", "STRIPE_API_BASE", stripeApi.baseUrl()));
            ObjectNode session = Json.mapper().createObjectNode().put("id", "cs_L").put("object", "checkout.session")
                    .put("mode", "payment").put("payment_intent", "pi_L").put("payment_status", "paid")
                    .put("amount_total", 55_000).put("currency", "usd");
            session.putObject("total_details").put("amount_tax", 5_000);
            session.putObject("metadata");
            String body = SampleStripeEvents.event("evt_jar_cs", "checkout.session.completed", "acct_1JarTest",
                    now.minusSeconds(60), session);

            LambdaJarProcess.Invocation answer = invoke(environment, request(body, SampleStripeEvents.signatureHeader(body, SECRET, now)));

            assertThat(answer.exitCode()).as(answer.log()).isZero();
            assertThat(Json.read(answer.response(), JsonNode.class).path("statusCode").asInt()).as(answer.log()).isEqualTo(200);
            assertThat(stripeApi.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.stripeAccount()).isEqualTo("acct_1JarTest"));
        }
        assertThat(store.ledger().recordedBetween("jar-test", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .extracting(line -> line.category() + " " + line.amount())
                .containsExactlyInAnyOrder("course 40000", "booking 10000");
    }

    /**
     * With DynamoDB out of reach, the jar answers 500 so that Stripe delivers again, and logs the failure once
     * as a JSON line with its stack trace: the shrunk jar keeps Log4j's exception resolver.
     */
    @Test
    void packagedJarAnswers500AndLogsTheStoreFailureWithItsStackTrace() throws Exception {
        MotoServer moto = freshMoto();
        Map<String, String> environment = new java.util.HashMap<>(environment(moto, DynamoDbLocalServer.get(), "packaged-webhook-down",
                Map.of()));
        // a port nothing listens on: the connection is refused at once (the SDK retries it twice)
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort);
        Instant now = Instant.now();
        String body = SampleStripeEvents.chargeSucceeded("evt_jar_down", "acct_1JarTest", "ch_down", "pi_down", 5_000, "usd",
                now.minusSeconds(60), "course", "cus_down");

        LambdaJarProcess.Invocation answer = invoke(environment, request(body, SampleStripeEvents.signatureHeader(body, SECRET, now)));

        assertThat(answer.exitCode()).as(answer.log()).isZero();
        assertThat(Json.read(answer.response(), JsonNode.class).path("statusCode").asInt()).as(answer.log()).isEqualTo(500);
        List<JsonNode> errors = answer.log().lines().filter(line -> line.startsWith("{"))
                .map(line -> Json.read(line, JsonNode.class)).filter(line -> line.path("level").asText().equals("ERROR")).toList();
        assertThat(errors).as(answer.log()).singleElement().satisfies(line -> {
            assertThat(line.path("message").asText()).startsWith("store failed while booking event evt_jar_down");
            assertThat(line.path("error").path("name").asText()).isNotEmpty();
            assertThat(line.path("error").path("stack").asText()).contains("\tat ", "dev.revshare.aws.");
            assertThat(line.path("stripe_event_id").asText()).isEqualTo("evt_jar_down");
        });
    }

    /** moto emptied, with the platform endpoint's signing secret in SSM. */
    private static MotoServer freshMoto() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(PARAMETER).type(ParameterType.SECURE_STRING).value(SECRET));
        return moto;
    }

    /** The function's environment as template.yaml sets it, pointed at moto and DynamoDB Local, plus {@code more}. */
    private static Map<String, String> environment(MotoServer moto, DynamoDbLocalServer dynamo, String table,
                                                   Map<String, String> more) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "TABLE_NAME", table, "WEBHOOK_SECRET_PARAMETER", PARAMETER,
                "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString()));
        // what Lambda and template.yaml set for Powertools
        environment.putAll(Map.of("AWS_LAMBDA_FUNCTION_NAME", "revshare-StripeWebhookFunction", "AWS_EMF_ENVIRONMENT", "Lambda",
                "POWERTOOLS_SERVICE_NAME", "stripe-webhook", "POWERTOOLS_METRICS_NAMESPACE", "revshare"));
        environment.putAll(more);
        return environment;
    }

    /** The table, holding the agreement of acct_1JarTest. */
    private static DynamoDbStores tableWithTheAgreement(DynamoDbLocalServer dynamo, String table) {
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        store.agreements().put(new Agreement("jar-test", "Jar Test", new Agreement.Party("E", List.of("e@example.com")),
                new Agreement.Party("P", List.of("p@example.com")), "acct_1JarTest", "usd", ZoneId.of("UTC"),
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null),
                Instant.now());
        return store;
    }

    /** How Stripe's Amazon EventBridge event destination delivers an event: the Stripe event is the detail. */
    private static String eventBridgeEnvelope(String stripeEvent) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", "it-" + stripeEvent.hashCode());
        envelope.put("detail-type", "charge.succeeded");
        envelope.put("source", "aws.partner/stripe.com/ed_test_it");
        envelope.put("account", "123456789012");
        envelope.put("time", "2026-10-14T09:29:58Z");
        envelope.put("region", "us-east-1");
        envelope.putArray("resources");
        envelope.set("detail", Json.read(stripeEvent, JsonNode.class));
        return Json.write(envelope);
    }

    private static LambdaJarProcess.Invocation invoke(Map<String, String> environment, String request) throws Exception {
        return LambdaJarProcess.invoke(Path.of("target/stripe-webhook.jar"),
                "dev.revshare.functions.webhook.StripeWebhookFunction", request, environment);
    }

    /** A Lambda Function URL request (payload format 2.0), as Stripe's POST arrives. */
    private static String request(String body, String signature) {
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("version", "2.0");
        request.put("routeKey", "$default");
        request.put("rawPath", "/stripe");
        request.put("rawQueryString", "");
        request.putObject("headers").put("content-type", "application/json; charset=utf-8").put("stripe-signature", signature);
        request.putObject("requestContext").putObject("http").put("method", "POST").put("path", "/stripe");
        request.put("body", body);
        request.put("isBase64Encoded", false);
        return Json.write(request);
    }
}
