package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.RunSummary;
import dev.revshare.testing.TestLedger;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler on the Scheduled Events in events/monthly-statements, against DynamoDB Local and moto. */
class MonthlyStatementsFunctionTest {
    private static final String EVENTS = "../../events/monthly-statements/";
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-statements";

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();

    private DynamoDbStores store;

    @BeforeEach
    void freshTableAndEmulator() {
        store = LocalDynamoDb.newStore();
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name(BUS));
        store.agreements().put(agreement("sarah-mindfulness", "sarah@example.com"), Instant.parse("2026-09-15T00:00:00Z"));
        sale("sarah-mindfulness", Instant.parse("2026-10-14T16:20:05Z"));
    }

    @Test
    void scheduledEventClosesTheMonthBeforeItsTimeAndEmailsIt() throws Exception {
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "scheduled.json");

        Map<String, Object> answer = function(Instant.parse("2026-11-05T06:00:03Z")).handleRequest(event, null);

        assertThat(answer.get("summary")).isEqualTo("statements: 1 sent, 0 already sent, 0 skipped, 0 being sent by another run, 0 failed");
        assertThat(results(answer)).extracting(RunSummary.Result::period).containsExactly("2026-10");
        assertThat(moto.sentRawMessages()).extracting(sent -> sent.destinations())
                .containsExactly(List.of("sarah@example.com"), List.of("books@dalai.example"));
        assertThat(moto.sentRawMessages()).allSatisfy(sent -> assertThat(subject(sent.raw()))
                .isEqualTo("Sarah Lee Mindfulness x Dalai Digital: statement for October 2026, partner share $74.25"));
    }

    @Test
    void periodInTheDetailRerunsThatMonthOnly() {
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "rerun-period.json");
        assertThat(event.getDetail()).containsEntry("period", "2026-10");

        // in December, when November has ended too
        Map<String, Object> answer = function(Instant.parse("2026-12-05T10:00:00Z")).handleRequest(event, null);

        assertThat(results(answer)).extracting(RunSummary.Result::period, RunSummary.Result::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-10", RunSummary.Outcome.SENT));
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(store.statements().find("sarah-mindfulness", YearMonth.of(2026, 11))).isEmpty();
    }

    @Test
    void rerunOfAMonthAlreadySentSendsNothing() {
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "rerun-period.json");
        MonthlyStatementsFunction function = function(Instant.parse("2026-11-03T00:00:00Z"));

        function.handleRequest(event, null);
        Map<String, Object> again = function.handleRequest(event, null);

        assertThat(again.get("summary")).isEqualTo("statements: 0 sent, 1 already sent, 0 skipped, 0 being sent by another run, 0 failed");
        assertThat(moto.sentRawMessages()).hasSize(2);
    }

    @Test
    void invalidPeriodIsRefusedWithAClearMessage() {
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "rerun-period.json");
        event.setDetail(Map.of("period", "2026-13"));

        assertThatThrownBy(() -> function(Instant.parse("2026-11-05T06:00:00Z")).handleRequest(event, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("detail.period must be a month as YYYY-MM, was '2026-13'");
        assertThat(moto.sentRawMessages()).isEmpty();
    }

    @Test
    void failedAgreementFailsTheInvocationSoTheSchedulerRetriesAfterTheOthersAreSent() {
        store.agreements().put(agreement("broken-address", "nobody"), Instant.parse("2026-09-15T00:00:00Z"));
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "scheduled.json");

        assertThatThrownBy(() -> function(Instant.parse("2026-11-05T06:00:03Z")).handleRequest(event, null))
                .isInstanceOf(MonthlyStatementsFunction.StatementRunFailedException.class)
                .hasMessageStartingWith("statements: 1 sent, 0 already sent, 0 skipped, 0 being sent by another run, 1 failed")
                .hasMessageContaining("broken-address 2026-10");
        // the broken agreement's partner gets its message; its expert's address is refused
        assertThat(moto.sentRawMessages()).extracting(sent -> sent.destinations().get(0))
                .containsExactly("books@dalai.example", "sarah@example.com", "books@dalai.example");
    }

    /** With Powertools (surefire sets what Lambda and template.yaml set): the run's counts in EMF, JSON lines naming the agreement. */
    @Test
    void runCountsItsStatementsInEmfAndLogsTheFailedAgreementById() {
        store.agreements().put(agreement("broken-address", "nobody"), Instant.parse("2026-09-15T00:00:00Z"));
        ScheduledEvent event = EventLoader.loadScheduledEvent(EVENTS + "scheduled.json");
        MonthlyStatementsFunction function = new MonthlyStatementsFunction(run(Instant.parse("2026-11-05T06:00:03Z")),
                Clock.fixed(Instant.parse("2026-11-05T06:00:03Z"), ZoneOffset.UTC), PowertoolsTelemetry.fromEnvironment());

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> function.handleRequest(event, null))
                    .isInstanceOf(MonthlyStatementsFunction.StatementRunFailedException.class);
        } finally {
            System.setOut(original);
        }

        List<JsonNode> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("{"))
                .map(line -> Json.read(line, JsonNode.class)).toList();
        assertThat(lines).as(captured.toString(StandardCharsets.UTF_8)).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("message").asText()).startsWith("agreement broken-address period 2026-10: statement not sent to the expert");
            assertThat(line.path("agreement_id").asText()).isEqualTo("broken-address");
            assertThat(line.path("service").asText()).isEqualTo("monthly-statements");
        });
        assertThat(lines).filteredOn(line -> line.has("_aws")).singleElement().satisfies(metrics -> {
            assertThat(metrics.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText()).isEqualTo("revshare");
            assertThat(metrics.path("StatementsSent").asInt()).isEqualTo(1);
            assertThat(metrics.path("StatementsFailed").asInt()).isEqualTo(1);
            assertThat(metrics.path("StatementsInProgress").asInt()).isZero();
            // lines per statement sent: sarah's October has its one sale
            assertThat(metrics.path(PowertoolsTelemetry.LINES_METRIC).asInt()).isEqualTo(
                    store.statements().find("sarah-mindfulness", YearMonth.of(2026, 10)).orElseThrow().statement().lines().size())
                    .isEqualTo(1);
            assertThat(metrics.path("Service").asText()).isEqualTo("monthly-statements");
        });
    }

    // ---------------------------------------------------------------- helpers

    private MonthlyStatementsFunction function(Instant now) {
        return new MonthlyStatementsFunction(run(now), Clock.fixed(now, ZoneOffset.UTC));
    }

    private MonthlyStatementRun run(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), new SesStatementMailer(aws.sesV2()),
                new EventBridgeStatementPublisher(aws.eventBridge(), BUS), SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
    }

    private static Agreement agreement(String id, String expertEmail) {
        return new Agreement(id, "Sarah Lee Mindfulness x Dalai Digital",
                new Agreement.Party("Sarah Lee", List.of(expertEmail)),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_" + id, "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }

    private void sale(String agreementId, Instant at) {
        LedgerLine line = new LedgerLine(agreementId, "pi_1", "ch_1", LineType.SALE, 29_700, "usd", at, at,
                at.plusSeconds(1), "course", "cus_1", "evt_1");
        TestLedger.record(store.bookings(), line);
    }

    @SuppressWarnings("unchecked")
    private static List<RunSummary.Result> results(Map<String, Object> answer) {
        return (List<RunSummary.Result>) answer.get("results");
    }

    private static String subject(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)).getSubject();
    }
}
