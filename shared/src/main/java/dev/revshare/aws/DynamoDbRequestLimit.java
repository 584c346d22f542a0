package dev.revshare.aws;

import dev.revshare.page.RequestLimit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * At most {@code limit} requests per link in each window, counted for the whole stack: one conditional UpdateItem
 * per request adds to the link's count of the current window ({@link Table#requestCount}) unless it is at the limit.
 * Lambda answers a flood of requests with more function instances, so a count kept in each instance would let a
 * flood through. A request {@code local} (this instance's own count) already refuses costs no write. The counts
 * expire with the table's TTL ({@code expiresAt}) a window after their own ends.
 */
final class DynamoDbRequestLimit implements RequestLimit {
    private final Table table;
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final RequestLimit local;

    DynamoDbRequestLimit(Table table, int limit, Duration window, Clock clock, RequestLimit local) {
        this.table = table;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.local = local;
    }

    @Override
    public boolean allow(String key) {
        if (!local.allow(key)) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        long windowStart = now - Math.floorMod(now, window.toSeconds());
        try {
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name)
                    .key(Table.requestCount(digest(key), windowStart))
                    .updateExpression("ADD hits :one SET expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                    .expressionAttributeValues(Map.of(":one", Table.n(1), ":limit", Table.n(limit),
                            ":expires", Table.n(windowStart + 2 * window.toSeconds())))));
            return true;
        } catch (ConditionalCheckFailedException overLimit) {
            return false;
        }
    }

    @Override
    public long retryAfterSeconds(String key) {
        long now = clock.instant().getEpochSecond();
        return Math.max(1, window.toSeconds() - Math.floorMod(now, window.toSeconds()));
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256, which every Java must have", e);
        }
    }
}
