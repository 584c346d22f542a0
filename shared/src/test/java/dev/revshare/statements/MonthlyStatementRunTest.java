package dev.revshare.statements;

import dev.revshare.store.StatementStore.SentMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import dev.revshare.testing.TestLedger;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.time.SettableClock;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The monthly run against DynamoDB Local, SES and EventBridge (moto), with a clock the test moves. */
class MonthlyStatementRunTest {
    private static final String SENDER = "statements@revshare.example";
    private static final String BUS = "revshare-statements";
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();
    private static final EventBridgeClient events = aws.eventBridge();
    private static final SqsClient sqs = moto.sqs();

    /** The daily schedule's run at 06:00 UTC on November 5: October ended, plus three days' grace, in every zone. */
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-05T06:00:00Z"));
    private DynamoDbStores store;
    private String table;
    private MonthlyStatementRun run;
    private String queueUrl;

    @BeforeEach
    void freshTableAndEmulator() {
        table = LocalDynamoDb.newTable();
        store = DynamoDbStores.over(LocalDynamoDb.client(), table);
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        events.createEventBus(b -> b.name(BUS));
        queueUrl = sqs.createQueue(b -> b.queueName("statement-issued")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(b -> b.name("all-statements").eventBusName(BUS).eventPattern("{\"source\":[\"revshare\"]}"));
        events.putTargets(b -> b.rule("all-statements").eventBusName(BUS).targets(Target.builder().id("queue").arn(queueArn).build()));
        run = runWith(new SesStatementMailer(aws.sesV2()));
    }

    private MonthlyStatementRun runWith(StatementMailer mailer) {
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), mailer, new EventBridgeStatementPublisher(events, BUS), SENDER, clock,
                MonthlyStatementRun.DEFAULT_GRACE);
    }

    @Test
    void runClosesTheLastMonthWhoseEndPlusTheGracePeriodHasPassedInTheAgreementsTimeZone() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 9, 1), "sarah@example.com"), Instant.parse("2026-08-20T00:00:00Z"));
        // 23:00 on September 30 in Los Angeles is already October 1 in UTC: the sale is September's
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-01T06:00:00Z"));

        clock.set(Instant.parse("2026-11-04T06:59:00Z")); // 23:59 on November 3 in Los Angeles: October's grace runs
        RunSummary first = run.run(clock.instant(), null, null);
        clock.set(Instant.parse("2026-11-04T07:00:00Z")); // midnight there: October ended three days ago
        RunSummary second = run.run(clock.instant(), null, null);

        assertThat(first.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-09", Outcome.SENT));
        assertThat(second.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-10", Outcome.SENT));
        assertThat(sentSubjects()).containsExactly(
                "Sarah x Acme: statement for September 2026, partner share $74.25",
                "Sarah x Acme: statement for October 2026, partner share $0.00");
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 9)).orElseThrow().statement().totals().netRevenue()).isEqualTo(29_700);
    }

    @Test
    void runningTwiceSendsOneEmailAndOneEvent() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));

        RunSummary first = run.run(clock.instant(), null, null);
        RunSummary second = run.run(clock.instant(), null, null);

        assertThat(first.results()).extracting(Result::outcome).containsExactly(Outcome.SENT);
        // the second run finds nothing due: the month went out and was announced
        assertThat(second.results()).isEmpty();
        // one message to each party, each to that party's addresses alone
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(moto.sentRawMessages().get(0).destinations()).containsExactly("sarah@example.com");
        assertThat(moto.sentRawMessages().get(1).destinations()).containsExactly("books@acme.example");
        String expertMessage = moto.sentRawMessages().get(0).id();
        String partnerMessage = moto.sentRawMessages().get(1).id();
        assertThat(issuedEvents()).singleElement().satisfies(detail -> {
            assertThat(detail.path("agreementId").asText()).isEqualTo("sarah-course");
            assertThat(detail.path("period").asText()).isEqualTo("2026-10");
            assertThat(detail.path("partnerShare").asLong()).isEqualTo(7_425);
            assertThat(detail.path("messages").path("expert").asText()).isEqualTo(expertMessage);
            assertThat(detail.path("messages").path("partner").asText()).isEqualTo(partnerMessage);
        });
        StoredStatement stored = store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.SENT);
        assertThat(stored.messages()).isEqualTo(new SentMessages(expertMessage, partnerMessage));
    }

    @Test
    void storedButUnsentStatementIsSentAsStoredWithoutRecomputation() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        // figures no ledger could give (the ledger is empty): sending them proves nothing was recomputed
        Statement stored = new Statement("sarah-course", "Sarah x Acme", YearMonth.of(2026, 10), "usd", false,
                Instant.parse("2026-11-02T05:59:00Z"), new Statement.Totals(49_380, 0, 0, 49_380, 12_345, 37_035, 0, 0, 0, 12_345, 0),
                List.of(new Statement.YearSummary(1, new BigDecimal("0.25"), null, 12_345, false, new BigDecimal("12345"))),
                List.of(), null, List.of());
        assertThat(store.statements().create(stored)).isTrue();

        RunSummary summary = run.run(clock.instant(), null, null);

        assertThat(summary.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-10", Outcome.SENT));
        assertThat(sentSubjects()).containsExactly("Sarah x Acme: statement for October 2026, partner share $123.45");
        StoredStatement after = store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(after.status()).isEqualTo(Status.SENT);
        assertThat(after.statement()).isEqualTo(stored);
    }

    @Test
    void missedMonthsAreCaughtUpInOrder() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 6, 1), "sarah@example.com"), Instant.parse("2026-05-20T00:00:00Z"));
        sale("sarah-course", "pi_june", 10_000, Instant.parse("2026-06-15T18:00:00Z"));
        sale("sarah-course", "pi_august", 20_000, Instant.parse("2026-08-15T18:00:00Z"));

        RunSummary summary = run.run(clock.instant(), null, null);

        assertThat(summary.results()).extracting(Result::period, Result::outcome).containsExactly(
                tuple("2026-06", Outcome.SENT), tuple("2026-07", Outcome.SENT), tuple("2026-08", Outcome.SENT),
                tuple("2026-09", Outcome.SENT), tuple("2026-10", Outcome.SENT));
        assertThat(sentSubjects()).extracting(s -> s.replaceAll(".*statement for (\\w+ \\d+).*", "$1"))
                .containsExactly("June 2026", "July 2026", "August 2026", "September 2026", "October 2026");
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 6)).orElseThrow().statement().totals().partnerShare()).isEqualTo(2_500);
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 8)).orElseThrow().statement().totals().partnerShare()).isEqualTo(5_000);
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow().statement().years())
                .singleElement().satisfies(year -> assertThat(year.entitlementToDate()).isEqualTo(7_500));
    }

    @Test
    void aMonthWhoseSendFailsDoesNotHoldUpTheNextTwoAndGoesOutOnALaterRunOnceFixedEachEmailedOnce() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 9, 1), "sarah@example.com"), Instant.parse("2026-08-20T00:00:00Z"));
        sale("sarah-course", "pi_sep", 10_000, Instant.parse("2026-09-15T18:00:00Z"));
        sale("sarah-course", "pi_oct", 20_000, Instant.parse("2026-10-15T18:00:00Z"));
        sale("sarah-course", "pi_nov", 40_000, Instant.parse("2026-11-15T18:00:00Z"));
        // SES refusing one particular message cannot be provoked in the emulator: this mailer refuses September's
        SesStatementMailer ses = new SesStatementMailer(aws.sesV2());
        java.util.concurrent.atomic.AtomicBoolean septemberRefused = new java.util.concurrent.atomic.AtomicBoolean(true);
        MonthlyStatementRun flaky = runWith(email -> {
            if (septemberRefused.get() && email.reference().contains("-2026-09-")) { // both parties' messages
                throw new IllegalStateException("SES refused the message");
            }
            return ses.send(email);
        });

        clock.set(Instant.parse("2026-12-05T06:00:00Z"));
        RunSummary december5 = flaky.run(clock.instant(), null, null);
        clock.set(Instant.parse("2026-12-06T06:00:00Z"));
        RunSummary december6 = flaky.run(clock.instant(), null, null);
        septemberRefused.set(false);
        clock.set(Instant.parse("2026-12-07T06:00:00Z"));
        RunSummary december7 = flaky.run(clock.instant(), null, null);
        clock.set(Instant.parse("2026-12-08T06:00:00Z"));
        RunSummary december8 = flaky.run(clock.instant(), null, null);

        assertThat(december5.results()).extracting(Result::period, Result::outcome).containsExactly(
                tuple("2026-09", Outcome.FAILED), tuple("2026-10", Outcome.SENT), tuple("2026-11", Outcome.SENT));
        assertThat(december6.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-09", Outcome.FAILED));
        assertThat(december6.headline()).endsWith("1 failed");
        assertThat(december7.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-09", Outcome.SENT));
        assertThat(december8.results()).isEmpty();
        assertThat(sentSubjects()).containsExactly(
                "Sarah x Acme: statement for October 2026, partner share $50.00",
                "Sarah x Acme: statement for November 2026, partner share $100.00",
                "Sarah x Acme: statement for September 2026, partner share $25.00");
        assertThat(issuedEvents()).extracting(detail -> detail.path("period").asText()).containsExactly("2026-10", "2026-11", "2026-09");
        StoredStatement september = store.statements().find("sarah-course", YearMonth.of(2026, 9)).orElseThrow();
        assertThat(september.status()).isEqualTo(Status.SENT);
        assertThat(september.attempts()).isEqualTo(3);
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 11)).orElseThrow().statement().years())
                .singleElement().satisfies(year -> assertThat(year.entitlementToDate()).isEqualTo(17_500));
        assertThat(store.statements().unfinished("sarah-course")).isEmpty();
    }

    @Test
    void aStatementStoredUnsentBeforeStatementsWereMarkedUnfinishedIsStillSent() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));
        runWith(email -> {
            throw new IllegalStateException("SES refused the message");
        }).run(clock.instant(), null, null);
        // as an older revshare stored it: the header alone, without its unfinished mark
        LocalDynamoDb.client().deleteItem(b -> b.tableName(table).key(java.util.Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("STATEMENT#sarah-course"),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("UNFINISHED#2026-10"))));
        assertThat(store.statements().unfinished("sarah-course")).isEmpty();

        clock.set(clock.instant().plus(java.time.Duration.ofDays(1)));
        RunSummary next = run.run(clock.instant(), null, null);

        assertThat(next.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-10", Outcome.SENT));
        assertThat(sentSubjects()).containsExactly("Sarah x Acme: statement for October 2026, partner share $74.25");
    }

    @Test
    void aLateRefundAfterATerminatedAgreementsFinalStatementGoesOutOnceOnASupplementaryStatement() throws Exception {
        // ended by mutual termination on June 30; 30 days of settlement: July's statement is the final one
        Agreement terminated = new Agreement("sarah-course", "Sarah x Acme", new Agreement.Party("Sarah", List.of("sarah@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example")), "acct_sarah-course", "usd", LOS_ANGELES,
                LocalDate.of(2026, 6, 1), LocalDate.of(2027, 5, 31), List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))),
                null, null, List.of(), new Agreement.Termination(Agreement.Termination.Type.MUTUAL, LocalDate.of(2026, 6, 30)),
                null, 30);
        store.agreements().put(terminated, Instant.parse("2026-05-20T00:00:00Z"));
        sale("sarah-course", "pi_june", 100_000, Instant.parse("2026-06-10T18:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        assertThat(run.run(clock.instant(), null, null).results()).extracting(Result::period, Result::outcome)
                .containsExactly(tuple("2026-06", Outcome.SENT), tuple("2026-07", Outcome.SENT));
        // refunded on July 20, inside the settlement period; Stripe's event reached revshare on August 10
        TestLedger.record(store.bookings(), new LedgerLine("sarah-course", "re_late", "re_late", LineType.REFUND, -40_000, "usd",
                Instant.parse("2026-07-20T18:00:00Z"), Instant.parse("2026-06-10T18:00:00Z"), Instant.parse("2026-08-10T18:00:00Z"),
                "course", "cus_1", "evt_re_late", "pi_june"));

        List<RunSummary> runs = new ArrayList<>();
        for (String day : List.of("2026-09-05T06:00:00Z", "2026-09-05T07:00:00Z", "2026-09-06T06:00:00Z", "2026-10-05T06:00:00Z")) {
            clock.set(Instant.parse(day));
            runs.add(run.run(clock.instant(), null, null));
        }

        assertThat(runs.get(0).results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-08", Outcome.SENT));
        assertThat(runs.subList(1, runs.size())).allSatisfy(again -> assertThat(again.results()).isEmpty());
        assertThat(moto.sentRawMessages()).hasSize(6); // three statements, a message to each party
        ReceivedEmail supplementary = dev.revshare.testing.ReceivedEmail.parse(moto.sentRawMessages().get(4).raw());
        assertThat(supplementary.subject).isEqualTo("Sarah x Acme: supplementary statement for August 2026, partner share -$100.00");
        assertThat(supplementary.to).containsExactly("sarah@example.com");
        assertThat(supplementary.text).contains("This is a supplementary statement", "final statement (July 2026)",
                "Due from Acme to Sarah (settlement of the late lines): $100.00");
        assertThat(supplementary.attachments).containsOnlyKeys("sarah-course-2026-08-supplementary.csv",
                "sarah-course-2026-08-supplementary.json");
        assertThat(Json.read(new String(supplementary.attachments.get("sarah-course-2026-08-supplementary.json"),
                java.nio.charset.StandardCharsets.UTF_8), JsonNode.class).path("supplementary").asBoolean()).isTrue();
        assertThat(issuedEvents()).extracting(detail -> detail.path("period").asText() + " " + detail.path("supplementary").asBoolean())
                .containsExactly("2026-06 false", "2026-07 false", "2026-08 true");
        StoredStatement stored = store.statements().find("sarah-course", YearMonth.of(2026, 8)).orElseThrow();
        assertThat(stored.statement().supplementary()).isTrue();
        assertThat(stored.statement().lines()).extracting(Statement.StatementLine::lineId).containsExactly("re_late");
        assertThat(stored.status()).isEqualTo(Status.SENT);
    }

    @Test
    void monthThatHasNotEndedIsSkipped() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        clock.set(Instant.parse("2026-11-30T20:00:00Z"));

        RunSummary summary = run.run(clock.instant(), YearMonth.of(2026, 11), null);

        assertThat(summary.results()).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(result.message()).isEqualTo("the month has not ended in America/Los_Angeles");
        });
        assertThat(moto.sentRawMessages()).isEmpty();
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 11))).isEmpty();
    }

    @Test
    void agreementWhoseRecipientSesRejectsFailsAloneAndIsSentByTheNextRunOnceFixed() {
        store.agreements().put(agreement("broken-address", LocalDate.of(2026, 10, 1), "nobody"), Instant.parse("2026-09-20T00:00:00Z"));
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));

        RunSummary november = run.run(clock.instant(), null, null);

        assertThat(november.results()).extracting(Result::agreementId, Result::period, Result::outcome).containsExactly(
                tuple("broken-address", "2026-10", Outcome.FAILED), tuple("sarah-course", "2026-10", Outcome.SENT));
        assertThat(november.results().get(0).message()).contains("Missing domain");
        // the partner of the broken agreement still gets its message; the expert's is refused
        assertThat(moto.sentRawMessages()).extracting(sent -> sent.destinations().get(0))
                .containsExactly("books@acme.example", "sarah@example.com", "books@acme.example");
        StoredStatement failed = store.statements().find("broken-address", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).startsWith("to the expert: ").contains("Missing domain");
        assertThat(failed.messages().expert()).isNull();
        assertThat(failed.messages().partner()).isEqualTo(moto.sentRawMessages().get(0).id());

        // the address is corrected; December's run sends October's statement before November's
        store.agreements().put(agreement("broken-address", LocalDate.of(2026, 10, 1), "nobody@example.com"), Instant.parse("2026-11-10T00:00:00Z"));
        clock.set(Instant.parse("2026-12-05T06:00:00Z"));
        RunSummary december = run.run(clock.instant(), null, "broken-address");

        assertThat(december.results()).extracting(Result::period, Result::outcome).containsExactly(
                tuple("2026-10", Outcome.SENT), tuple("2026-11", Outcome.SENT));
        assertThat(store.statements().find("broken-address", YearMonth.of(2026, 10)).orElseThrow().status()).isEqualTo(Status.SENT);
        // October's partner message went out in November and is not sent again: October's expert, then November's two
        assertThat(moto.sentRawMessages().subList(3, moto.sentRawMessages().size())).extracting(sent -> sent.destinations().get(0))
                .containsExactly("nobody@example.com", "nobody@example.com", "books@acme.example");
    }

    @Test
    void aRunEveryDayClosesEachMonthOnceAndThenFindsNothingDue() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));

        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (Instant day = Instant.parse("2026-11-01T06:00:00Z"); day.isBefore(Instant.parse("2026-11-10T00:00:00Z"));
             day = day.plus(java.time.Duration.ofDays(1))) {
            clock.set(day);
            run.run(day, null, null).results().forEach(r -> outcomes.add(r.outcome()));
        }

        // November 1 to 4: September is not in the term and October's grace runs; the 5th sends it; then nothing is due
        assertThat(outcomes).containsExactly(Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED,
                Outcome.SENT);
        assertThat(sentSubjects()).containsExactly("Sarah x Acme: statement for October 2026, partner share $74.25");
    }

    @Test
    void twoRunsAtOnceSendEachStatementOnce() throws Exception {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));
        SesStatementMailer ses = new SesStatementMailer(aws.sesV2());
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch otherRunDone = new java.util.concurrent.CountDownLatch(1);
        // the first run is inside SES when the second one runs: exactly the window where both could send
        MonthlyStatementRun one = runWith(email -> {
            sending.countDown();
            try {
                otherRunDone.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ses.send(email);
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<RunSummary> first = pool.submit(() -> one.run(clock.instant(), null, null));
        assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        RunSummary second = run.run(clock.instant(), null, null);
        otherRunDone.countDown();
        List<Outcome> outcomes = List.of(first.get().results().get(0).outcome(), second.results().get(0).outcome());
        pool.shutdown();

        assertThat(outcomes).containsExactly(Outcome.SENT, Outcome.IN_PROGRESS);
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow().status()).isEqualTo(Status.SENT);
        assertThat(issuedEvents()).hasSize(1);
    }

    @Test
    void aRunThatStoppedWhileSendingLeavesTheStatementToALaterRunAndItIsNotLost() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));
        // a run computes the statement, claims it for sending, and its Lambda is stopped before SES answers
        StatementMailer crashes = email -> {
            throw new Error("Lambda timed out");
        };
        try {
            runWith(crashes).run(clock.instant(), null, null);
        } catch (Error expected) {
            // the process is gone: nothing after the claim happened
        }
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow().status()).isEqualTo(Status.SENDING);

        // a re-run within the claim's lease does not send it: that run might still be sending
        clock.set(clock.instant().plus(java.time.Duration.ofMinutes(5)));
        assertThat(run.run(clock.instant(), null, null).results()).extracting(Result::outcome).containsExactly(Outcome.IN_PROGRESS);
        assertThat(moto.sentRawMessages()).isEmpty();

        // the next day's run finds the claim expired and sends it, once
        clock.set(clock.instant().plus(java.time.Duration.ofDays(1)));
        assertThat(run.run(clock.instant(), null, null).results()).extracting(Result::outcome).containsExactly(Outcome.SENT);
        assertThat(run.run(clock.instant(), null, null).results()).as("nothing due once sent").isEmpty();
        StoredStatement sent = store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow();
        assertThat(sent.status()).isEqualTo(Status.SENT);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.messages()).isEqualTo(new SentMessages(moto.sentRawMessages().get(0).id(), moto.sentRawMessages().get(1).id()));
        assertThat(moto.sentRawMessages()).hasSize(2);
    }

    @Test
    void aRunStoppedBetweenSesAcceptingAndRecordingItIsTheOneCaseSentAgainAndTheCopyHasTheSameMessageId() throws Exception {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        SesStatementMailer ses = new SesStatementMailer(aws.sesV2());
        try {
            runWith(email -> {
                ses.send(email);
                throw new Error("Lambda stopped right after SES accepted the message");
            }).run(clock.instant(), null, null);
        } catch (Error expected) {
            // nothing recorded the send
        }
        clock.set(clock.instant().plus(java.time.Duration.ofDays(1)));

        assertThat(run.run(clock.instant(), null, null).results()).extracting(Result::outcome).containsExactly(Outcome.SENT);

        // never lost, at the price of a copy in this one window: the copy is the same message to mail clients
        // (the first run stopped after the expert's message; the next sends it again, then the partner's)
        assertThat(moto.sentRawMessages()).hasSize(3).extracting(sent -> {
            try {
                return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(sent.raw())).getMessageID();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).containsExactly("<statement.sarah-course.2026-10.expert@revshare>", "<statement.sarah-course.2026-10.expert@revshare>",
                "<statement.sarah-course.2026-10.partner@revshare>");
    }

    @Test
    void aRunStoppedBetweenSendingAndAnnouncingLeavesTheEventToTheNextRunAndSendsNothingAgain() {
        store.agreements().put(agreement("sarah-course", LocalDate.of(2026, 10, 1), "sarah@example.com"), Instant.parse("2026-09-20T00:00:00Z"));
        sale("sarah-course", "pi_1", 29_700, Instant.parse("2026-10-10T18:00:00Z"));
        MonthlyStatementRun stopsBeforeTheEvent = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), new SesStatementMailer(aws.sesV2()),
                (statement, messageId) -> {
                    throw new Error("Lambda stopped before EventBridge answered");
                }, SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
        try {
            stopsBeforeTheEvent.run(clock.instant(), null, null);
        } catch (Error expected) {
            // gone
        }
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow().announced()).isFalse();

        RunSummary next = run.run(clock.instant(), null, null);

        assertThat(next.results()).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.ALREADY_SENT);
            assertThat(result.message()).endsWith("announced now");
        });
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(issuedEvents()).singleElement().satisfies(detail -> assertThat(detail.path("period").asText()).isEqualTo("2026-10"));
        assertThat(store.statements().find("sarah-course", YearMonth.of(2026, 10)).orElseThrow().announced()).isTrue();
        assertThat(run.run(clock.instant(), null, null).results()).as("nothing due once announced").isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static Agreement agreement(String id, LocalDate start, String expertEmail) {
        return new Agreement(id, "Sarah x Acme", new Agreement.Party("Sarah", List.of(expertEmail)),
                new Agreement.Party("Acme", List.of("books@acme.example")), "acct_" + id, "usd", LOS_ANGELES, start,
                null, List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), null);
    }

    /** A sale recorded a second after it happened, as the webhook records it. */
    private void sale(String agreementId, String paymentIntent, long amount, Instant at) {
        LedgerLine line = new LedgerLine(agreementId, paymentIntent, "ch_" + paymentIntent, LineType.SALE, amount, "usd",
                at, at, at.plusSeconds(1), "course", "cus_1", "evt_" + paymentIntent);
        TestLedger.record(store.bookings(), line);
    }

    /**
     * The subjects of the statements sent, in order, once each: every statement goes to each party as a message of its
     * own (the expert's first), and this checks that both went out, the same statement.
     */
    private static List<String> sentSubjects() {
        List<String> expert = new ArrayList<>();
        List<String> partner = new ArrayList<>();
        for (MotoServer.SentRawMessage sent : moto.sentRawMessages()) {
            try {
                MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(sent.raw()));
                (message.getMessageID().endsWith(".expert@revshare>") ? expert : partner).add(message.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(partner).as("the partner's messages").isEqualTo(expert);
        return expert;
    }

    /** The detail of every StatementIssued event the bus delivered to the queue. */
    private List<JsonNode> issuedEvents() {
        List<JsonNode> details = new ArrayList<>();
        List<software.amazon.awssdk.services.sqs.model.Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            for (var message : batch) {
                JsonNode event = Json.read(message.body(), JsonNode.class);
                assertThat(event.path("detail-type").asText()).isEqualTo("StatementIssued");
                details.add(event.path("detail"));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        } while (!batch.isEmpty());
        return details;
    }

    /** A clock the test sets; it does not move by itself. */
}
