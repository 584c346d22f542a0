package dev.revshare.aws;

import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StoreUnavailableException;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.domain.Statement;
import dev.revshare.store.BookedSale;
import dev.revshare.ingest.RefundState;
import dev.revshare.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * All of revshare's state in one DynamoDB table with string keys {@code pk} and {@code sk}:
 * <pre>
 * AGREEMENT                      | {agreementId}                 the applied agreement (JSON)
 * EVENT#{eventId}                | RECEIPT                       a Stripe event was handled, and how
 * LINE#{agreementId}#{lineId}    | LINE                          a money movement is booked (uniqueness)
 * LEDGER#{agreementId}#{yyyy-MM} | {recordedAt}#{lineId}         the ledger line, by month of recording (UTC)
 * REFUNDED#{agreementId}#{sale}  | STATE                         what is known of a sale's refunds, and booked (versioned)
 * UNCLAIMED                      | {eventId}                     an event no agreement claims, kept for inspection
 * PENDING#{agreementId}#{sale}   | {lineId}                      a movement waiting for its sale (a dispute before its payment)
 * SALE#{agreementId}#{id}        | SALE                          a booked payment under its key (body), its other ids
 *                                                               (aliasOf), or a placeholder a refund or dispute waits on
 * RESOLUTION#{agreementId}       | {saleKey}                     the parties' resolution of a payment held for review
 * STATEMENT#{agreementId}        | {yyyy-MM}                     a statement and its sending state
 * </pre>
 * Ledger partitions are one agreement-month each, so closing a month reads only that agreement's
 * recent lines, in pages of {@value #PAGE_SIZE}.
 */
public final class DynamoDbStore implements AgreementStore, LedgerStore, StatementStore {
    static final int PAGE_SIZE = 1000;
    /** Fixed width, so that the sort key orders lines by recording time. */
    private static final DateTimeFormatter RECORDED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Creates the table as template.yaml declares it; for local runs and tests. */
    public void createTableIfMissing() {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        } catch (ResourceInUseException alreadyThere) {
            // applied before: nothing to do
        }
    }

    // ---------------------------------------------------------------- agreements

    @Override
    public void put(Agreement agreement, Instant appliedAt) {
        guard(() -> dynamo.updateItem(b -> b.tableName(table)
                .key(key("AGREEMENT", agreement.id()))
                .updateExpression("SET body = :body, appliedAt = :now, firstAppliedAt = if_not_exists(firstAppliedAt, :now)")
                .expressionAttributeValues(Map.of(
                        ":body", s(Json.write(agreement)),
                        ":now", s(appliedAt.toString())))));
    }

    @Override
    public Optional<Agreement> find(String agreementId) {
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key("AGREEMENT", agreementId)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Json.read(item.get("body").s(), Agreement.class));
    }

    @Override
    public List<Agreement> all() {
        List<Agreement> agreements = new ArrayList<>();
        queryAll("AGREEMENT", null, null, item -> agreements.add(Json.read(item.get("body").s(), Agreement.class)));
        return agreements;
    }

    @Override
    public Optional<Instant> firstAppliedAt(String agreementId) {
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key("AGREEMENT", agreementId)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(item.get("firstAppliedAt").s()));
    }

    // ---------------------------------------------------------------- ledger

    @Override
    public WriteOutcome write(EventReceipt receipt, List<LedgerLine> lines, RefundProgress refundProgress) {
        Put receiptPut = Put.builder().tableName(table).item(receiptItem(receipt))
                .conditionExpression("attribute_not_exists(pk)").build();
        if (lines.isEmpty() && refundProgress == null) {
            try {
                guard(() -> dynamo.putItem(b -> b.tableName(table).item(receiptPut.item())
                        .conditionExpression(receiptPut.conditionExpression())));
                return WriteOutcome.WRITTEN;
            } catch (ConditionalCheckFailedException e) {
                return WriteOutcome.EVENT_ALREADY_HANDLED;
            }
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(receiptPut).build());
        int linesFrom = items.size();
        addLines(items, lines);
        int linesTo = items.size();
        int refundStateAt = -1;
        if (refundProgress != null) {
            Map<String, AttributeValue> state = new HashMap<>(key(
                    "REFUNDED#" + refundProgress.agreementId() + "#" + refundProgress.saleLineId(), "STATE"));
            state.put("body", s(Json.write(refundProgress.next())));
            state.put("version", n(refundProgress.next().version()));
            String condition = refundProgress.expectedVersion() == 0
                    ? "attribute_not_exists(pk)" : "#version = :expected";
            refundStateAt = items.size();
            items.add(TransactWriteItem.builder().put(p -> {
                p.tableName(table).item(state).conditionExpression(condition);
                if (refundProgress.expectedVersion() != 0) {
                    p.expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(Map.of(":expected", n(refundProgress.expectedVersion())));
                }
            }).build());
        }
        try {
            guard(() -> dynamo.transactWriteItems(b -> b.transactItems(items)));
            return WriteOutcome.WRITTEN;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return WriteOutcome.EVENT_ALREADY_HANDLED;
            }
            if (refundStateAt >= 0 && failedCondition(reasons, refundStateAt)) {
                return WriteOutcome.REFUND_TOTAL_MOVED;
            }
            if (anyFailedCondition(reasons, linesFrom, linesTo)) {
                // the same money movement came with another event: keep this event's receipt, book nothing
                EventReceipt duplicate = new EventReceipt(receipt.eventId(), receipt.eventType(), receipt.agreementId(),
                        "duplicate", lines.get(0).lineId() + " already booked by another event", receipt.receivedAt());
                return write(duplicate, List.of(), null) == WriteOutcome.WRITTEN
                        ? WriteOutcome.LINE_ALREADY_RECORDED : WriteOutcome.EVENT_ALREADY_HANDLED;
            }
            throw new StoreUnavailableException("ledger transaction cancelled: " + reasons, e);
        }
    }

    /** Each line: its uniqueness item (conditional) and the line itself, in its agreement-month. */
    private void addLines(List<TransactWriteItem> items, List<LedgerLine> lines) {
        for (LedgerLine line : lines) {
            Map<String, AttributeValue> uniqueness = new HashMap<>(key("LINE#" + line.agreementId() + "#" + line.lineId(), "LINE"));
            uniqueness.put("ledgerKey", s(ledgerPk(line) + "|" + ledgerSk(line)));
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(uniqueness)
                    .conditionExpression("attribute_not_exists(pk)")).build());
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(lineItem(line))).build());
        }
    }

    @Override
    public SaleWrite bookSale(EventReceipt receipt, BookedSale sale, List<LedgerLine> lines) {
        SaleWrite first = tryBookSale(receipt, sale, lines, false);
        return first == null ? tryBookSale(receipt, sale, lines, true) : first;
    }

    /** @return null when a refund or dispute is waiting for the sale: book again, replacing its placeholder */
    private SaleWrite tryBookSale(EventReceipt receipt, BookedSale sale, List<LedgerLine> lines, boolean replaceWaiting) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(receiptItem(receipt))
                .conditionExpression("attribute_not_exists(pk)")).build());
        Map<String, AttributeValue> saleItem = new HashMap<>(key(salePk(sale.agreementId(), sale.saleKey()), "SALE"));
        saleItem.put("body", s(Json.write(sale)));
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(saleItem)
                .conditionExpression(replaceWaiting ? "attribute_exists(waiting)" : "attribute_not_exists(pk)")).build());
        for (String id : sale.ids()) {
            if (!id.equals(sale.saleKey())) {
                Map<String, AttributeValue> alias = new HashMap<>(key(salePk(sale.agreementId(), id), "SALE"));
                alias.put("aliasOf", s(sale.saleKey()));
                items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(alias)
                        .conditionExpression("attribute_not_exists(pk)")).build());
            }
        }
        int salesTo = items.size();
        addLines(items, lines);
        try {
            guard(() -> dynamo.transactWriteItems(b -> b.transactItems(items)));
            return replaceWaiting ? SaleWrite.BOOKED_WHILE_WAITING : SaleWrite.BOOKED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return SaleWrite.EVENT_ALREADY_HANDLED;
            }
            if (!replaceWaiting && failedCondition(reasons, 1) && !anyFailedCondition(reasons, 2, items.size())) {
                Map<String, AttributeValue> existing = getItem(salePk(sale.agreementId(), sale.saleKey()), "SALE");
                if (existing.containsKey("waiting")) {
                    return null;
                }
            }
            if (anyFailedCondition(reasons, 1, items.size())) {
                EventReceipt duplicate = new EventReceipt(receipt.eventId(), receipt.eventType(), receipt.agreementId(),
                        "duplicate", "payment " + sale.saleKey() + " already booked by another event", receipt.receivedAt());
                return write(duplicate, List.of(), null) == WriteOutcome.WRITTEN
                        ? SaleWrite.ALREADY_BOOKED : SaleWrite.EVENT_ALREADY_HANDLED;
            }
            throw new StoreUnavailableException("sale transaction cancelled: " + reasons, e);
        }
    }

    @Override
    public Optional<BookedSale> sale(String agreementId, String anyId) {
        Map<String, AttributeValue> item = getItem(salePk(agreementId, anyId), "SALE");
        if (item.containsKey("aliasOf")) {
            item = getItem(salePk(agreementId, item.get("aliasOf").s()), "SALE");
        }
        return item.containsKey("body") ? Optional.of(Json.read(item.get("body").s(), BookedSale.class)) : Optional.empty();
    }

    @Override
    public void alias(String agreementId, String saleKey, List<String> ids) {
        for (String id : ids) {
            if (id.equals(saleKey)) {
                continue;
            }
            Map<String, AttributeValue> alias = new HashMap<>(key(salePk(agreementId, id), "SALE"));
            alias.put("aliasOf", s(saleKey));
            try {
                guard(() -> dynamo.putItem(b -> b.tableName(table).item(alias).conditionExpression("attribute_not_exists(pk)")));
            } catch (ConditionalCheckFailedException known) {
                // the id is known already
            }
        }
    }

    @Override
    public boolean markWaiting(String agreementId, String saleKey) {
        Map<String, AttributeValue> item = new HashMap<>(key(salePk(agreementId, saleKey), "SALE"));
        item.put("waiting", AttributeValue.fromBool(true));
        try {
            guard(() -> dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(body) AND attribute_not_exists(aliasOf)")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void resolve(ReviewResolution resolution) {
        Map<String, AttributeValue> item = new HashMap<>(key("RESOLUTION#" + resolution.agreementId(), resolution.saleId()));
        item.put("body", s(Json.write(resolution)));
        guard(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<ReviewResolution> resolutions(String agreementId) {
        List<ReviewResolution> resolutions = new ArrayList<>();
        queryAll("RESOLUTION#" + agreementId, null, null,
                item -> resolutions.add(Json.read(item.get("body").s(), ReviewResolution.class)));
        return resolutions;
    }

    private Map<String, AttributeValue> getItem(String pk, String sk) {
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key(pk, sk)).consistentRead(true)).item());
        return item == null ? Map.of() : item;
    }

    private static String salePk(String agreementId, String id) {
        return "SALE#" + agreementId + "#" + id;
    }

    @Override
    public RefundState refundState(String agreementId, String saleLineId) {
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key("REFUNDED#" + agreementId + "#" + saleLineId, "STATE")).consistentRead(true)).item());
        return item == null || item.isEmpty() ? RefundState.NONE : Json.read(item.get("body").s(), RefundState.class);
    }

    @Override
    public boolean bookLine(LedgerLine line) {
        List<TransactWriteItem> items = new ArrayList<>();
        addLines(items, List.of(line));
        try {
            guard(() -> dynamo.transactWriteItems(b -> b.transactItems(items)));
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0)) {
                return false;
            }
            throw new StoreUnavailableException("ledger transaction cancelled: " + e.cancellationReasons(), e);
        }
    }

    @Override
    public void keepPending(String agreementId, String saleLineId, PendingMovement movement) {
        Map<String, AttributeValue> item = new HashMap<>(key("PENDING#" + agreementId + "#" + saleLineId, movement.lineId()));
        item.put("body", s(Json.write(movement)));
        guard(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<PendingMovement> pending(String agreementId, String saleLineId) {
        List<PendingMovement> movements = new ArrayList<>();
        queryAll("PENDING#" + agreementId + "#" + saleLineId, null, null,
                item -> movements.add(Json.read(item.get("body").s(), PendingMovement.class)));
        return movements;
    }

    @Override
    public void dropPending(String agreementId, String saleLineId, String lineId) {
        guard(() -> dynamo.deleteItem(b -> b.tableName(table).key(key("PENDING#" + agreementId + "#" + saleLineId, lineId))));
    }

    @Override
    public Optional<LedgerLine> line(String agreementId, String lineId) {
        Map<String, AttributeValue> booked = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key("LINE#" + agreementId + "#" + lineId, "LINE")).consistentRead(true)).item());
        if (booked == null || booked.isEmpty()) {
            return Optional.empty();
        }
        String[] ledgerKey = booked.get("ledgerKey").s().split("\\|", 2);
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key(ledgerKey[0], ledgerKey[1])).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(lineFrom(item));
    }

    @Override
    public void keepUnclaimed(UnclaimedEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(key("UNCLAIMED", event.eventId()));
        item.put("body", s(Json.write(event)));
        item.put("receivedAt", s(event.receivedAt().toString()));
        guard(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<UnclaimedEvent> unclaimed() {
        List<UnclaimedEvent> events = new ArrayList<>();
        queryAll("UNCLAIMED", null, null, item -> events.add(Json.read(item.get("body").s(), UnclaimedEvent.class)));
        events.sort(java.util.Comparator.comparing(UnclaimedEvent::receivedAt));
        return events;
    }

    @Override
    public List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to) {
        List<LedgerLine> lines = new ArrayList<>();
        YearMonth last = YearMonth.from(to.atZone(ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(from.atZone(ZoneOffset.UTC)); !month.isAfter(last); month = month.plusMonths(1)) {
            String pk = "LEDGER#" + agreementId + "#" + month;
            queryAll(pk, RECORDED.format(from), RECORDED.format(to) + "#\uffff", item -> lines.add(lineFrom(item)));
        }
        return lines;
    }

    // ---------------------------------------------------------------- statements

    @Override
    public Optional<StoredStatement> find(String agreementId, YearMonth period) {
        Map<String, AttributeValue> item = guard(() -> dynamo.getItem(b -> b.tableName(table)
                .key(key("STATEMENT#" + agreementId, period.toString())).consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredStatement(Json.read(item.get("body").s(), Statement.class),
                Status.valueOf(item.get("status").s()),
                item.containsKey("messageId") ? item.get("messageId").s() : null,
                item.containsKey("sentAt") ? Instant.parse(item.get("sentAt").s()) : null,
                item.containsKey("attempts") ? Integer.parseInt(item.get("attempts").n()) : 0,
                item.containsKey("error") ? item.get("error").s() : null, item.containsKey("announcedAt")));
    }

    @Override
    public boolean create(Statement statement) {
        Map<String, AttributeValue> item = new HashMap<>(key("STATEMENT#" + statement.agreementId(), statement.period().toString()));
        item.put("body", s(Json.write(statement)));
        item.put("status", s(Status.COMPUTED.name()));
        try {
            guard(() -> dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
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
                Map.of(":sending", s(Status.SENDING.name()), ":claim", s(claimId), ":now", s(RECORDED.format(now)),
                        ":one", n(1), ":computed", s(Status.COMPUTED.name()), ":failed", s(Status.FAILED.name()),
                        ":expired", s(RECORDED.format(now.minus(lease)))));
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

    /** claimedAt is kept at one width (milliseconds), so the lease condition compares instants as strings. */
    private boolean conditionalUpdate(String agreementId, YearMonth period, String update, String condition,
                                      Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        if (update.contains("#error")) {
            names.put("#error", "error");
        }
        try {
            guard(() -> dynamo.updateItem(b -> b.tableName(table).key(key("STATEMENT#" + agreementId, period.toString()))
                    .updateExpression(update).conditionExpression(condition + " AND attribute_exists(pk)")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- items

    private Map<String, AttributeValue> receiptItem(EventReceipt receipt) {
        Map<String, AttributeValue> item = new HashMap<>(key("EVENT#" + receipt.eventId(), "RECEIPT"));
        item.put("eventType", s(receipt.eventType()));
        item.put("outcome", s(receipt.outcome()));
        item.put("receivedAt", s(receipt.receivedAt().toString()));
        if (receipt.agreementId() != null) {
            item.put("agreementId", s(receipt.agreementId()));
        }
        if (receipt.detail() != null) {
            item.put("detail", s(receipt.detail()));
        }
        return item;
    }

    private static String ledgerPk(LedgerLine line) {
        return "LEDGER#" + line.agreementId() + "#" + YearMonth.from(line.recordedAt().atZone(ZoneOffset.UTC));
    }

    private static String ledgerSk(LedgerLine line) {
        return RECORDED.format(line.recordedAt()) + "#" + line.lineId();
    }

    private static Map<String, AttributeValue> lineItem(LedgerLine line) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(ledgerPk(line)));
        item.put("sk", s(ledgerSk(line)));
        item.put("agreementId", s(line.agreementId()));
        item.put("lineId", s(line.lineId()));
        item.put("stripeId", s(line.stripeId()));
        item.put("type", s(line.type().name()));
        item.put("amount", n(line.amount()));
        item.put("currency", s(line.currency()));
        item.put("occurredAt", s(line.occurredAt().toString()));
        item.put("saleOccurredAt", s(line.saleOccurredAt().toString()));
        item.put("recordedAt", s(RECORDED.format(line.recordedAt())));
        item.put("eventId", s(line.eventId()));
        item.put("saleId", s(line.saleId()));
        if (line.category() != null) {
            item.put("category", s(line.category()));
        }
        if (line.customer() != null) {
            item.put("customer", s(line.customer()));
        }
        return item;
    }

    private static LedgerLine lineFrom(Map<String, AttributeValue> item) {
        return new LedgerLine(item.get("agreementId").s(), item.get("lineId").s(), item.get("stripeId").s(),
                LineType.valueOf(item.get("type").s()), Long.parseLong(item.get("amount").n()), item.get("currency").s(),
                Instant.parse(item.get("occurredAt").s()), Instant.parse(item.get("saleOccurredAt").s()),
                Instant.parse(item.get("recordedAt").s()),
                item.containsKey("category") ? item.get("category").s() : null,
                item.containsKey("customer") ? item.get("customer").s() : null, item.get("eventId").s(),
                item.containsKey("saleId") ? item.get("saleId").s() : item.get("lineId").s());
    }

    /**
     * Hands every item of the key range to {@code each}, page by page: a month's raw items are never all
     * held at once, which matters at 100,000 lines (see benchmarks/).
     */
    private void queryAll(String pk, String skFrom, String skTo, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).limit(PAGE_SIZE).consistentRead(true);
            if (skFrom == null) {
                request.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
            } else {
                request.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":from", s(skFrom), ":to", s(skTo)));
            }
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = guard(() -> dynamo.query(request.build()));
            page.items().forEach(each);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
    }

    /** Conditional failures are answers; anything else from DynamoDB means "try again later". */
    private static <T> T guard(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException expected) {
            throw expected;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB call failed: " + e.getMessage(), e);
        }
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static boolean anyFailedCondition(List<CancellationReason> reasons, int from, int to) {
        for (int i = from; i < to; i++) {
            if (failedCondition(reasons, i)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
