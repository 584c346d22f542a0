package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.domain.Classification;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.testing.LocalDynamoDb;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A statement of any size is stored as a header and chunks of lines, none near DynamoDB's 400 KB item limit,
 * and read back as the same statement (the same JSON bytes); a write stopped among the chunks is redone whole.
 */
class StatementOfAnySizeTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** DynamoDB refuses an item over 400 KB, names and values together. */
    private static final int ITEM_LIMIT = 400 * 1024;

    @Test
    void aMonthOf100000LinesIsChunkedUnder300KbAndJoinedBackToTheSameJson() {
        Statement statement = statement(100_000);

        List<String> chunks = DynamoDbStatements.chunks(statement.lines());

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(DynamoDbStatements.CHUNK_BYTES));
        assertThat(chunks.size()).isBetween(80, 200); // about 300 bytes a line
        List<Statement.StatementLine> joined = DynamoDbStatements.lines(chunks);
        assertThat(joined).isEqualTo(statement.lines());
        assertThat(Json.write(statement.withLines(joined))).isEqualTo(Json.write(statement));
        assertThat(DynamoDbStatements.chunks(List.of())).isEmpty();
    }

    @Test
    void aMonthAboveTheOldSingleItemLimitIsStoredInItemsUnder400KbAndFoundWhole() {
        DynamoDbClient client = LocalDynamoDb.client();
        String table = LocalDynamoDb.newTable();
        DynamoDbStores store = DynamoDbStores.over(client, table);
        Statement statement = statement(2_000); // about 600 KB as one item: refused before chunking
        assertThat(Json.write(statement).length()).isGreaterThan(ITEM_LIMIT);

        assertThat(store.statements().create(statement)).isTrue();

        StoredStatement found = store.statements().find("a", OCTOBER).orElseThrow();
        assertThat(found.statement()).isEqualTo(statement);
        assertThat(Json.write(found.statement())).isEqualTo(Json.write(statement));
        assertThat(found.status()).isEqualTo(Status.COMPUTED);
        StoredStatement header = store.statements().findWithoutLines("a", OCTOBER).orElseThrow();
        assertThat(header.statement().lines()).isEmpty();
        assertThat(header.statement()).isEqualTo(statement.withLines(List.of()));
        List<Map<String, AttributeValue>> items = items(client, table);
        assertThat(items).hasSizeGreaterThan(2).allSatisfy(item -> assertThat(size(item)).isLessThan(300 * 1024 + 200));
        // the sending states still move on the header
        Instant at = Instant.parse("2026-11-05T06:00:00Z");
        assertThat(store.statements().claimForSending("a", OCTOBER, "run-1", at, java.time.Duration.ofMinutes(15))).isTrue();
        assertThat(store.statements().markPartySent("a", OCTOBER, "run-1", dev.revshare.domain.Side.EXPERT, "msg-1")).isTrue();
        assertThat(store.statements().markSent("a", OCTOBER, "run-1", at.plusSeconds(1))).isTrue();
        assertThat(store.statements().find("a", OCTOBER).orElseThrow().statement()).isEqualTo(statement);
    }

    @Test
    void aWriteStoppedAmongTheChunksLeavesNoStatementAndTheNextWriteStoresItWholeAndClearsTheLeftovers() {
        DynamoDbClient client = LocalDynamoDb.client();
        String table = LocalDynamoDb.newTable();
        Statement statement = statement(3_000);
        int chunkCount = DynamoDbStatements.chunks(statement.lines()).size();
        DynamoDbStores failing = DynamoDbStores.over(failingOnPut(client, 3), table);

        assertThatThrownBy(() -> failing.statements().create(statement)).isInstanceOf(StoreUnavailableException.class);

        assertThat(failing.statements().find("a", OCTOBER)).isEmpty();
        assertThat(items(client, table)).hasSize(2); // two chunks written, no header: nobody sees a statement

        DynamoDbStores healthy = DynamoDbStores.over(client, table);
        assertThat(healthy.statements().create(statement)).isTrue();

        assertThat(healthy.statements().find("a", OCTOBER).orElseThrow().statement()).isEqualTo(statement);
        // the header, its unfinished mark and its own chunks, nothing left over
        assertThat(items(client, table)).hasSize(2 + chunkCount);
    }

    @Test
    void aRunThatLosesTheHeaderToAnotherDeletesItsOwnChunksAndTheWinnersLinesStay() {
        DynamoDbClient client = LocalDynamoDb.client();
        String table = LocalDynamoDb.newTable();
        DynamoDbStores store = DynamoDbStores.over(client, table);
        Statement first = statement(1_500);
        Statement second = statement(1_600);

        assertThat(store.statements().create(first)).isTrue();
        assertThat(store.statements().create(second)).isFalse();

        assertThat(store.statements().find("a", OCTOBER).orElseThrow().statement()).isEqualTo(first);
        assertThat(items(client, table)).hasSize(2 + DynamoDbStatements.chunks(first.lines()).size()); // and its mark
    }

    // ---------------------------------------------------------------- helpers

    static Statement statement(int lineCount) {
        List<Statement.StatementLine> lines = new ArrayList<>();
        long gross = 0;
        for (int i = 0; i < lineCount; i++) {
            long amount = 1_000 + i % 977;
            gross += amount;
            boolean tip = i % 50 == 0;
            lines.add(new Statement.StatementLine("pi_" + i, "ch_3SomeStripeCharge" + i, Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i * 20L),
                    LineType.SALE, tip ? "tip" : "course", tip ? Classification.REVIEW : Classification.SHARED,
                    tip ? "Held for review: tip" : null, amount, "usd", new BigDecimal("0.25"), 1, i % 7 == 0, "cus_" + (i % 300)));
        }
        return new Statement("a", "Sarah x Acme", OCTOBER, "usd", false, Instant.parse("2026-11-02T06:00:00Z"),
                new Statement.Totals(gross, 0, 0, gross, gross / 4, gross - gross / 4, 0, 0, 0, gross / 4, 0),
                List.of(new Statement.YearSummary(1, new BigDecimal("0.25"), null, gross / 4, false, new BigDecimal(gross).multiply(new BigDecimal("0.25")))),
                lines, null, List.of(new Statement.MonthShare(OCTOBER, gross / 4, gross)));
    }

    private static List<Map<String, AttributeValue>> items(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table)).items().forEach(items::add);
        return items;
    }

    private static int size(Map<String, AttributeValue> item) {
        int size = 0;
        for (var entry : item.entrySet()) {
            AttributeValue value = entry.getValue();
            size += entry.getKey().length() + (value.s() != null ? value.s().getBytes(StandardCharsets.UTF_8).length
                    : value.n() != null ? value.n().length() : 0);
        }
        return size;
    }

    /** The client, except that its {@code n}th PutItem and every one after fail as DynamoDB failing would. */
    private static DynamoDbClient failingOnPut(DynamoDbClient client, int n) {
        AtomicInteger puts = new AtomicInteger();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putItem") && puts.incrementAndGet() >= n) {
                        throw software.amazon.awssdk.services.dynamodb.model.DynamoDbException.builder()
                                .message("Internal server error (test)").statusCode(500).build();
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
