package dev.revshare.functions.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.page.PageTokens;
import dev.revshare.signoff.Acknowledgement;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/party-page.jar as `sam build` packages it for PartyPageFunction, under Lambda's Java runtime interface client
 * and the Runtime Interface Emulator, with the handler and environment template.yaml gives it: the Function URL's GET
 * of events/party-page/get-page.json (its link signed now), the page secret from SSM (moto) under the template's default
 * PageSecretParameterName, read by GetParameter alone, the table in DynamoDB Local, an objection's email through moto's
 * SES. Proves the handler name, the runtime's reading of the Function URL event and writing of the answer, and that the
 * shrunk jar keeps what the page (its template, its headers), the signature check and the objection email need.
 */
class PackagedPartyPageJarIT {
    private static final String SECRET = "revshare-local-test-page-secret-0123456789";
    private static final String SENDER = "statements@revshare.example";
    private static final String TABLE = "rie-party-page";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void aSignedLinkOpensThePageATamperedOneIsRefusedAndASignOffIsStoredAndEmailed() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(lambda.template().parameterDefault("PageSecretParameterName"))
                .type(ParameterType.SECURE_STRING).value(SECRET));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName("revshare-statements"));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), TABLE);
        SignOffStore signOffs = DynamoDbStores.signOffsOver(() -> dynamo.clients().dynamoDb(), TABLE);
        store.agreements().put(AgreementFile.parse(Files.readString(Path.of("../../examples/agreements/sarah-mindfulness.yaml")),
                "sarah-mindfulness.yaml"), Instant.parse("2025-10-01T00:00:00Z"));
        // issued and sent yesterday: open for sign-off
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        store.statements().create(new Statement("sarah-mindfulness", "Sarah Lee Mindfulness x Dalai Digital", OCTOBER, "usd",
                false, yesterday, new Statement.Totals(500_000, 0, 0, 500_000, 125_000, 375_000, 0, 0, 0, 125_000, 0),
                List.of(), List.of(), null, List.of()));
        store.statements().claimForSending("sarah-mindfulness", OCTOBER, "claim-1", yesterday, Duration.ofMinutes(15));
        store.statements().markPartySent("sarah-mindfulness", OCTOBER, "claim-1", Side.EXPERT, "message-1");
        store.statements().markPartySent("sarah-mindfulness", OCTOBER, "claim-1", Side.PARTNER, "message-2");
        store.statements().markSent("sarah-mindfulness", OCTOBER, "claim-1", yesterday.plusSeconds(2));
        LambdaRuntimeEmulator page = lambda.start("PartyPageFunction", Map.of("RevshareTable", TABLE,
                "StatementsConfigurationSet", "revshare-statements", "SenderEmail", SENDER), LambdaRuntimeEmulator.localAws(moto, dynamo));
        PageTokens tokens = new PageTokens(() -> SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        String expert = tokens.sign("sarah-mindfulness", Side.EXPERT, Instant.now().minusSeconds(60), Duration.ofDays(90),
                "sarah-mindfulness-2026-10");
        String partner = tokens.sign("sarah-mindfulness", Side.PARTNER, Instant.now().minusSeconds(60), Duration.ofDays(90),
                "sarah-mindfulness-2026-10");

        JsonNode shown = answer(page.invoke(get("/p/" + expert)));
        assertThat(shown.path("statusCode").asInt()).as(shown.toString()).isEqualTo(200);
        assertThat(shown.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(shown.path("headers").path("Content-Type").asText()).isEqualTo("text/html; charset=utf-8");
        assertSecurityHeaders(shown);
        assertThat(shown.path("body").asText()).contains("The page of Sarah Lee (expert)", "Statement for October 2026",
                "Open for sign-off until");

        String tamperedToken = expert.substring(0, expert.length() - 1) + (expert.endsWith("A") ? "B" : "A");
        JsonNode tampered = answer(page.invoke(get("/p/" + tamperedToken)));
        assertThat(tampered.path("statusCode").asInt()).isEqualTo(403);
        assertThat(tampered.path("body").asText()).doesNotContain("Sarah", "October");
        assertSecurityHeaders(tampered);
        // the good link's request was counted in the table, for the whole stack; the tampered one was not counted
        assertThat(dynamo.clients().dynamoDb().scan(b -> b.tableName(TABLE)).items())
                .filteredOn(item -> item.get("pk").s().startsWith("RATE#"))
                .singleElement().satisfies(count -> assertThat(count.get("hits").n()).isEqualTo("1"));

        JsonNode acknowledged = answer(page.invoke(post("/p/" + expert + "/statements/2026-10/acknowledge",
                "csrf=" + tokens.formToken(expert))));
        assertThat(acknowledged.path("statusCode").asInt()).as(acknowledged.toString()).isEqualTo(303);
        assertThat(acknowledged.path("headers").path("Location").asText())
                .isEqualTo("/p/" + expert + "?done=acknowledged&month=2026-10#s-2026-10");
        assertThat(signOffs.acknowledgements("sarah-mindfulness", OCTOBER)).extracting(Acknowledgement::side)
                .containsExactly(Side.EXPERT);

        JsonNode objected = answer(page.invoke(post("/p/" + partner + "/statements/2026-10/object",
                "csrf=" + tokens.formToken(partner) + "&reason=The+October+course+sales+are+missing")));
        assertThat(objected.path("statusCode").asInt()).as(objected.toString()).isEqualTo(303);
        assertThat(signOffs.objections("sarah-mindfulness")).singleElement().satisfies(objection -> {
            assertThat(objection.side()).isEqualTo(Side.PARTNER);
            assertThat(objection.reason()).isEqualTo("The October course sales are missing");
        });
        assertThat(moto.sentRawMessages()).singleElement().satisfies(message -> {
            assertThat(message.destinations()).contains("sarah@example.com");
            assertThat(ReceivedEmail.parse(message.raw()).text).contains("The October course sales are missing");
        });

        // Powertools' JSON lines, and never the link (the key to a party's page) in the log
        List<JsonNode> lines = page.output().lines().filter(line -> line.startsWith("{"))
                .map(line -> Json.read(line, JsonNode.class)).toList();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("message").asText()).isEqualTo("party page GET 200");
            assertThat(line.path("service").asText()).isEqualTo("party-page");
        });
        assertThat(page.output()).doesNotContain(expert.substring(0, expert.indexOf('.')), partner.substring(0, partner.indexOf('.')),
                SECRET);
    }

    private static JsonNode answer(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** events/party-page/get-page.json, for this path. */
    private static String get(String path) throws Exception {
        return Json.write(event(path));
    }

    /** A form the page posts to itself, base64-encoded as Function URLs pass forms. */
    private static String post(String path, String form) throws Exception {
        ObjectNode event = event(path);
        ((ObjectNode) event.path("requestContext").path("http")).put("method", "POST");
        ObjectNode headers = (ObjectNode) event.path("headers");
        headers.put("content-type", "application/x-www-form-urlencoded");
        headers.put("origin", "https://" + headers.path("host").asText());
        headers.put("sec-fetch-site", "same-origin");
        event.put("body", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);
        return Json.write(event);
    }

    private static ObjectNode event(String path) throws Exception {
        ObjectNode event = (ObjectNode) Json.read(Files.readString(Path.of("../../events/party-page/get-page.json")), JsonNode.class);
        event.put("rawPath", path);
        ((ObjectNode) event.path("requestContext").path("http")).put("path", path);
        return event;
    }

    private static void assertSecurityHeaders(JsonNode answer) {
        JsonNode headers = answer.path("headers");
        assertThat(headers.path("Content-Security-Policy").asText()).startsWith("default-src 'none'; style-src 'sha256-")
                .contains("form-action 'self'", "frame-ancestors 'none'");
        assertThat(headers.path("Referrer-Policy").asText()).isEqualTo("same-origin");
        assertThat(headers.path("Cache-Control").asText()).isEqualTo("no-store");
        assertThat(headers.path("X-Frame-Options").asText()).isEqualTo("DENY");
    }
}
