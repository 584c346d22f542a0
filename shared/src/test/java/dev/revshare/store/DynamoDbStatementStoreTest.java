package dev.revshare.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.testing.LocalDynamoDb;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB repository keeps the statement store's contract, on DynamoDB Local. */
class DynamoDbStatementStoreTest extends StatementStoreContract {
    @Override
    StatementStore freshStore() {
        return LocalDynamoDb.newStore().statements();
    }

    /**
     * A deployed table keeps statements sent before each party had a message of its own: one {@code messageId}, the
     * message both got. They read as sent to both under it, so no run sends them again.
     */
    @Test
    void aStatementSentAsOneMessageToBothPartiesBeforeReadsAsSentToEach() {
        String table = LocalDynamoDb.newTable();
        StatementStore store = DynamoDbStores.over(LocalDynamoDb.client(), table).statements();
        YearMonth october = YearMonth.of(2026, 10);
        Instant at = Instant.parse("2026-11-05T06:00:00Z");
        store.create(statement("a", october, false, 1));
        assertThat(store.claimForSending("a", october, "old-run", at, Duration.ofMinutes(15))).isTrue();
        // what the earlier markSent wrote: the status and the one message id
        LocalDynamoDb.client().updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("STATEMENT#a"), "sk", AttributeValue.fromS("2026-10")))
                .updateExpression("SET #status = :sent, messageId = :id, sentAt = :at")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":sent", AttributeValue.fromS("SENT"), ":id", AttributeValue.fromS("msg-both"),
                        ":at", AttributeValue.fromS(at.toString()))));

        StatementStore.StoredStatement stored = store.findWithoutLines("a", october).orElseThrow();

        assertThat(stored.status()).isEqualTo(Status.SENT);
        assertThat(stored.messages()).isEqualTo(new SentMessages("msg-both", "msg-both"));
        assertThat(store.claimForSending("a", october, "new-run", at.plus(Duration.ofDays(1)), Duration.ofMinutes(15))).isFalse();
    }
}
