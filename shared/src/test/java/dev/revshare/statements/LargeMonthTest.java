package dev.revshare.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.json.StatementDocument;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * A month of 5,000 lines (far over what one DynamoDB item held) on DynamoDB Local and moto: closed, stored in
 * items under 400 KB, sent with a short body and compressed attachments that add up to the stored statement,
 * and shown whole; a run whose store fails half-way through the lines is finished by the next run.
 */
class LargeMonthTest {
    private static final String SENDER = "statements@revshare.example";
    private static final int LINES = 5_000;
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static final MotoServer moto = MotoServer.get();
    private static final AwsClients aws = moto.clients();

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-05T06:00:00Z"));
    private final DynamoDbClient dynamo = LocalDynamoDb.client();
    private String table;
    private DynamoDbStores store;

    @BeforeEach
    void setUp() {
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name("revshare"));
        table = LocalDynamoDb.newTable();
        store = DynamoDbStores.over(dynamo, table);
        store.agreements().put(new Agreement("big-course", "Big Course x Studio",
                new Agreement.Party("Big Course", List.of("expert@big.example")),
                new Agreement.Party("Studio", List.of("books@studio.example")), "acct_1BigCourse", "usd",
                ZoneId.of("America/Los_Angeles"), LocalDate.of(2026, 10, 1), null,
                List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), null), Instant.parse("2026-09-20T00:00:00Z"));
        Instant start = Instant.parse("2026-10-02T00:00:00Z");
        for (int i = 0; i < LINES; i++) {
            Instant at = start.plusSeconds(i * 300L);
            LineType type = i % 40 == 39 ? LineType.REFUND : LineType.SALE;
            long amount = type == LineType.REFUND ? -(500 + i % 300) : 1_000 + i % 9_000;
            TestLedger.record(store.bookings(), new LedgerLine("big-course", "pi_" + i, "ch_" + i, type, amount, "usd", at, at,
                    at.plusSeconds(1), "course", "cus_" + (i % 500), "evt_" + i));
        }
    }

    @Test
    void aMonthOf5000LinesIsClosedStoredSentAndShownWholeAfterARunThatStoppedAmongItsLines() throws IOException {
        // the first run's store fails on the third chunk of lines: nothing is stored that a reader could see
        MonthlyStatementRun failing = run(DynamoDbStores.over(failingOnPut(dynamo, 3), table));
        assertThat(failing.run(clock.instant(), null, null).results()).extracting(Result::period, Result::outcome)
                .containsExactly(tuple("2026-10", Outcome.FAILED));
        assertThat(store.statements().find("big-course", OCTOBER)).isEmpty();
        assertThat(moto.sentRawMessages()).isEmpty();

        clock.set(clock.instant().plusSeconds(3600));
        RunSummary next = run(store).run(clock.instant(), null, null);

        assertThat(next.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-10", Outcome.SENT));
        // shown: the stored statement, whole
        var stored = store.statements().find("big-course", OCTOBER).orElseThrow();
        Statement october = stored.statement();
        assertThat(stored.status()).isEqualTo(Status.SENT);
        assertThat(october.lines()).hasSize(LINES);
        // stored: no item near DynamoDB's 400 KB, and nothing left of the stopped run
        List<java.util.Map<String, AttributeValue>> statementItems = dynamo.scanPaginator(b -> b.tableName(table)).items().stream()
                .filter(item -> item.get("pk").s().startsWith("STATEMENT#") && !item.get("sk").s().equals("CLOSING")).toList();
        assertThat(statementItems).allSatisfy(item -> assertThat(item.values().stream()
                .mapToInt(v -> v.s() == null ? 8 : v.s().getBytes(StandardCharsets.UTF_8).length).sum()).isLessThan(310 * 1024));
        assertThat(statementItems).hasSize(1 + Integer.parseInt(statementItems.stream()
                .filter(item -> item.get("sk").s().equals("2026-10")).findFirst().orElseThrow().get("chunks").n()));

        // sent: a message to each party, a short body, the attachments compressed and adding up to the stored statement
        MotoServer.SentRawMessage sent = moto.sentRawMessages().get(0);
        assertThat(moto.sentRawMessages()).hasSize(2);
        assertThat(sent.raw().length).isLessThan(StatementAttachments.MAX_MESSAGE_BYTES);
        ReceivedEmail email = ReceivedEmail.parse(sent.raw());
        assertThat(email.text).contains("Ledger lines (5000):", "... and 4940 more lines in the attached CSV.", "gzip-compressed");
        assertThat(email.text.length()).isLessThan(20_000);
        assertThat(email.html).contains("4940 more lines are in the attached CSV.");
        assertThat(email.attachments).containsOnlyKeys("big-course-2026-10.csv.gz", "big-course-2026-10.json.gz");
        assertThat(Json.read(gunzip(email.attachments.get("big-course-2026-10.json.gz")), Statement.class)).isEqualTo(october);
        // the statement as stored, then its sign-off: open from the second run, which sent it
        assertThat(gunzip(email.attachments.get("big-course-2026-10.json.gz"))).isEqualTo(StatementDocument.writePretty(october,
                StatementDocument.SignOff.opening(store.agreements().find("big-course").orElseThrow(), clock.instant())));
        List<CSVRecord> rows = StatementCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(gunzip(email.attachments.get("big-course-2026-10.csv.gz")))).getRecords();
        assertThat(rows).hasSize(LINES);
        long gross = 0, refunds = 0;
        BigDecimal partnerExact = BigDecimal.ZERO;
        for (CSVRecord row : rows) {
            assertThat(Classification.valueOf(row.get("classification").toUpperCase(Locale.ROOT))).isEqualTo(Classification.SHARED);
            long amount = Long.parseLong(row.get("amount_minor"));
            if (row.get("type").equals("sale")) {
                gross += amount;
            } else {
                refunds -= amount;
            }
            partnerExact = partnerExact.add(new BigDecimal(row.get("partner_exact")));
        }
        assertThat(gross).isEqualTo(october.totals().grossSales());
        assertThat(refunds).isEqualTo(october.totals().refunds());
        assertThat(partnerExact.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact()).isEqualTo(october.totals().partnerShare());
    }

    private MonthlyStatementRun run(DynamoDbStores stores) {
        return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(), new SesStatementMailer(aws.sesV2()),
                new EventBridgeStatementPublisher(aws.eventBridge(), "revshare"), SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The client, except that its {@code n}th PutItem and every one after fail as an outage would. */
    private static DynamoDbClient failingOnPut(DynamoDbClient client, int n) {
        AtomicInteger puts = new AtomicInteger();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putItem") && puts.incrementAndGet() >= n) {
                        throw DynamoDbException.builder().message("Internal server error (test)").statusCode(500).build();
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
