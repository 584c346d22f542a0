package dev.revshare.aws;

import static dev.revshare.aws.Table.n;
import static dev.revshare.aws.Table.s;

import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.store.StatementStore;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Statements and their sending state, one item per agreement-month; every move a conditional write. */
final class DynamoDbStatements implements StatementStore {
    private final Table table;

    DynamoDbStatements(Table table) {
        this.table = table;
    }

    @Override
    public Optional<StoredStatement> find(String agreementId, YearMonth period) {
        Map<String, AttributeValue> item = table.get(Table.statement(agreementId, period));
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredStatement(Json.read(Table.text(item, "body"), Statement.class),
                Status.valueOf(Table.text(item, "status")), Table.text(item, "messageId"),
                item.containsKey("sentAt") ? Instant.parse(Table.text(item, "sentAt")) : null,
                item.containsKey("attempts") ? Integer.parseInt(item.get("attempts").n()) : 0,
                Table.text(item, "error"), item.containsKey("announcedAt")));
    }

    @Override
    public boolean create(Statement statement) {
        Map<String, AttributeValue> item = Table.item(Table.statement(statement.agreementId(), statement.period()), "body", Json.write(statement), "status", Status.COMPUTED.name());
        try {
            Table.guard(() -> table.dynamo.putItem(b -> b.tableName(table.name).item(item)
                    .conditionExpression("attribute_not_exists(pk)")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean claimForSending(String agreementId, YearMonth period, String claimId, Instant now, Duration lease) {
        return conditionalUpdate(agreementId, period,
                "SET #status = :sending, claimId = :claim, claimedAt = :now ADD attempts :one",
                "#status IN (:computed, :failed) OR (#status = :sending AND claimedAt < :expired)",
                Map.of(":sending", s(Status.SENDING.name()), ":claim", s(claimId), ":now", s(Table.MILLIS.format(now)),
                        ":one", n(1), ":computed", s(Status.COMPUTED.name()), ":failed", s(Status.FAILED.name()),
                        ":expired", s(Table.MILLIS.format(now.minus(lease)))));
    }

    @Override
    public boolean markSent(String agreementId, YearMonth period, String claimId, String messageId, Instant sentAt) {
        return conditionalUpdate(agreementId, period, "SET #status = :sent, messageId = :id, sentAt = :at REMOVE #error",
                "#status = :sending AND claimId = :claim",
                Map.of(":sent", s(Status.SENT.name()), ":id", s(messageId), ":at", s(sentAt.toString()),
                        ":sending", s(Status.SENDING.name()), ":claim", s(claimId)));
    }

    @Override
    public boolean markAnnounced(String agreementId, YearMonth period, Instant announcedAt) {
        return conditionalUpdate(agreementId, period, "SET announcedAt = :at",
                "#status = :sent AND attribute_not_exists(announcedAt)",
                Map.of(":at", s(announcedAt.toString()), ":sent", s(Status.SENT.name())));
    }

    @Override
    public boolean markFailed(String agreementId, YearMonth period, String claimId, String error, Instant failedAt) {
        return conditionalUpdate(agreementId, period, "SET #status = :failed, #error = :error, failedAt = :at",
                "#status = :sending AND claimId = :claim",
                Map.of(":failed", s(Status.FAILED.name()), ":error", s(error == null ? "unknown error" : error),
                        ":at", s(failedAt.toString()), ":sending", s(Status.SENDING.name()), ":claim", s(claimId)));
    }

    @Override
    public void beginClosing(String agreementId, Instant closedAt) {
        try {
            Table.guard(() -> table.dynamo.updateItem(b -> b.tableName(table.name).key(Table.closing(agreementId))
                    .updateExpression("SET closingAt = :at")
                    .conditionExpression("attribute_not_exists(closingAt) OR closingAt < :at")
                    .expressionAttributeValues(Map.of(":at", s(Table.MILLIS.format(closedAt))))));
        } catch (ConditionalCheckFailedException laterAlready) {
            // a later close was noted first: it covers this one
        }
    }

    /** When the agreement's latest statement began closing (lines recorded up to then are counted). */
    Optional<Instant> lastClosedAt(String agreementId) {
        String closingAt = Table.text(table.get(Table.closing(agreementId)), "closingAt");
        return closingAt == null ? Optional.empty() : Optional.of(Instant.parse(closingAt));
    }

    /** claimedAt is kept at one width (milliseconds), so the lease condition compares instants as strings. */
    private boolean conditionalUpdate(String agreementId, YearMonth period, String update, String condition,
                                      Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        if (update.contains("#error")) {
            names.put("#error", "error");
        }
        try {
            Table.guard(() -> table.dynamo.updateItem(b -> b.tableName(table.name)
                    .key(Table.statement(agreementId, period))
                    .updateExpression(update).conditionExpression(condition + " AND attribute_exists(pk)")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
