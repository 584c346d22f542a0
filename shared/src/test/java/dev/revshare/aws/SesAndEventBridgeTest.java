package dev.revshare.aws;

import dev.revshare.store.StatementStore.SentMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.statements.MimeMessageWriter;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.testing.MotoServer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SES and EventBridge adapters against moto's emulators. */
class SesAndEventBridgeTest {
    private static final String SENDER = "statements@revshare.example";
    private static final List<String> RECIPIENTS = List.of("sarah@example.com", "books@acme.example");
    private static final String SUBJECT = "Café Olé × Acme: statement for October 2026, partner share $14.85";

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();
    private static final SesV2Client ses = aws.sesV2();
    private static final EventBridgeClient events = aws.eventBridge();
    private static final SqsClient sqs = moto.sqs();

    @BeforeEach
    void cleanEmulatorWithAVerifiedSender() {
        moto.reset();
        ses.createEmailIdentity(b -> b.emailIdentity(SENDER));
    }

    @Test
    void mailerSendsTheMimeMessageToBothRecipientsWithTextAndHtmlParts() throws Exception {
        String text = "Net revenue: $59.40\nPartner share: $14.85\n";
        String html = "<html><body><p>Net revenue: <b>$59.40</b></p></body></html>";
        byte[] mime = new MimeMessageWriter().write(SENDER, RECIPIENTS, SUBJECT, text, html,
                Instant.parse("2026-11-02T06:00:00Z"));

        String messageId = new SesStatementMailer(ses).send(new OutgoingEmail("sarah-course-2026-10", SENDER, RECIPIENTS, SUBJECT, html, text, mime));

        assertThat(moto.sentRawMessages()).singleElement().satisfies(sent -> {
            assertThat(sent.id()).isEqualTo(messageId);
            assertThat(sent.source()).isEqualTo(SENDER);
            assertThat(sent.destinations()).containsExactlyInAnyOrderElementsOf(RECIPIENTS);

            MimeMessage parsed = parse(sent.raw());
            assertThat(parsed.getSubject()).isEqualTo(SUBJECT);
            assertThat(addresses(parsed.getFrom())).containsExactly(SENDER);
            assertThat(addresses(parsed.getRecipients(Message.RecipientType.TO))).containsExactlyElementsOf(RECIPIENTS);
            MimeMultipart alternative = (MimeMultipart) parsed.getContent();
            assertThat(alternative.getContentType()).startsWith("multipart/alternative");
            assertThat(alternative.getCount()).isEqualTo(2);
            assertThat(alternative.getBodyPart(0).isMimeType("text/plain")).isTrue();
            assertThat(normalise(alternative.getBodyPart(0).getContent())).isEqualTo(text);
            assertThat(alternative.getBodyPart(1).isMimeType("text/html")).isTrue();
            assertThat(normalise(alternative.getBodyPart(1).getContent())).isEqualTo(html);
        });
    }

    @Test
    void unverifiedSenderIsRefusedBySes() {
        String stranger = "someone@unverified.example";
        byte[] mime = new MimeMessageWriter().write(stranger, RECIPIENTS, SUBJECT, "text", "<p>html</p>",
                Instant.parse("2026-11-02T06:00:00Z"));

        assertThatThrownBy(() -> new SesStatementMailer(ses).send(
                new OutgoingEmail("sarah-course-2026-10", stranger, RECIPIENTS, SUBJECT, "<p>html</p>", "text", mime)))
                .isInstanceOf(SesV2Exception.class)
                .hasMessageContaining(stranger);
        assertThat(moto.sentRawMessages()).isEmpty();
    }

    @Test
    void publisherPutsAStatementIssuedEventThatARuleOnTheBusDelivers() {
        String bus = "revshare-statements";
        events.createEventBus(b -> b.name(bus));
        String queueUrl = sqs.createQueue(b -> b.queueName("statement-issued")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(b -> b.name("statements-to-queue").eventBusName(bus).eventPattern("{\"source\":[\"revshare\"]}"));
        events.putTargets(b -> b.rule("statements-to-queue").eventBusName(bus).targets(Target.builder().id("queue").arn(queueArn).build()));

        new EventBridgeStatementPublisher(events, bus).statementIssued(statement(), new SentMessages("msg-42", "msg-43"));

        List<software.amazon.awssdk.services.sqs.model.Message> messages =
                sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).singleElement().satisfies(message -> {
            JsonNode event = Json.read(message.body(), JsonNode.class);
            assertThat(event.path("source").asText()).isEqualTo("revshare");
            assertThat(event.path("detail-type").asText()).isEqualTo("StatementIssued");
            JsonNode detail = event.path("detail");
            assertThat(detail.path("agreementId").asText()).isEqualTo("sarah-course");
            assertThat(detail.path("period").asText()).isEqualTo("2026-10");
            assertThat(detail.path("partnerShare").asLong()).isEqualTo(1_485);
            assertThat(detail.path("netRevenue").asLong()).isEqualTo(5_940);
            assertThat(detail.path("messages").path("expert").asText()).isEqualTo("msg-42");
            assertThat(detail.path("messages").path("partner").asText()).isEqualTo("msg-43");
        });
    }

    private static Statement statement() {
        return new Statement("sarah-course", "Sarah x Acme", YearMonth.of(2026, 10), "usd", false, Instant.parse("2026-11-02T06:00:00Z"),
                new Statement.Totals(5_940, 0, 0, 5_940, 1_485, 4_455, 0, 0, 0, 1_485, 0), List.of(), List.of(), null, List.of());
    }

    private static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    private static List<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    /** MIME bodies travel with CRLF line ends. */
    private static String normalise(Object content) {
        return content.toString().replace("\r\n", "\n");
    }
}
