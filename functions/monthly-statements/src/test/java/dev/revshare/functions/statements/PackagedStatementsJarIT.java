package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.page.PageTokens;
import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.store.StatementStore.Delivery;
import dev.revshare.store.StatementStore.DeliveryOutcome;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.LambdaSqsPoller;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.testing.TestLedger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/monthly-statements.jar as `sam build` packages it, started by Lambda's Java runtime interface client
 * under the Runtime Interface Emulator with the handlers and environment template.yaml gives
 * MonthlyStatementsFunction, StatementWorkerFunction and StatementDeliveryFunction: the schedule's "Scheduled Event"
 * from events/ queues the example agreement (moto's SQS), the worker, given the SQS event Lambda would send, closes
 * every month due, the emails go out through SESv2 (moto), each with both parties' page links signed with the page
 * secret from moto's SSM, the first statement carries a settled objection's adjustment, and the events go onto
 * EventBridge (moto); then SES's "Email Delivered" report from events/ is noted on the October statement.
 */
class PackagedStatementsJarIT {
    private static final String SENDER = "statements@revshare.example";
    private static final String TABLE = "rie-statements";
    /** The names a deployment gives the stack's resources, as events/ses/*.json name its configuration set. */
    private static final Map<String, String> RESOURCES = Map.of("RevshareTable", TABLE, "StatementsEventBus", "revshare-statements",
            "StatementsConfigurationSet", "revshare-statements", "SenderEmail", SENDER);
    private static final Path EVENTS = Path.of("../../events");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** The agreement's first month, the first statement the worker closes. */
    private static final YearMonth FIRST_MONTH = YearMonth.of(2025, 11);
    private static final String PAGE_SECRET = "a-page-secret-of-at-least-32-bytes-for-the-jar";
    /** What the worker is given for the party page's Function URL (template.yaml: PAGE_URL). */
    private static final String PAGE_URL = "https://x4kq9w2mzr7tbn5hc3vdy8pfsa6je1gu.lambda-url.us-east-1.on.aws/";

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void theDailyScheduleClosesEveryMonthDueEmailsBothPartiesAndSesReportsAreNoted() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        moto.clients().eventBridge().createEventBus(b -> b.name("revshare-statements"));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName("revshare-statements"));
        moto.clients().ssm().putParameter(b -> b.name(lambda.template().parameterDefault("PageSecretParameterName"))
                .type(ParameterType.SECURE_STRING).value(PAGE_SECRET));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), TABLE);
        store.agreements().put(AgreementFile.parse(Files.readString(Path.of("../../examples/agreements/sarah-mindfulness.yaml")),
                "sarah-mindfulness.yaml"), Instant.parse("2025-10-01T00:00:00Z"));
        // September and October: October's email has a chart of the months
        sale("pi_sep", 9_700, "booking", Instant.parse("2026-09-10T10:00:00Z"), store);
        sale("pi_oct", 29_700, "course", Instant.parse("2026-10-14T16:20:05Z"), store);
        // an objection the parties settled with $10.00 more for the partner: the first statement the worker closes carries it
        Instant settled = Instant.now().minus(Duration.ofDays(1));
        SignOffStore signOffs = DynamoDbStores.signOffsOver(() -> dynamo.clients().dynamoDb(), TABLE);
        Objection objection = new Objection("sarah-mindfulness", FIRST_MONTH, Objection.newId(FIRST_MONTH, Side.PARTNER,
                settled.minusSeconds(3600)), Side.PARTNER, settled.minusSeconds(3600), List.of(), "A sale is missing", null);
        signOffs.object(objection);
        signOffs.resolve("sarah-mindfulness", objection.id(), new Objection.Resolution(1_000, "agreed: $10.00 more", settled, "ops"));
        String queueUrl = moto.clients().sqs().createQueue(b -> b.queueName("rie-statements")).queueUrl();
        Map<String, String> resources = new HashMap<>(RESOURCES);
        resources.put("StatementsQueue", queueUrl);
        // the daily run queues for the reconcile worker, which forwards to the statements queue (PackagedReconcileJarIT):
        // one queue here, so that the statements worker reads what the daily run queued
        resources.put("ReconcileQueue", queueUrl);
        resources.put("PartyPageFunctionUrl.FunctionUrl", PAGE_URL);
        LambdaRuntimeEmulator statements = lambda.start("MonthlyStatementsFunction", resources, LambdaRuntimeEmulator.localAws(moto, dynamo));
        LambdaRuntimeEmulator worker = lambda.start("StatementWorkerFunction", resources, LambdaRuntimeEmulator.localAws(moto, dynamo));
        LambdaSqsPoller poller = new LambdaSqsPoller(moto.clients().sqs(), queueUrl);

        // 2026-11-05T06:00Z: the term's months from November 2025 to October 2026 are all due, none was sent yet
        Answer run = statements.invoke(event("monthly-statements/scheduled.json"));

        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("queued").asInt()).as(run.body()).isOne();
        assertThat(moto.sentRawMessages()).as("the scheduled function sends nothing itself").isEmpty();
        Answer closed = worker.invoke(poller.receiveEvent(10));
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().path("batchItemFailures").size()).as(closed.body()).isZero();
        assertThat(moto.sentRawMessages()).as("twelve statements, a message to each party").hasSize(24);
        List<ReceivedEmail> octobers = moto.sentRawMessages().stream().map(m -> ReceivedEmail.parse(m.raw()))
                .filter(email -> email.subject.contains("October 2026")).toList();
        assertThat(octobers).extracting(email -> email.to).containsExactly(List.of("sarah@example.com"),
                List.of("books@dalai.example"));
        ReceivedEmail october = octobers.get(0);
        assertThat(october.subject).contains("partner share $74.25");
        assertThat(october.text).contains("$297.00", "$74.25", "$222.75");
        assertThat(october.html).contains("cid:chart@revshare");
        assertThat(october.inline.get("chart@revshare")).startsWith(0x89, 'P', 'N', 'G'); // drawn by the jar's AWT
        assertThat(october.attachments).containsOnlyKeys("sarah-mindfulness-2026-10.csv", "sarah-mindfulness-2026-10.json");
        // each party's message carries its own link to its page alone, signed with the page secret from SSM, under the
        // page's Function URL
        PageTokens tokens = new PageTokens(() -> PAGE_SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        for (int i = 0; i < 2; i++) {
            Matcher links = Pattern.compile(Pattern.quote(PAGE_URL) + "p/([A-Za-z0-9_.-]+)").matcher(octobers.get(i).text);
            List<Side> linked = new ArrayList<>();
            while (links.find()) {
                linked.add(tokens.verify(links.group(1)).orElseThrow().side());
            }
            assertThat(linked).as("links in the %s's message", Side.values()[i].word()).containsOnly(Side.values()[i]).isNotEmpty();
        }
        StoredStatement sent = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        Statement first = store.statements().find("sarah-mindfulness", FIRST_MONTH).orElseThrow().statement();
        assertThat(first.lines()).filteredOn(line -> line.type() == LineType.ADJUSTMENT).singleElement()
                .satisfies(line -> assertThat(line.amount()).isEqualTo(1_000));
        assertThat(first.totals().partnerShare()).isEqualTo(1_000);
        assertThat(store.statements().find("sarah-mindfulness", OCTOBER).orElseThrow().statement().lines())
                .noneMatch(line -> line.type() == LineType.ADJUSTMENT);
        assertThat(sent.status().name()).isEqualTo("SENT");
        // the shrunk jar still has Log4j's JSON layout with Powertools' keys, and writes the run's counts in EMF
        List<JsonNode> logLines = jsonLines(worker.output());
        assertThat(logLines).anySatisfy(line -> {
            assertThat(line.path("message").asText()).startsWith("agreement sarah-mindfulness closed through 2026-10");
            assertThat(line.path("agreement_id").asText()).isEqualTo("sarah-mindfulness");
            assertThat(line.path("service").asText()).isEqualTo("statement-worker");
            assertThat(line.path("cold_start").asText()).isEqualTo("true");
        });
        assertThat(logLines).anySatisfy(line -> {
            assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
            assertThat(line.path("StatementsSent").asInt()).isEqualTo(12);
            assertThat(line.path("StatementsFailed").asInt()).isZero();
        });

        // the same warm functions, asked to re-run October: it is queued again, and nothing goes out twice
        poller.settle(List.of());
        Answer rerun = statements.invoke(event("monthly-statements/rerun-period.json"));
        assertThat(rerun.status()).as(rerun.body()).isEqualTo(200);
        assertThat(rerun.json().path("queued").asInt()).as(rerun.body()).isOne();
        Answer again = worker.invoke(poller.receiveEvent(10));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("batchItemFailures").size()).as(again.body()).isZero();
        assertThat(moto.sentRawMessages()).hasSize(24);

        // SES reports the October email delivered (the sample names the message id SES gave it)
        LambdaRuntimeEmulator deliveries = lambda.start("StatementDeliveryFunction", RESOURCES, LambdaRuntimeEmulator.localAws(moto, dynamo));
        ObjectNode delivered = (ObjectNode) Json.read(event("ses/delivered.json"), JsonNode.class);
        ((ObjectNode) delivered.path("detail").path("mail")).put("messageId", sent.latestMessageId(Side.PARTNER));

        Answer noted = deliveries.invoke(Json.write(delivered));

        assertThat(noted.status()).as(noted.body()).isEqualTo(200);
        assertThat(noted.json().path("noted").asText()).as(noted.body()).isEqualTo("RECORDED");
        StoredStatement reported = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        assertThat(reported.deliveries()).singleElement().satisfies(delivery -> {
            assertThat(delivery.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
            assertThat(delivery.recipients()).containsExactly("books@dalai.example");
            assertThat(delivery.at()).isEqualTo(Instant.parse("2026-11-05T06:00:05.874Z"));
        });
        assertThat(reported.deliveries()).extracting(Delivery::messageId).containsOnly(sent.latestMessageId(Side.PARTNER));
        assertThat(reported.deliveryState(Side.PARTNER)).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(reported.deliveryState(Side.EXPERT)).isNull();
    }

    private static void sale(String paymentIntent, long amount, String category, Instant at, DynamoDbStores store) {
        TestLedger.record(store.bookings(), new LedgerLine("sarah-mindfulness", paymentIntent, "ch" + paymentIntent.substring(2),
                LineType.SALE, amount, "usd", at, at, at.plusSeconds(5), category, "cus_1", "evt_" + paymentIntent));
    }

    private static String event(String file) throws IOException {
        return Files.readString(EVENTS.resolve(file));
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }
}
