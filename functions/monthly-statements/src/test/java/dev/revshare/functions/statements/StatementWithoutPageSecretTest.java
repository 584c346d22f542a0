package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.PageWiring;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.statements.BeforeClosing;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.ShareAdjustments;
import dev.revshare.store.StatementStore;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The statements worker on a stack whose page secret is missing from SSM (moto's SSM, read by GetParameter as the
 * function reads it): the statement goes out on time without the parties' page links, one ERROR line says what to do,
 * and the batch's EMF counts it (StatementsSentWithoutPageLink, alarm). SSM that cannot be reached is not "missing":
 * the send fails and the message comes back, as for any store failure.
 */
class StatementWithoutPageSecretTest {
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-statements";
    private static final String PARAMETER = "/revshare/page/secret";
    private static final String PAGE_URL = "https://x4kq9w2mzr7tbn5hc3vdy8pfsa6je1gu.lambda-url.us-east-1.on.aws/";
    private static final Instant CLOSING_DAY = Instant.parse("2026-11-05T06:00:03Z");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();

    private DynamoDbStores store;
    private SettableClock clock;

    @BeforeEach
    void freshTableAndEmulator() {
        store = LocalDynamoDb.newStore();
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name(BUS));
        clock = new SettableClock(CLOSING_DAY);
    }

    @Test
    void withoutAPageSecretTheStatementGoesOutWithoutLinksAndTheMissingSecretIsLoggedAndCounted() {
        agreement("sarah-mindfulness");
        SentWithoutPageLink withoutLinks = new SentWithoutPageLink();
        StatementWorkerFunction worker = new StatementWorkerFunction(run(aws, withoutLinks), PowertoolsTelemetry.fromEnvironment(),
                withoutLinks);

        Closed closed = handle(worker, closingJob("sarah-mindfulness"));

        assertThat(closed.response.getBatchItemFailures()).as(closed.output).isEmpty();
        assertThat(status("sarah-mindfulness")).isEqualTo(StatementStore.Status.SENT);
        assertThat(moto.sentRawMessages()).as("a message to each party").hasSize(2);
        for (MotoServer.SentRawMessage sent : moto.sentRawMessages()) {
            ReceivedEmail email = ReceivedEmail.parse(sent.raw());
            assertThat(email.subject).contains("October 2026");
            assertThat(email.text).contains("$297.00").doesNotContain(PAGE_URL)
                    // the window runs all the same: each party is told until when, and that the link is missing
                    .contains("Sign off this statement by", "This message could not carry the link to your page");
            assertThat(email.html).doesNotContain(PAGE_URL);
        }
        List<JsonNode> errors = closed.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).toList();
        assertThat(errors).as(closed.output).hasSize(2).first().satisfies(line -> {
            assertThat(line.path("message").asText())
                    .startsWith("agreement sarah-mindfulness period 2026-10: the expert's statement email built without its page link")
                    .contains("aws ssm put-parameter --type SecureString --name " + PARAMETER)
                    .contains("serve --links-only --agreement sarah-mindfulness");
            assertThat(line.path("agreement_id").asText()).isEqualTo("sarah-mindfulness");
            assertThat(line.has("error")).as("no stack trace for a known state").isFalse();
        });
        assertThat(closed.metrics()).singleElement().satisfies(metrics -> {
            assertThat(metrics.path(PowertoolsTelemetry.SENT_WITHOUT_PAGE_LINK_METRIC).asInt()).isOne();
            assertThat(metrics.path("StatementsSent").asInt()).isOne();
            assertThat(metrics.path("StatementsFailed").asInt()).isZero();
            assertThat(metrics.path("_aws").path("CloudWatchMetrics").path(0).path("Metrics").findValuesAsText("Name"))
                    .contains(PowertoolsTelemetry.SENT_WITHOUT_PAGE_LINK_METRIC);
        });

        // the secret put: once the worker's five minutes of caching are over, the next email has both links again
        putSecret();
        clock.set(CLOSING_DAY.plus(Duration.ofMinutes(6)));
        agreement("other-mindfulness");
        Closed next = handle(worker, closingJob("other-mindfulness"));

        assertThat(next.response.getBatchItemFailures()).as(next.output).isEmpty();
        assertThat(ReceivedEmail.parse(moto.sentRawMessages().get(2).raw()).text).contains("Sign off this statement", PAGE_URL + "p/");
        assertThat(ReceivedEmail.parse(moto.sentRawMessages().get(3).raw()).text).contains("Sign off this statement", PAGE_URL + "p/");
        assertThat(next.lines()).noneMatch(line -> line.path("level").asText().equals("ERROR"));
        assertThat(next.metrics()).singleElement().satisfies(metrics -> {
            assertThat(metrics.path(PowertoolsTelemetry.SENT_WITHOUT_PAGE_LINK_METRIC).asInt()).isZero();
            assertThat(metrics.path("StatementsSent").asInt()).isOne();
        });
    }

    @Test
    void anSsmThatCannotBeReachedFailsTheSendSoTheMessageComesBackAndItGoesOutWithLinksLater() {
        agreement("sarah-mindfulness");
        putSecret();
        SentWithoutPageLink withoutLinks = new SentWithoutPageLink();
        AwsClients unreachable = AwsClients.forEndpoint(URI.create("http://127.0.0.1:" + closedPort()), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        // only the links read SSM through the unreachable endpoint; the store, SES and EventBridge are there
        StatementWorkerFunction worker = new StatementWorkerFunction(run(unreachable, withoutLinks),
                PowertoolsTelemetry.fromEnvironment(), withoutLinks);
        SQSEvent job = closingJob("sarah-mindfulness");

        Closed failed = handle(worker, job);

        assertThat(failed.response.getBatchItemFailures()).as(failed.output).singleElement()
                .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo(job.getRecords().getFirst().getMessageId()));
        assertThat(moto.sentRawMessages()).isEmpty();
        StatementStore.StoredStatement stored = store.statements().findWithoutLines("sarah-mindfulness", OCTOBER).orElseThrow();
        assertThat(stored.status()).isEqualTo(StatementStore.Status.FAILED);
        assertThat(stored.error()).contains("SSM GetParameter of " + PARAMETER, "could not reach");
        assertThat(failed.metrics()).singleElement().satisfies(metrics -> {
            assertThat(metrics.path("StatementsFailed").asInt()).isOne();
            assertThat(metrics.path(PowertoolsTelemetry.SENT_WITHOUT_PAGE_LINK_METRIC).asInt()).isZero();
        });

        // SQS delivers the message again; SSM answers by then: sent once, with the parties' links
        SentWithoutPageLink reachableWithoutLinks = new SentWithoutPageLink();
        Closed retried = handle(new StatementWorkerFunction(run(aws, reachableWithoutLinks), PowertoolsTelemetry.fromEnvironment(),
                reachableWithoutLinks), job);

        assertThat(retried.response.getBatchItemFailures()).as(retried.output).isEmpty();
        assertThat(status("sarah-mindfulness")).isEqualTo(StatementStore.Status.SENT);
        assertThat(moto.sentRawMessages()).hasSize(2)
                .allSatisfy(sent -> assertThat(ReceivedEmail.parse(sent.raw()).text).contains(PAGE_URL + "p/"));
    }

    // ---------------------------------------------------------------- helpers

    /** The worker's run as productionRun wires it, the links' SSM reached through {@code ssm}. */
    private MonthlyStatementRun run(AwsClients ssm, SentWithoutPageLink withoutLinks) {
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), new SesStatementMailer(aws.sesV2()),
                new EventBridgeStatementPublisher(aws.eventBridge(), BUS), SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE,
                BeforeClosing.NOTHING, PageWiring.statementLinks(ssm, clock, PARAMETER, PAGE_URL, withoutLinks),
                ShareAdjustments.NONE);
    }

    private record Closed(SQSBatchResponse response, String output) {
        List<JsonNode> lines() {
            return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
        }

        List<JsonNode> metrics() {
            return lines().stream().filter(line -> line.has("_aws")).toList();
        }
    }

    private static Closed handle(StatementWorkerFunction worker, SQSEvent event) {
        SQSBatchResponse[] response = new SQSBatchResponse[1];
        String output = capturingStdout(() -> response[0] = worker.handleRequest(event, null));
        return new Closed(response[0], output);
    }

    /** The sample SQS event of events/, its job for {@code agreementId} through October 2026. */
    private static SQSEvent closingJob(String agreementId) {
        SQSEvent event = EventLoader.loadSQSEvent("../../events/statement-worker/closing-job.json");
        event.getRecords().getFirst().setBody("{\"agreementId\":\"" + agreementId + "\",\"through\":\"2026-10\"}");
        return event;
    }

    private void putSecret() {
        aws.ssm().putParameter(b -> b.name(PARAMETER).type(ParameterType.SECURE_STRING)
                .value("a-page-secret-of-at-least-32-bytes-for-the-test").overwrite(true));
    }

    private StatementStore.Status status(String agreementId) {
        return store.statements().findWithoutLines(agreementId, OCTOBER).orElseThrow().status();
    }

    private void agreement(String id) {
        store.agreements().put(new Agreement(id, "Expert " + id + " x Dalai Digital",
                new Agreement.Party("Expert " + id, List.of("expert-" + id + "@example.com")),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_" + id, "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null), Instant.parse("2026-09-15T00:00:00Z"));
        Instant at = Instant.parse("2026-10-14T16:20:05Z");
        TestLedger.record(store.bookings(), new LedgerLine(id, "pi_" + id, "ch_" + id, LineType.SALE, 29_700, "usd", at, at,
                at.plusSeconds(1), "course", "cus_1", "evt_" + id));
    }

    /** A port nothing listens on: a connection to it is refused at once. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String capturingStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
