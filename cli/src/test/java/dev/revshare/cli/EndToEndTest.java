package dev.revshare.cli;

import dev.revshare.time.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.functions.statements.MonthlyStatementsFunction;
import dev.revshare.functions.webhook.StripeWebhookFunction;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.json.Json;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole path on real parts: Stripe deliveries signed the way Stripe signs them go through the
 * webhook handler into DynamoDB Local; the statements handler, invoked with a Scheduled Event read by
 * the Lambda runtime's own serializer, closes October and emails both parties through SESv2 (moto),
 * and the StatementIssued event reaches an SQS queue through an EventBridge rule (moto).
 */
class EndToEndTest {
    private static final String SECRET = "whsec_e2e_test";
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-e2e";
    private static final String ACCOUNT = "acct_1SarahExample";

    private final MotoServer moto = MotoServer.get();
    private final AwsClients aws = moto.clients();
    private DynamoDbStores store;
    private SettableClock clock;
    private StripeWebhookFunction webhook;
    private MonthlyStatementsFunction statements;
    private SqsClient sqs;
    private String queueUrl;

    @BeforeEach
    void setUp() throws Exception {
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name(BUS));
        sqs = moto.sqs();
        queueUrl = sqs.createQueue(b -> b.queueName("statement-issued")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        aws.eventBridge().putRule(b -> b.name("to-queue").eventBusName(BUS).eventPattern("{\"source\":[\"revshare\"]}"));
        aws.eventBridge().putTargets(b -> b.rule("to-queue").eventBusName(BUS).targets(t -> t.id("queue").arn(queueArn)));

        store = LocalDynamoDb.newStore();
        clock = new SettableClock(Instant.parse("2026-09-20T00:00:00Z"));
        // the example agreement, starting this October so that one month is closed
        String yaml = Files.readString(Path.of("../examples/agreements/sarah-mindfulness.yaml"))
                .replace("start: 2025-11-01", "start: 2026-10-01");
        store.agreements().put(AgreementFile.parse(yaml, "sarah-mindfulness.yaml"), clock.instant());
        webhook = new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, clock));
        statements = new MonthlyStatementsFunction(new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(),
                new SesStatementMailer(aws.sesV2()), new EventBridgeStatementPublisher(aws.eventBridge(), BUS), SENDER, clock,
                MonthlyStatementRun.DEFAULT_GRACE), clock);
    }

    @Test
    void signedDeliveriesBecomeOneEmailedStatementAndOneEvent() throws Exception {
        Instant day = Instant.parse("2026-10-05T10:00:00Z");
        String first = sale("1", day, 29_700);
        String second = sale("2", day.plusSeconds(86_400), 29_700);
        String third = sale("3", day.plusSeconds(2 * 86_400), 29_700);
        assertThat(deliver(first, day)).isEqualTo(200);
        for (int retry = 0; retry < 4; retry++) {
            assertThat(deliver(first, day.plusSeconds(60 + retry))).isEqualTo(200); // Stripe redelivers: counted once
        }
        assertThat(deliver(second, day.plusSeconds(86_400))).isEqualTo(200);
        assertThat(deliver(third, day.plusSeconds(2 * 86_400))).isEqualTo(200);
        String tampered = third.replace("29700", "2970000");
        assertThat(deliverSignedThenTampered(third, tampered, day.plusSeconds(3 * 86_400))).isEqualTo(400);
        Instant refundAt = Instant.parse("2026-10-20T09:00:00Z");
        String refund = SampleStripeEvents.chargeRefunded("evt_refund2", ACCOUNT, "ch_e2e2", "pi_e2e2", 29_700, 9_700,
                "usd", day.plusSeconds(86_400), refundAt, "course", "cus_e2e2");
        assertThat(deliver(refund, refundAt)).isEqualTo(200);
        assertThat(deliver(SampleStripeEvents.customerCreated("evt_cus", ACCOUNT, "cus_new", refundAt), refundAt)).isEqualTo(200);

        Instant runAt = Instant.parse("2026-11-05T06:00:00Z");
        clock.set(runAt);
        Map<String, Object> answer = statements.handleRequest(scheduledEvent(runAt), null);
        assertThat(answer.get("summary").toString()).startsWith("statements: 1 sent");

        // net revenue 3 × $297 − $97 refunded = $794.00; partner 25 % = $198.50; expert $595.50
        List<MotoServer.SentRawMessage> sent = moto.sentRawMessages();
        assertThat(sent).as("a message to each party").hasSize(2);
        assertThat(ReceivedEmail.parse(sent.get(1).raw()).to).containsExactly("books@dalai.example");
        MimeMessage email = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(sent.get(0).raw()));
        assertThat(email.getFrom()[0].toString()).isEqualTo(SENDER);
        ReceivedEmail received = ReceivedEmail.parse(sent.get(0).raw());
        assertThat(received.to).containsExactly("sarah@example.com");
        assertThat(received.subject).contains("Sarah Lee Mindfulness x Dalai Digital", "October 2026", "$198.50");
        assertThat(received.attachments).containsOnlyKeys("sarah-mindfulness-2026-10.csv", "sarah-mindfulness-2026-10.json");
        for (String body : List.of(received.text, received.html)) {
            assertThat(body).contains("$891.00", "$97.00", "$794.00", "$595.50", "$198.50", "ch_e2e1", "ch_e2e3");
        }

        List<Message> events = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(events).hasSize(1);
        JsonNode event = Json.read(events.get(0).body(), JsonNode.class);
        assertThat(event.path("detail-type").asText()).isEqualTo("StatementIssued");
        assertThat(event.path("detail").path("agreementId").asText()).isEqualTo("sarah-mindfulness");
        assertThat(event.path("detail").path("period").asText()).isEqualTo("2026-10");
        assertThat(event.path("detail").path("partnerShare").asLong()).isEqualTo(19_850);
        assertThat(event.path("detail").path("netRevenue").asLong()).isEqualTo(79_400);
        assertThat(event.path("detail").path("messages").path("expert").asText()).isEqualTo(sent.get(0).id());
        assertThat(event.path("detail").path("messages").path("partner").asText()).isEqualTo(sent.get(1).id());

        // the schedule retries, or someone re-runs October: nothing is sent twice
        clock.set(runAt.plusSeconds(3_600));
        Map<String, Object> again = statements.handleRequest(scheduledEvent(runAt), null);
        assertThat(again.get("summary").toString()).contains("0 sent, 0 already sent, 0 skipped");
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()).isEmpty();
    }

    private static String sale(String n, Instant at, long amount) {
        return SampleStripeEvents.chargeSucceeded("evt_e2e" + n, ACCOUNT, "ch_e2e" + n, "pi_e2e" + n, amount, "usd", at,
                "course", "cus_e2e" + n);
    }

    private int deliver(String body, Instant at) {
        return deliverSignedThenTampered(body, body, at);
    }

    /** Signs {@code signed} as Stripe would at {@code at}, then sends {@code sent} with that signature. */
    private int deliverSignedThenTampered(String signed, String sent, Instant at) {
        clock.set(at.plusSeconds(5));
        APIGatewayV2HTTPEvent request = new APIGatewayV2HTTPEvent();
        request.setRawPath("/stripe");
        request.setHeaders(Map.of("Stripe-Signature", SampleStripeEvents.signatureHeader(signed, SECRET, at.plusSeconds(2))));
        request.setBody(sent);
        APIGatewayV2HTTPResponse response = webhook.handleRequest(request, null);
        return response.getStatusCode();
    }

    private static ScheduledEvent scheduledEvent(Instant at) {
        String json = """
                {"version": "0", "id": "e2e", "detail-type": "Scheduled Event", "source": "aws.scheduler",
                 "account": "123456789012", "time": "%s", "region": "us-east-1", "resources": [], "detail": {}}
                """.formatted(at);
        return InvokeCommand.deserialize(json, ScheduledEvent.class);
    }
}
