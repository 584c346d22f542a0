package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.RecordedStripeApi;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/stripe-webhook.jar as `sam build` packages it (the function's own Makefile rule), started by Lambda's
 * Java runtime interface client under the Runtime Interface Emulator with the handler and the environment
 * template.yaml gives each function, and sent the events/ payloads through the emulator's invoke API. This
 * proves, on the jar that ships: the handler names in the template, the runtime's own deserialisation of a
 * Function URL request and of an EventBridge event, and that the shrink rules kept what the handlers reach.
 * The signing secret comes from SSM (moto) under the template's default parameter name, the ledger goes to
 * DynamoDB Local, both through the SDK's standard AWS_ENDPOINT_URL settings.
 */
class PackagedWebhookJarIT {
    private static final String SECRET = "whsec_packaged_jar_test";
    private static final Path EVENTS = Path.of("../../events");

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void signedDeliveriesAreRecordedOnceATamperedBodyIsRefusedAndEventBridgeCountsOnce() throws Exception {
        MotoServer moto = motoWithTheSigningSecret();
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), "rie-webhook");
        Agreement sarah = AgreementFile.parse(Files.readString(Path.of("../../examples/agreements/sarah-mindfulness.yaml")),
                "sarah-mindfulness.yaml");
        store.agreements().put(sarah, Instant.now());
        LambdaRuntimeEmulator webhook = lambda.start("StripeWebhookFunction", Map.of("RevshareTable", "rie-webhook"),
                LambdaRuntimeEmulator.localAws(moto, dynamo));

        String charge = signedNow(event("stripe-webhook/charge-succeeded.json"));
        assertThat(outcome(webhook.invoke(charge), 200)).isEqualTo("recorded");
        assertThat(outcome(webhook.invoke(charge), 200)).isEqualTo("duplicate");
        // another event of the same payment
        assertThat(outcome(webhook.invoke(signedNow(event("stripe-webhook/payment-intent-succeeded.json"))), 200))
                .isEqualTo("duplicate");
        // the body changed after Stripe signed it
        ObjectNode tampered = (ObjectNode) Json.read(charge, JsonNode.class);
        tampered.put("body", tampered.path("body").asText().replace("29700", "2970000"));
        assertThat(outcome(webhook.invoke(Json.write(tampered)), 400)).isEqualTo("rejected");

        assertThat(store.ledger().recordedBetween("sarah-mindfulness", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .singleElement().satisfies(line -> {
                    assertThat(line.type()).isEqualTo(LineType.SALE);
                    assertThat(line.amount()).isEqualTo(29_700);
                    assertThat(line.category()).isEqualTo("course");
                });
        // the shrunk jar still has Log4j's JSON layout with Powertools' keys, counts each outcome in EMF, and never
        // logs the customer
        List<JsonNode> logLines = jsonLines(webhook.output());
        for (String outcome : List.of("recorded", "duplicate", "rejected")) {
            assertThat(logLines).as(outcome).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("webhook ").contains(" " + outcome.toUpperCase(Locale.ROOT));
                assertThat(line.path("service").asText()).isEqualTo("stripe-webhook");
                assertThat(line.path("function_name").asText()).isEqualTo("revshare-StripeWebhookFunction");
            });
            assertThat(logLines).as(outcome).anySatisfy(line -> {
                assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
                assertThat(line.path("StripeEvents").asInt()).isEqualTo(1);
                assertThat(line.path("outcome").asText()).isEqualTo(outcome);
            });
        }
        assertThat(logLines).anySatisfy(line -> {
            assertThat(line.path("stripe_event_id").asText()).isEqualTo("evt_3SarahCharge00001");
            assertThat(line.path("agreement_id").asText()).isEqualTo("sarah-mindfulness");
        });
        assertThat(webhook.output()).doesNotContain("cus_SarahStudent0001");
        // the cold start's warm-up thread (WarmUp) ran in the shrunk jar without a hitch
        assertThat(webhook.output()).doesNotContain("warming up failed");

        // the same jar's EventBridge handler: the charge as Stripe's event destination delivers it counts once,
        // a new payment through it is booked
        LambdaRuntimeEmulator eventBridge = lambda.start("StripeEventBridgeFunction", Map.of("RevshareTable", "rie-webhook"),
                LambdaRuntimeEmulator.localAws(moto, dynamo));
        String sameCharge = event("stripe-eventbridge/charge-succeeded.json");
        String newPayment = sameCharge.replace("3SarahCharge00001", "3SarahCharge00002").replace("29700", "9700");
        assertThat(eventBridge.invoke(sameCharge).json().path("outcome").asText()).isEqualTo("duplicate");
        assertThat(eventBridge.invoke(newPayment).json().path("outcome").asText()).isEqualTo("recorded");
        assertThat(store.ledger().recordedBetween("sarah-mindfulness", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .extracting(LedgerLine::amount).containsExactlyInAnyOrder(29_700L, 9_700L);
    }

    /**
     * With the platform's API key in SSM (the template's default parameter name), the jar fetches a checkout's
     * line items from Stripe's API (here recorded answers over HTTP) and books each by its category, tax left out.
     */
    @Test
    void packagedJarFetchesWhatTheEventLacksFromStripesApi() throws Exception {
        MotoServer moto = motoWithTheSigningSecret();
        moto.clients().ssm().putParameter(b -> b.name(parameterDefault("StripeApiKeyParameterName"))
                .type(ParameterType.SECURE_STRING).value("rk_test_jar"));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), "rie-webhook-lookups");
        store.agreements().put(new Agreement("jar-test", "Jar Test", new Agreement.Party("E", List.of("e@example.com")),
                new Agreement.Party("P", List.of("p@example.com")), "acct_1JarTest", "usd", ZoneId.of("UTC"),
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null),
                Instant.now());
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
            Map<String, String> local = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, dynamo));
            local.put("STRIPE_API_BASE", stripeApi.baseUrl());
            LambdaRuntimeEmulator webhook = lambda.start("StripeWebhookFunction", Map.of("RevshareTable", "rie-webhook-lookups"), local);
            ObjectNode session = Json.mapper().createObjectNode().put("id", "cs_L").put("object", "checkout.session")
                    .put("mode", "payment").put("payment_intent", "pi_L").put("payment_status", "paid")
                    .put("amount_total", 55_000).put("currency", "usd");
            session.putObject("total_details").put("amount_tax", 5_000);
            session.putObject("metadata");
            String body = SampleStripeEvents.event("evt_jar_cs", "checkout.session.completed", "acct_1JarTest",
                    now.minusSeconds(60), session);

            assertThat(outcome(webhook.invoke(functionUrlRequest(body, SampleStripeEvents.signatureHeader(body, SECRET, now))), 200))
                    .isEqualTo("recorded");
            assertThat(stripeApi.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.stripeAccount()).isEqualTo("acct_1JarTest"));
        }
        assertThat(store.ledger().recordedBetween("jar-test", Instant.EPOCH, Instant.now().plusSeconds(60)))
                .extracting(line -> line.category() + " " + line.amount())
                .containsExactlyInAnyOrder("course 40000", "booking 10000");
    }

    /**
     * With DynamoDB out of reach, the jar answers 500 so that Stripe delivers again, and logs the failure once as
     * a JSON line with its stack trace: the shrunk jar keeps Log4j's exception resolver.
     */
    @Test
    void aStoreOutOfReachIsAnswered500AndLoggedOnceWithItsStackTrace() throws Exception {
        MotoServer moto = motoWithTheSigningSecret();
        Map<String, String> local = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, DynamoDbLocalServer.get()));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // a port nothing listens on: the connection is refused at once (the SDK retries it twice)
        local.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort);
        LambdaRuntimeEmulator webhook = lambda.start("StripeWebhookFunction", Map.of("RevshareTable", "rie-webhook-down"), local);
        Instant now = Instant.now();
        String body = SampleStripeEvents.chargeSucceeded("evt_jar_down", "acct_1JarTest", "ch_down", "pi_down", 5_000, "usd",
                now.minusSeconds(60), "course", "cus_down");

        assertThat(outcome(webhook.invoke(functionUrlRequest(body, SampleStripeEvents.signatureHeader(body, SECRET, now))), 500))
                .isEqualTo("store_failed");
        List<JsonNode> errors = jsonLines(webhook.output()).stream()
                .filter(line -> line.path("level").asText().equals("ERROR")).toList();
        assertThat(errors).as(webhook.output()).singleElement().satisfies(line -> {
            assertThat(line.path("message").asText()).startsWith("store failed while booking event evt_jar_down");
            assertThat(line.path("error").path("name").asText()).isNotEmpty();
            assertThat(line.path("error").path("stack").asText()).contains("\tat ", "dev.revshare.aws.");
            assertThat(line.path("stripe_event_id").asText()).isEqualTo("evt_jar_down");
        });
    }

    /** moto emptied, with the platform endpoint's signing secret in SSM where the template's default names it. */
    private MotoServer motoWithTheSigningSecret() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(parameterDefault("WebhookSecretParameterName"))
                .type(ParameterType.SECURE_STRING).value(SECRET));
        return moto;
    }

    private String parameterDefault(String parameter) {
        return lambda.template().parameterDefault(parameter);
    }

    /** Checks the invoke API's and the function's HTTP status; the outcome in the function's answer. */
    private static String outcome(Answer answer, int expectedStatus) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode response = answer.json();
        assertThat(response.path("statusCode").asInt()).as(answer.body()).isEqualTo(expectedStatus);
        return Json.read(response.path("body").asText(), JsonNode.class).path("outcome").asText();
    }

    /** An events/ Function URL request with its body signed now, as Stripe signs a delivery. */
    private static String signedNow(String request) {
        ObjectNode node = (ObjectNode) Json.read(request, JsonNode.class);
        ((ObjectNode) node.path("headers")).put("stripe-signature",
                SampleStripeEvents.signatureHeader(node.path("body").asText(), SECRET, Instant.now()));
        return Json.write(node);
    }

    private static String event(String file) throws IOException {
        return Files.readString(EVENTS.resolve(file));
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }

    /** A Lambda Function URL request (payload format 2.0), as Stripe's POST arrives. */
    private static String functionUrlRequest(String body, String signature) {
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
