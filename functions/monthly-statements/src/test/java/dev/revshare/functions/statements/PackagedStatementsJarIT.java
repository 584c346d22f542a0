package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.testing.TestLedger;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaJarProcess;
import dev.revshare.testing.LambdaSqsPoller;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * target/monthly-statements.jar, alone on a class path and wired from the environment: a Scheduled Event queues the
 * agreement due (moto's SQS), the worker handler closes it from the SQS event Lambda would send, the email goes out
 * through SESv2 (moto), the event onto EventBridge (moto).
 */
class PackagedStatementsJarIT {
    private static final String SENDER = "statements@revshare.example";

    @Test
    void packagedJarClosesTheMonthAndEmailsBothParties() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        moto.clients().eventBridge().createEventBus(b -> b.name("revshare-it"));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName("revshare-it-statements"));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        String table = "packaged-statements";
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        Instant applied = Instant.parse("2026-08-30T00:00:00Z");
        store.agreements().put(new Agreement("jar-test", "Jar Test", new Agreement.Party("Expert", List.of("expert@example.com")),
                new Agreement.Party("Partner", List.of("partner@example.com")), "acct_1JarTest", "usd", ZoneId.of("UTC"),
                LocalDate.of(2026, 9, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null), applied);
        // September and October: October's email has a chart of the two months
        for (String month : List.of("09", "10")) {
            Instant sale = Instant.parse("2026-" + month + "-10T10:00:00Z");
            TestLedger.record(store.bookings(), new LedgerLine("jar-test", "pi_" + month, "ch_" + month, LineType.SALE, 40_000,
                    "usd", sale, sale, sale.plusSeconds(5), null, "cus_1", "evt_" + month));
        }

        String queueUrl = moto.clients().sqs().createQueue(b -> b.queueName("packaged-statements")).queueUrl();
        String event = """
                {"version": "0", "id": "it", "detail-type": "Scheduled Event", "source": "aws.scheduler",
                 "account": "123456789012", "time": "2026-11-05T06:00:00Z", "region": "us-east-1",
                 "resources": [], "detail": {"period": "2026-10"}}
                """;
        Map<String, String> aws = Map.of("AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
                // what Lambda and template.yaml set for Powertools
                "AWS_EMF_ENVIRONMENT", "Lambda", "POWERTOOLS_METRICS_NAMESPACE", "revshare");
        Map<String, String> scheduled = new HashMap<>(aws);
        scheduled.putAll(Map.of("TABLE_NAME", table, "STATEMENTS_QUEUE_URL", queueUrl,
                "AWS_LAMBDA_FUNCTION_NAME", "revshare-MonthlyStatementsFunction", "POWERTOOLS_SERVICE_NAME", "monthly-statements"));
        LambdaJarProcess.Invocation queued = LambdaJarProcess.invoke(Path.of("target/monthly-statements.jar"),
                "dev.revshare.functions.statements.MonthlyStatementsFunction", event, scheduled);

        assertThat(queued.exitCode()).as(queued.log()).isZero();
        assertThat(Json.read(queued.response(), JsonNode.class).path("queued").asInt()).as(queued.response()).isOne();
        assertThat(moto.sentRawMessages()).as("the scheduled function sends nothing itself").isEmpty();

        LambdaSqsPoller poller = new LambdaSqsPoller(moto.clients().sqs(), queueUrl);
        Map<String, String> worker = new HashMap<>(aws);
        worker.putAll(Map.of("TABLE_NAME", table, "EVENT_BUS_NAME", "revshare-it", "STATEMENT_SENDER", SENDER,
                "SES_CONFIGURATION_SET", "revshare-it-statements", "STATEMENT_SEND_RATE", "10", "STATEMENT_WORKERS", "5",
                "AWS_LAMBDA_FUNCTION_NAME", "revshare-StatementWorkerFunction", "POWERTOOLS_SERVICE_NAME", "statement-worker"));
        LambdaJarProcess.Invocation answer = LambdaJarProcess.invoke(Path.of("target/monthly-statements.jar"),
                "dev.revshare.functions.statements.StatementWorkerFunction", poller.receiveEvent(10), worker);

        assertThat(answer.exitCode()).as(answer.log()).isZero();
        assertThat(Json.read(answer.response(), JsonNode.class).path("batchItemFailures").size()).as(answer.response()).isZero();
        // the shrunk jar still has Log4j's JSON layout with Powertools' keys, and writes the run's counts in EMF
        List<JsonNode> logLines = answer.log().lines().filter(line -> line.startsWith("{"))
                .map(line -> Json.read(line, JsonNode.class)).toList();
        assertThat(logLines).as(answer.log()).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("agreement jar-test closed through 2026-10 (delivery 1): "
                    + "2026-09 sent, 2026-10 sent");
            assertThat(line.path("agreement_id").asText()).isEqualTo("jar-test");
            assertThat(line.path("service").asText()).isEqualTo("statement-worker");
            assertThat(line.path("cold_start").asText()).isEqualTo("true");
        });
        assertThat(logLines).as(answer.log()).anySatisfy(line -> {
            assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
            assertThat(line.path("StatementsSent").asInt()).isEqualTo(2);
            assertThat(line.path("StatementsFailed").asInt()).isZero();
            assertThat(line.path("Service").asText()).isEqualTo("statement-worker");
        });
        assertThat(moto.sentRawMessages()).hasSize(2);
        ReceivedEmail october = ReceivedEmail.parse(moto.sentRawMessages().get(1).raw());
        assertThat(october.to).containsExactlyInAnyOrder("expert@example.com", "partner@example.com");
        assertThat(october.text).contains("$400.00", "$100.00", "$300.00");
        assertThat(october.html).contains("cid:chart@revshare");
        assertThat(october.inline.get("chart@revshare")).startsWith(0x89, 'P', 'N', 'G'); // drawn by the jar's AWT
        assertThat(october.attachments).containsOnlyKeys("jar-test-2026-10.csv", "jar-test-2026-10.json");
        assertThat(store.statements().find("jar-test", YearMonth.of(2026, 10)))
                .hasValueSatisfying(s -> assertThat(s.status().name()).isEqualTo("SENT"));
    }
}
