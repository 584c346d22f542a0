package dev.revshare.functions.statements;

import dev.revshare.statements.PartyLinks;
import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.signoff.SignOffState;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.revshare.statements.DeliveryReports;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.StatementResend;
import dev.revshare.store.StatementStore.Delivery;
import dev.revshare.store.StatementStore.DeliveryOutcome;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler on the SES events in events/ses, against DynamoDB Local, for a statement sent as their message id. */
class StatementDeliveryFunctionTest {
    private static final String EVENTS = "../../events/ses/";
    /** mail.messageId of the samples: the statement below is sent to the expert under the first, the partner the second */
    private static final String EXPERT_MESSAGE_ID = "0100019a5f3e2b1c-7d4e9a10-3b6f-4c1e-9f2a-5e8d7c6b4a31-000000";
    private static final String PARTNER_MESSAGE_ID = "0100019a5f3e2b1d-8e5fab21-4c7a-4d2f-8a3b-6f9e8d7c5b42-000000";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private DynamoDbStores store;
    private StatementDeliveryFunction function;

    @BeforeEach
    void statementSentAsTheSamplesMessage() {
        store = LocalDynamoDb.newStore();
        store.agreements().put(agreement(), Instant.parse("2026-09-15T00:00:00Z"));
        Instant at = Instant.parse("2026-10-14T16:20:05Z");
        TestLedger.record(store.bookings(), new LedgerLine("sarah-mindfulness", "pi_1", "ch_1", LineType.SALE, 29_700, "usd",
                at, at, at.plusSeconds(1), "course", "cus_1", "evt_1"));
        Clock clock = Clock.fixed(Instant.parse("2026-11-05T06:00:03Z"), ZoneOffset.UTC);
        new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(),
                email -> email.reference().endsWith("-expert") ? EXPERT_MESSAGE_ID : PARTNER_MESSAGE_ID,
                (statement, messageId) -> {}, "statements@revshare.example", clock, MonthlyStatementRun.DEFAULT_GRACE)
                .run(clock.instant(), OCTOBER, null);
        function = new StatementDeliveryFunction(new DeliveryReports(store.statements()));
    }

    @Test
    void deliveryBounceAndComplaintAreNotedOnTheStatementWithTheirRecipientsOnly() {
        for (String sample : List.of("delivered.json", "bounced.json", "complained.json")) {
            assertThat(function.handleRequest(event(sample), null)).containsEntry("noted", "RECORDED");
        }

        StoredStatement stored = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        assertThat(stored.deliveries()).extracting(Delivery::outcome, Delivery::at, Delivery::recipients).containsExactly(
                tuple(DeliveryOutcome.DELIVERED, Instant.parse("2026-11-05T06:00:05.874Z"), List.of("books@dalai.example")),
                tuple(DeliveryOutcome.BOUNCED, Instant.parse("2026-11-05T06:00:06.221Z"), List.of("sarah@example.com")),
                tuple(DeliveryOutcome.COMPLAINED, Instant.parse("2026-11-06T09:14:20Z"), List.of("books@dalai.example")));
        assertThat(stored.deliveries()).extracting(Delivery::messageId)
                .containsExactly(PARTNER_MESSAGE_ID, EXPERT_MESSAGE_ID, PARTNER_MESSAGE_ID);
        assertThat(stored.deliveryState(Side.EXPERT)).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(stored.deliveryState(Side.PARTNER)).isEqualTo(DeliveryOutcome.COMPLAINED);
        assertThat(stored.deliveryState()).isEqualTo(DeliveryOutcome.COMPLAINED);
    }

    @Test
    void aReportDeliveredTwiceIsNotedOnce() {
        function.handleRequest(event("bounced.json"), null);

        assertThat(function.handleRequest(event("bounced.json"), null)).containsEntry("noted", "DUPLICATE");
        StoredStatement stored = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        assertThat(stored.deliveries()).singleElement().extracting(Delivery::outcome).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(stored.deliveryState()).isEqualTo(DeliveryOutcome.BOUNCED);
    }

    @Test
    void aReportOfAMessageNoStatementWentOutAsIsLeftAlone() {
        ScheduledEvent other = event("delivered.json");
        mail(other).put("messageId", "0100019a00000000-someone-elses-mail-000000");

        assertThat(function.handleRequest(other, null)).containsEntry("noted", "UNKNOWN_MESSAGE");
        assertThat(store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow().deliveries()).isEmpty();
    }

    @Test
    void aReportWithoutItsMessageIdIsRefusedNamingTheField() {
        ScheduledEvent broken = event("bounced.json");
        mail(broken).remove("messageId");

        assertThatThrownBy(() -> function.handleRequest(broken, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("detail.mail.messageId is missing from the SES event");
    }

    @Test
    void aResendIsNotedAndItsOwnReportsCountForTheStatementsState() {
        function.handleRequest(event("bounced.json"), null);
        Clock later = Clock.fixed(Instant.parse("2026-11-07T10:00:00Z"), ZoneOffset.UTC);
        new StatementResend(store.agreements(), store.statements(), (agreement, stored, now) -> SignOffState.of(agreement, stored,
                List.of(), List.of(), now).document(agreement, now), email -> "resent-message-1", "statements@revshare.example",
                PartyLinks.NONE, later).resend("sarah-mindfulness", OCTOBER, Side.EXPERT, List.of("sarah.lee@example.org"),
                "ops@revshare.example");
        ScheduledEvent delivered = event("delivered.json");
        mail(delivered).put("messageId", "resent-message-1");
        delivered.setId("c0ffee00-0000-4000-8000-000000000001");

        assertThat(function.handleRequest(delivered, null)).containsEntry("noted", "RECORDED");
        StoredStatement stored = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        assertThat(stored.resends()).singleElement().satisfies(resend -> {
            assertThat(resend.messageId()).isEqualTo("resent-message-1");
            assertThat(resend.to()).containsExactly("sarah.lee@example.org");
            assertThat(resend.by()).isEqualTo("ops@revshare.example");
            assertThat(resend.at()).isEqualTo(Instant.parse("2026-11-07T10:00:00Z"));
        });
        assertThat(stored.latestMessageId(Side.EXPERT)).isEqualTo("resent-message-1");
        assertThat(stored.latestMessageId(Side.PARTNER)).isEqualTo(PARTNER_MESSAGE_ID);
        // the expert's bounce is behind it: the resent message was delivered
        assertThat(stored.deliveryState(Side.EXPERT)).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    /** In Lambda: a JSON log line per report, with the service, and no recipient's address in it. */
    @Test
    void withPowertoolsEachReportIsAJsonLogLineWithoutAddresses() {
        StatementDeliveryFunction logged = new StatementDeliveryFunction(new DeliveryReports(store.statements()),
                PowertoolsTelemetry.fromEnvironment());
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logged.handleRequest(event("bounced.json"), null);
        } finally {
            System.setOut(original);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)))
                .as(output).anySatisfy(line -> {
                    assertThat(line.path("message").asText()).contains(EXPERT_MESSAGE_ID).contains("BOUNCED");
                    assertThat(line.path("service").asText()).isEqualTo("monthly-statements");
                });
        assertThat(output).doesNotContain("sarah@example.com");
    }

    // ---------------------------------------------------------------- helpers

    private static ScheduledEvent event(String file) {
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + file);
        event.setDetail(new HashMap<>(event.getDetail()));
        event.getDetail().put("mail", new HashMap<>(mail(event)));
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mail(ScheduledEvent event) {
        return (Map<String, Object>) event.getDetail().get("mail");
    }

    private static Agreement agreement() {
        return new Agreement("sarah-mindfulness", "Sarah Lee Mindfulness x Dalai Digital",
                new Agreement.Party("Sarah Lee", List.of("sarah@example.com")),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_sarah-mindfulness", "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }
}
