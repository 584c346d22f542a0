package dev.revshare.aws;

import static dev.revshare.aws.Table.n;
import static dev.revshare.aws.Table.s;

import dev.revshare.domain.Payout;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Statements and their sending state. A statement is stored as a header item (everything but its lines, and
 * the sending state, which every move changes by a conditional write) and its lines in chunks of at most
 * {@value #CHUNK_BYTES} bytes of JSON, so that no item comes near DynamoDB's 400 KB limit at any size.
 *
 * <p>The order of writes makes a stopped run harmless: the chunks first, under a {@code linesId} new to this
 * write; then the header, which names that id, created only if the month has none, in one transaction with the
 * statement's unfinished mark ({@code UNFINISHED#yyyy-MM}, removed in one transaction with its announcement), so
 * that what is left to send is one small Query, never a read of the months that went out. A reader sees a
 * statement only through its header, so never one without its lines. A run stopped among the chunks leaves
 * chunks no header names: the next run writes the statement again under a new id, and the run that creates
 * the header deletes every other chunk of the month. Two runs at once write under different ids, so one
 * statement's header never meets the other's lines; the run that loses the header deletes its own chunks.
 */
final class DynamoDbStatements implements StatementStore {
    /** Lines go into chunks of at most this much JSON (UTF-8): well inside the 400 KB item limit. */
    static final int CHUNK_BYTES = 300_000;
    /** The message id each party's copy went out under (a header attribute each). */
    private static final String EXPERT_MESSAGE = "expertMessageId";
    private static final String PARTNER_MESSAGE = "partnerMessageId";

    private final Table table;

    DynamoDbStatements(Table table) {
        this.table = table;
    }

    @Override
    public Optional<StoredStatement> find(String agreementId, YearMonth period) {
        Map<String, AttributeValue> header = table.get(Table.statement(agreementId, period));
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Statement statement = Json.read(Table.text(header, "body"), Statement.class);
        String linesId = Table.text(header, "linesId");
        if (linesId != null) { // statements stored before lines were chunked carry them in the body
            statement = statement.withLines(readLines(agreementId, period, linesId,
                    Integer.parseInt(header.get("chunks").n()), Integer.parseInt(header.get("lineCount").n())));
        }
        return Optional.of(stored(header, statement));
    }

    @Override
    public Optional<StoredStatement> findWithoutLines(String agreementId, YearMonth period) {
        Map<String, AttributeValue> header = table.get(Table.statement(agreementId, period));
        if (header.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(stored(header, Json.read(Table.text(header, "body"), Statement.class).withLines(List.of())));
    }

    @Override
    public List<StoredStatement> unfinished(String agreementId) {
        List<YearMonth> months = new ArrayList<>();
        String prefix = Table.UNFINISHED_PREFIX;
        table.queryAll(Table.statementsPk(agreementId), prefix, prefix + "\uffff",
                item -> months.add(YearMonth.parse(Table.text(item, Table.SK).substring(prefix.length()))));
        List<StoredStatement> unfinished = new ArrayList<>();
        for (YearMonth month : months) {
            // the mark and its header change in one transaction: a header is always there, and never finished
            findWithoutLines(agreementId, month).ifPresent(unfinished::add);
        }
        return unfinished;
    }

    @Override
    public Optional<StoredStatement> latestAfter(String agreementId, YearMonth month) {
        Map<String, AttributeValue> startKey = null;
        do {
            // newest first; the chunks of a month sort after its header, so the first header met is the latest
            QueryRequest.Builder request = QueryRequest.builder().tableName(table.name).consistentRead(true)
                    .scanIndexForward(false).limit(Table.PAGE_SIZE).projectionExpression("sk")
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", s(Table.statementsPk(agreementId)),
                            ":from", s(month.plusMonths(1).toString()), ":to", s(Table.AFTER_EVERY_MONTH)));
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = Table.guard(() -> table.dynamo().query(request.build()));
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = Table.text(item, Table.SK);
                if (!sk.contains("#")) {
                    return findWithoutLines(agreementId, YearMonth.parse(sk));
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return Optional.empty();
    }

    private static StoredStatement stored(Map<String, AttributeValue> header, Statement statement) {
        return new StoredStatement(statement, Status.valueOf(Table.text(header, "status")), messages(header),
                header.containsKey("sentAt") ? Instant.parse(Table.text(header, "sentAt")) : null,
                header.containsKey("attempts") ? Integer.parseInt(header.get("attempts").n()) : 0,
                Table.text(header, "error"), header.containsKey("announcedAt"),
                entries(header, "deliveries").stream().map(d -> new Delivery(Table.text(d, "eventId"), Table.text(d, "messageId"),
                        DeliveryOutcome.valueOf(Table.text(d, "outcome")), Instant.parse(Table.text(d, "at")), texts(d, "recipients"))).toList(),
                entries(header, "resends").stream().map(r -> new Resend(Table.text(r, "messageId"),
                        r.containsKey("side") ? Side.valueOf(Table.text(r, "side")) : null, texts(r, "to"),
                        Table.text(r, "by"), Instant.parse(Table.text(r, "at")))).toList());
    }

    /**
     * Each party's message id; a statement sent before each party had a message of its own has one {@code messageId},
     * the message both parties got.
     */
    private static SentMessages messages(Map<String, AttributeValue> header) {
        String both = Table.text(header, "messageId");
        return new SentMessages(header.containsKey(EXPERT_MESSAGE) ? Table.text(header, EXPERT_MESSAGE) : both,
                header.containsKey(PARTNER_MESSAGE) ? Table.text(header, PARTNER_MESSAGE) : both);
    }

    private static String messageAttribute(Side side) {
        return side == Side.EXPERT ? EXPERT_MESSAGE : PARTNER_MESSAGE;
    }

    private static List<Map<String, AttributeValue>> entries(Map<String, AttributeValue> item, String attribute) {
        AttributeValue list = item.get(attribute);
        return list == null ? List.of() : list.l().stream().map(AttributeValue::m).toList();
    }

    private static List<String> texts(Map<String, AttributeValue> item, String attribute) {
        AttributeValue list = item.get(attribute);
        return list == null ? List.of() : list.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue textList(List<String> values) {
        return AttributeValue.fromL(values.stream().map(Table::s).toList());
    }

    @Override
    public boolean create(Statement statement) {
        String agreementId = statement.agreementId();
        YearMonth period = statement.period();
        String linesId = UUID.randomUUID().toString();
        List<String> chunks = chunks(statement.lines());
        for (int i = 0; i < chunks.size(); i++) {
            Map<String, AttributeValue> chunk = Table.item(Table.statementLines(agreementId, period, linesId, i),
                    "lines", chunks.get(i));
            Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(chunk)));
        }
        Map<String, AttributeValue> header = Table.item(Table.statement(agreementId, period),
                "body", Json.write(statement.withLines(List.of())), "linesId", linesId, "chunks", chunks.size(),
                "lineCount", statement.lines().size(), "status", Status.COMPUTED.name());
        // the header and its unfinished mark, together or not at all
        TransactWriteItem putHeader = TransactWriteItem.builder().put(Put.builder().tableName(table.name).item(header)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
        TransactWriteItem putMark = TransactWriteItem.builder().put(Put.builder().tableName(table.name)
                .item(Table.unfinishedStatement(agreementId, period)).build()).build();
        try {
            Table.guard(() -> table.dynamo().transactWriteItems(b -> b.transactItems(putHeader, putMark)));
        } catch (TransactionCanceledException e) {
            if (table.get(Table.statement(agreementId, period)).isEmpty()) {
                throw new StoreUnavailableException("DynamoDB did not store statement " + agreementId + " " + period
                        + ": " + e.getMessage(), e);
            }
            // another run stored the month first
            deleteChunks(agreementId, period, sk -> sk.startsWith(Table.statementLinesPrefix(period, linesId)));
            return false;
        }
        // chunks of a run that stopped before its header (or lost it to another run): no header names them
        deleteChunks(agreementId, period, sk -> !sk.startsWith(Table.statementLinesPrefix(period, linesId)));
        return true;
    }

    /** The statement's lines as JSON arrays of at most {@link #CHUNK_BYTES} bytes each, in order; none when it has none. */
    static List<String> chunks(List<Statement.StatementLine> lines) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder("[");
        int bytes = 2;
        for (Statement.StatementLine line : lines) {
            String json = Json.write(line);
            int size = json.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > 2 && bytes + size > CHUNK_BYTES) {
                chunks.add(chunk.append(']').toString());
                chunk = new StringBuilder("[");
                bytes = 2;
            }
            if (bytes > 2) {
                chunk.append(',');
            }
            chunk.append(json);
            bytes += size;
        }
        if (bytes > 2) {
            chunks.add(chunk.append(']').toString());
        }
        return chunks;
    }

    /** The lines of the chunks, in order. */
    static List<Statement.StatementLine> lines(List<String> chunks) {
        List<Statement.StatementLine> lines = new ArrayList<>();
        for (String chunk : chunks) {
            lines.addAll(List.of(Json.read(chunk, Statement.StatementLine[].class)));
        }
        return lines;
    }

    private List<Statement.StatementLine> readLines(String agreementId, YearMonth period, String linesId, int chunkCount,
                                                    int lineCount) {
        String prefix = Table.statementLinesPrefix(period, linesId);
        List<String> chunks = new ArrayList<>();
        table.queryAll(Table.statementsPk(agreementId), prefix, prefix + "\uffff", item -> chunks.add(Table.text(item, "lines")));
        List<Statement.StatementLine> lines = lines(chunks);
        if (chunks.size() != chunkCount || lines.size() != lineCount) {
            throw new IllegalStateException("statement " + agreementId + " " + period + " has " + lines.size() + " lines in "
                    + chunks.size() + " chunks stored, not the " + lineCount + " in " + chunkCount + " its header names");
        }
        return lines;
    }

    /** Deletes the month's chunks of lines whose sort key passes {@code which}; reads their keys only. */
    private void deleteChunks(String agreementId, YearMonth period, Predicate<String> which) {
        String pk = Table.statementsPk(agreementId);
        String prefix = Table.statementLinesPrefix(period);
        Map<String, AttributeValue> startKey = null;
        List<String> doomed = new ArrayList<>();
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table.name).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)").projectionExpression("sk")
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(prefix)));
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = Table.guard(() -> table.dynamo().query(request.build()));
            page.items().stream().map(item -> Table.text(item, "sk")).filter(which).forEach(doomed::add);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        for (String sk : doomed) {
            Table.guard(() -> table.dynamo().deleteItem(b -> b.tableName(table.name).key(Table.key(pk, sk))));
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
    public boolean markPartySent(String agreementId, YearMonth period, String claimId, Side side, String messageId) {
        noteMessage(agreementId, period, messageId);
        return conditionalUpdate(agreementId, period, "SET " + messageAttribute(side) + " = :id",
                "#status = :sending AND claimId = :claim",
                Map.of(":id", s(messageId), ":sending", s(Status.SENDING.name()), ":claim", s(claimId)));
    }

    @Override
    public boolean markSent(String agreementId, YearMonth period, String claimId, Instant sentAt) {
        return conditionalUpdate(agreementId, period, "SET #status = :sent, sentAt = :at REMOVE #error",
                "#status = :sending AND claimId = :claim",
                Map.of(":sent", s(Status.SENT.name()), ":at", s(sentAt.toString()),
                        ":sending", s(Status.SENDING.name()), ":claim", s(claimId)));
    }

    /** The statement the message went out for; written before the statement names it, so never missing then. */
    private void noteMessage(String agreementId, YearMonth period, String messageId) {
        Map<String, AttributeValue> item = Table.item(Table.message(messageId), "agreementId", agreementId,
                "period", period.toString());
        Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(item)));
    }

    @Override
    public DeliveryRecording recordDelivery(Delivery delivery) {
        Map<String, AttributeValue> message = table.get(Table.message(delivery.messageId()));
        if (message.isEmpty()) {
            return DeliveryRecording.UNKNOWN_MESSAGE;
        }
        AttributeValue entry = AttributeValue.fromM(Map.of("eventId", s(delivery.eventId()), "messageId", s(delivery.messageId()),
                "outcome", s(delivery.outcome().name()), "at", s(delivery.at().toString()),
                "recipients", textList(delivery.recipients())));
        try {
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name)
                    .key(Table.statement(Table.text(message, "agreementId"), YearMonth.parse(Table.text(message, "period"))))
                    .updateExpression("SET deliveries = list_append(if_not_exists(deliveries, :none), :entry) ADD deliveryEvents :events")
                    .conditionExpression("attribute_exists(pk) AND NOT contains(deliveryEvents, :event)")
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()), ":entry", AttributeValue.fromL(List.of(entry)),
                            ":events", AttributeValue.fromSs(List.of(delivery.eventId())), ":event", s(delivery.eventId())))));
            return DeliveryRecording.RECORDED;
        } catch (ConditionalCheckFailedException e) {
            return DeliveryRecording.DUPLICATE;
        }
    }

    @Override
    public boolean recordResend(String agreementId, YearMonth period, Resend resend) {
        noteMessage(agreementId, period, resend.messageId());
        AttributeValue entry = AttributeValue.fromM(Map.of("messageId", s(resend.messageId()), "side", s(resend.side().name()),
                "to", textList(resend.to()),
                "by", s(resend.by()), "at", s(resend.at().toString())));
        return conditionalUpdate(agreementId, period, "SET resends = list_append(if_not_exists(resends, :none), :entry)",
                "#status = :sent", Map.of(":none", AttributeValue.fromL(List.of()), ":entry", AttributeValue.fromL(List.of(entry)),
                        ":sent", s(Status.SENT.name())));
    }

    @Override
    public boolean markAnnounced(String agreementId, YearMonth period, Instant announcedAt) {
        // finished: the note and the removal of its unfinished mark in one transaction
        TransactWriteItem note = TransactWriteItem.builder().update(Update.builder().tableName(table.name)
                .key(Table.statement(agreementId, period)).updateExpression("SET announcedAt = :at")
                .conditionExpression("#status = :sent AND attribute_not_exists(announcedAt) AND attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":at", s(announcedAt.toString()), ":sent", s(Status.SENT.name())))
                .build()).build();
        TransactWriteItem unmark = TransactWriteItem.builder().delete(Delete.builder().tableName(table.name)
                .key(Table.unfinishedStatement(agreementId, period)).build()).build();
        try {
            Table.guard(() -> table.dynamo().transactWriteItems(b -> b.transactItems(note, unmark)));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().isEmpty() || !"ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                throw new StoreUnavailableException("DynamoDB did not note statement " + agreementId + " " + period
                        + " as announced: " + e.getMessage(), e);
            }
            return false;
        }
    }

    @Override
    public boolean markFailed(String agreementId, YearMonth period, String claimId, String error, Instant failedAt) {
        return conditionalUpdate(agreementId, period, "SET #status = :failed, #error = :error, failedAt = :at",
                "#status = :sending AND claimId = :claim",
                Map.of(":failed", s(Status.FAILED.name()), ":error", s(error == null ? "unknown error" : error),
                        ":at", s(failedAt.toString()), ":sending", s(Status.SENDING.name()), ":claim", s(claimId)));
    }

    @Override
    public void storeReconciliation(String agreementId, YearMonth month, Statement.Reconciliation proof) {
        Map<String, AttributeValue> item = Table.item(Table.reconciliation(agreementId, month), "body", Json.write(proof));
        Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(item)));
    }

    @Override
    public Optional<Statement.Reconciliation> reconciliation(String agreementId, YearMonth month) {
        String body = Table.text(table.get(Table.reconciliation(agreementId, month)), "body");
        return body == null ? Optional.empty() : Optional.of(Json.read(body, Statement.Reconciliation.class));
    }

    @Override
    public List<Payout> payouts(String agreementId) {
        List<Payout> payouts = new ArrayList<>();
        table.queryAll(Table.statementsPk(agreementId), Table.PAYOUT_PREFIX, Table.PAYOUT_PREFIX + "\uffff",
                item -> payouts.add(Json.read(Table.text(item, "body"), Payout.class)));
        return payouts;
    }

    @Override
    public boolean recordPayout(Payout payout) {
        Map<String, AttributeValue> item = Table.item(Table.payout(payout.agreementId(), payout.period(), payout.number()),
                "body", Json.write(payout), "status", payout.status().name());
        try {
            Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(item)
                    .conditionExpression("attribute_not_exists(pk)")));
            return true;
        } catch (ConditionalCheckFailedException numberTaken) {
            return false;
        }
    }

    @Override
    public boolean settlePayout(Payout settled) {
        Map<String, AttributeValue> item = Table.item(Table.payout(settled.agreementId(), settled.period(), settled.number()),
                "body", Json.write(settled), "status", settled.status().name());
        try {
            Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(item)
                    .conditionExpression("#status = :submitted")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":submitted", s(Payout.Status.SUBMITTED.name())))));
            return true;
        } catch (ConditionalCheckFailedException notSubmitted) {
            return false;
        }
    }

    @Override
    public void beginClosing(String agreementId, Instant closedAt) {
        try {
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name).key(Table.closing(agreementId))
                    .updateExpression("SET closingAt = :at")
                    .conditionExpression("attribute_not_exists(closingAt) OR closingAt < :at")
                    .expressionAttributeValues(Map.of(":at", s(Table.MILLIS.format(closedAt))))));
        } catch (ConditionalCheckFailedException laterAlready) {
            // a later close was noted first: it covers this one
        }
    }

    @Override
    public Optional<Instant> nothingLateUntil(String agreementId) {
        String until = Table.text(table.get(Table.nothingLate(agreementId)), "until");
        return until == null ? Optional.empty() : Optional.of(Instant.parse(until));
    }

    @Override
    public void noteNothingLateUntil(String agreementId, Instant until) {
        try {
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name).key(Table.nothingLate(agreementId))
                    .updateExpression("SET #until = :until")
                    .conditionExpression("attribute_not_exists(#until) OR #until < :until")
                    .expressionAttributeNames(Map.of("#until", "until"))
                    .expressionAttributeValues(Map.of(":until", s(Table.MILLIS.format(until))))));
        } catch (ConditionalCheckFailedException laterAlready) {
            // a later time was noted first: it covers this one
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
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name)
                    .key(Table.statement(agreementId, period))
                    .updateExpression(update).conditionExpression(condition + " AND attribute_exists(pk)")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
