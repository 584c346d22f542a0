package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.page.RateLimiter;
import dev.revshare.page.RequestLimit;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.time.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The page's request limit on DynamoDB Local, as the stack counts it: several function instances (each with its own
 * count in memory) share one count per link, so a flood spread over instances is refused all the same.
 */
class DynamoDbRequestLimitTest {
    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

    private final DynamoDbClient dynamo = LocalDynamoDb.client();
    private final String table = LocalDynamoDb.newTable();
    private final SettableClock clock = new SettableClock(START);

    /** A function instance: its own in-memory count (a generous one, as each instance has), then the table's. */
    private RequestLimit instance() {
        return new DynamoDbRequestLimit(new Table(() -> dynamo, table), 3, Duration.ofMinutes(1), clock,
                new RateLimiter(3, Duration.ofMinutes(1), clock));
    }

    @Test
    void aLinksRequestsAreCountedAcrossInstancesAndRefusedOverTheLimit() {
        List<RequestLimit> instances = List.of(instance(), instance(), instance());

        // one request on each of three instances: each instance's own count is 1, the stack's is 3
        for (RequestLimit each : instances) {
            assertThat(each.allow("link-a")).isTrue();
        }
        assertThat(instances.get(0).allow("link-a")).as("the fourth request, on an instance that saw one").isFalse();
        assertThat(instance().allow("link-a")).as("a fresh instance").isFalse();
        assertThat(instances.get(1).retryAfterSeconds("link-a")).isEqualTo(60);
        // another link is counted on its own
        assertThat(instances.get(2).allow("link-b")).isTrue();
        // the next minute starts afresh
        clock.set(START.plusSeconds(60));
        assertThat(instances.get(0).allow("link-a")).isTrue();
    }

    /** A count that cannot be kept is not a request let through: the page answers 500 (PartyPageTest). */
    @Test
    void aTableThatCannotBeReachedIsAFailureNotAnAllowance() {
        AwsClients unreachable = AwsClients.forEndpoint(URI.create("http://127.0.0.1:1"), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        RequestLimit limit = new DynamoDbRequestLimit(new Table(unreachable::dynamoDb, table), 3, Duration.ofMinutes(1), clock,
                new RateLimiter(3, Duration.ofMinutes(1), clock));

        assertThatThrownBy(() -> limit.allow("link-a")).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void theCountNamesTheLinksDigestNeverTheLinkAndExpires() {
        String link = "eyJ2MTpzYXJhaC1taW5kZnVsbmVzcyI.c2lnbmF0dXJl";
        clock.set(START.plusSeconds(15));
        assertThat(instance().allow(link)).isTrue();

        List<Map<String, AttributeValue>> items = dynamo.scan(b -> b.tableName(table)).items();
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.get("pk").s()).startsWith("RATE#").doesNotContain(link).hasSize("RATE#".length() + 64);
            assertThat(item.get("sk").s()).isEqualTo(Long.toString(START.getEpochSecond()));
            assertThat(item.get("hits").n()).isEqualTo("1");
            // the table's TTL removes it once its minute and the next are over
            assertThat(Long.parseLong(item.get("expiresAt").n())).isEqualTo(START.getEpochSecond() + 120);
        });
    }
}
