package dev.revshare.aws;

import static dev.revshare.aws.Table.n;
import static dev.revshare.aws.Table.s;

import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventReceipt;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.json.Json;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The booking port on DynamoDB: a payment's record is one item under its key, every other id of the
 * payment an item that links to it; a booking is one transaction whose conditions are the booking's own.
 * It translates and decides nothing: a failed condition, or a transaction another one collided with, is a
 * {@link Written#CONFLICT} for {@code PaymentBook} to read again; anything else is a store failure.
 */
final class DynamoDbBookings implements BookingStore {
    private static final String BODY = "body";
    private static final String VERSION = "version";
    private static final String LINK = "linkTo";
    /** "version" is one of DynamoDB's reserved words: conditions name it through a placeholder */
    private static final String VERSION_NAME = "#version";
    /**
     * The table's TTL attribute (template.yaml: TimeToLiveSpecification), epoch seconds. Only receipts and
     * set-aside events carry it: a receipt is needed while Stripe may deliver its event again (3 days) and
     * a set-aside event while a person may act on it; 400 days covers both and a year's books.
     */
    static final String EXPIRES_AT = "expiresAt";
    static final Duration KEPT_FOR = Duration.ofDays(400);

    private final Table table;
    private final DynamoDbStatements statements;

    DynamoDbBookings(Table table, DynamoDbStatements statements) {
        this.table = table;
        this.statements = statements;
    }

    @Override
    public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
        Map<String, PaymentRecord> records = new LinkedHashMap<>();
        Set<String> ids = new LinkedHashSet<>(anyIds);
        for (int hop = 0; hop < 3 && !ids.isEmpty(); hop++) { // a link names the record itself: one hop, two at a race
            Set<String> targets = new LinkedHashSet<>();
            for (Map<String, AttributeValue> item : batchGet(agreementId, ids)) {
                if (item.containsKey(LINK)) {
                    targets.add(Table.text(item, LINK));
                } else if (item.containsKey(BODY)) {
                    PaymentRecord record = Json.read(Table.text(item, BODY), PaymentRecord.class);
                    records.put(record.key(), record);
                }
            }
            targets.removeAll(records.keySet());
            ids = targets;
        }
        List<PaymentRecord> found = new ArrayList<>(records.values());
        found.sort(Comparator.comparing(PaymentRecord::key));
        return found;
    }

    private List<Map<String, AttributeValue>> batchGet(String agreementId, Set<String> ids) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> request = Map.of(table.name, KeysAndAttributes.builder().consistentRead(true)
                .keys(ids.stream().map(id -> Table.payment(agreementId, id)).toList()).build());
        for (int round = 0; !request.isEmpty(); round++) {
            if (round == 10) {
                throw new StoreUnavailableException("DynamoDB left payment reads unprocessed ten times", null);
            }
            Map<String, KeysAndAttributes> asked = request;
            BatchGetItemResponse response = Table.guard(() -> table.dynamo().batchGetItem(b -> b.requestItems(asked)));
            items.addAll(response.responses().getOrDefault(table.name, List.of()));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    @Override
    public Optional<EventReceipt> receipt(String eventId) {
        Map<String, AttributeValue> item = table.get(Table.receipt(eventId));
        return item.isEmpty() ? Optional.empty() : Optional.of(Json.read(Table.text(item, BODY), EventReceipt.class));
    }

    @Override
    public Written write(Booking booking) {
        List<TransactWriteItem> items = transaction(booking);
        if (items.size() == 1 && items.get(0).put() != null) {
            try { // one item: a conditional put costs half a transaction
                var put = items.get(0).put();
                Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(put.item())
                        .conditionExpression(put.conditionExpression())
                        .expressionAttributeNames(put.expressionAttributeNames().isEmpty() ? null : put.expressionAttributeNames())
                        .expressionAttributeValues(put.expressionAttributeValues().isEmpty() ? null : put.expressionAttributeValues())));
                return Written.WRITTEN;
            } catch (ConditionalCheckFailedException e) {
                return Written.CONFLICT;
            }
        }
        try {
            Table.guard(() -> table.dynamo().transactWriteItems(b -> b.transactItems(items)));
            return Written.WRITTEN;
        } catch (TransactionCanceledException e) {
            if (collided(e.cancellationReasons())) {
                return Written.CONFLICT;
            }
            throw new StoreUnavailableException("booking transaction cancelled: " + e.cancellationReasons(), e);
        }
    }

    private List<TransactWriteItem> transaction(Booking booking) {
        List<TransactWriteItem> items = new ArrayList<>();
        if (booking.receipt() != null) {
            EventReceipt receipt = booking.receipt();
            items.add(put(Table.item(Table.receipt(receipt.eventId()), BODY, Json.write(receipt),
                    "outcome", receipt.outcome().name().toLowerCase(java.util.Locale.ROOT), "agreementId", receipt.agreementId(),
                    EXPIRES_AT, expiresAt(receipt.receivedAt())),
                    "attribute_not_exists(pk)", Map.of()));
        }
        PaymentRecord record = booking.record();
        boolean keyWasRead = false;
        for (PaymentRecord read : booking.expected()) {
            Map<String, AttributeValue> version = Map.of(":version", n(read.version()));
            if (record == null) {
                items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name)
                        .key(Table.payment(read.agreementId(), read.key())).conditionExpression("#version = :version")
                        .expressionAttributeNames(Map.of(VERSION_NAME, VERSION)).expressionAttributeValues(version)).build());
            } else if (read.key().equals(record.key())) {
                keyWasRead = true;
                items.add(put(recordItem(record), "#version = :version", version));
            } else { // absorbed into the record: its key becomes a link
                items.add(put(Table.item(Table.payment(read.agreementId(), read.key()), LINK, record.key()),
                        "#version = :version", version));
                if (read.waitingSince() != null) {
                    items.add(delete(Table.waiting(read.agreementId(), read.key())));
                }
            }
        }
        if (record != null && !keyWasRead) {
            items.add(put(recordItem(record), "attribute_not_exists(pk)", Map.of()));
        }
        if (record != null && !booking.linkIds().isEmpty()) {
            Map<String, AttributeValue> allowed = new HashMap<>(Map.of(":key", s(record.key())));
            StringBuilder targets = new StringBuilder(":key");
            for (int i = 0; i < booking.expected().size(); i++) {
                allowed.put(":read" + i, s(booking.expected().get(i).key()));
                targets.append(", :read").append(i);
            }
            for (String id : booking.linkIds()) {
                items.add(put(Table.item(Table.payment(record.agreementId(), id), LINK, record.key()),
                        "attribute_not_exists(pk) OR linkTo IN (" + targets + ")", allowed));
            }
        }
        for (LedgerLine line : booking.add()) {
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name).item(LedgerItems.item(line))).build());
        }
        for (LedgerLine line : booking.remove()) {
            items.add(delete(LedgerItems.key(line)));
        }
        if (record != null && booking.waiting() != null) {
            Map<String, AttributeValue> waiting = Table.waiting(record.agreementId(), record.key());
            items.add(booking.waiting() ? put(Table.item(waiting, "since", String.valueOf(record.waitingSince())),
                    "attribute_not_exists(pk)", Map.of()) : delete(waiting));
        }
        if (booking.setAside() != null) {
            items.add(put(setAsideItem(booking.setAside()), null, Map.of()));
        }
        if (booking.counted() != null) {
            items.add(closingCheck(booking.counted()));
        }
        return items;
    }

    /** The statements' close the booking was decided against, as a condition on the agreement's closing mark. */
    private TransactWriteItem closingCheck(Booking.Counted counted) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":recorded", s(Table.MILLIS.format(counted.linesRecordedAt()))));
        String condition;
        if (!counted.takesOut()) {
            condition = "attribute_not_exists(closingAt) OR closingAt < :recorded";
        } else if (counted.lastClosedAt() == null) {
            condition = "attribute_not_exists(closingAt)";
            values.clear();
        } else {
            condition = "closingAt = :closed AND closingAt < :recorded";
            values.put(":closed", s(Table.MILLIS.format(counted.lastClosedAt())));
        }
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name)
                .key(Table.closing(counted.agreementId())).conditionExpression(condition)
                .expressionAttributeValues(values.isEmpty() ? null : values)).build();
    }

    @Override
    public void setAside(SetAsideEvent event) {
        Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(setAsideItem(event))));
    }

    @Override
    public Optional<Instant> lastClosedAt(String agreementId) {
        return statements.lastClosedAt(agreementId);
    }

    private Map<String, AttributeValue> recordItem(PaymentRecord record) {
        return Table.item(Table.payment(record.agreementId(), record.key()), BODY, Json.write(record), VERSION, record.version());
    }

    private static Map<String, AttributeValue> setAsideItem(SetAsideEvent event) {
        return Table.item(Table.key(Table.setAsidePk(), event.eventId()), BODY, Json.write(event),
                "receivedAt", event.receivedAt().toString(), EXPIRES_AT, expiresAt(event.receivedAt()));
    }

    private static Long expiresAt(Instant receivedAt) {
        return receivedAt == null ? null : receivedAt.plus(KEPT_FOR).getEpochSecond();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(p -> {
            p.tableName(table.name).item(item);
            if (condition != null) {
                p.conditionExpression(condition);
            }
            if (condition != null && condition.contains(VERSION_NAME)) {
                p.expressionAttributeNames(Map.of(VERSION_NAME, VERSION));
            }
            if (!values.isEmpty()) {
                p.expressionAttributeValues(values);
            }
        }).build();
    }

    private TransactWriteItem delete(Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table.name).key(key)).build();
    }

    /** A failed condition, or a collision with a transaction in flight: another delivery is writing the same payment. */
    private static boolean collided(List<CancellationReason> reasons) {
        return reasons != null && reasons.stream().map(CancellationReason::code)
                .anyMatch(code -> "ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code));
    }
}
