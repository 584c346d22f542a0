package dev.revshare.aws;

import dev.revshare.store.StoreUnavailableException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * revshare's one DynamoDB table: its schema (string keys {@code pk} and {@code sk}, as template.yaml
 * declares it; TemplateSchemaTest holds the two together), the keys of everything in it, and the few
 * ways every repository reads it. The items:
 * <pre>
 * AGREEMENT                      | {agreementId}            an applied agreement
 * EVENT#{eventId}                | RECEIPT                  a Stripe event was handled, and what its delivery did
 * PAYMENT#{agreementId}#{id}     | PAYMENT                  a payment's record under its key, or a link from another of its ids
 * WAITING#{agreementId}          | {paymentKey}             a payment with a refund or dispute and no sale yet
 * LEDGER#{agreementId}#{yyyy-MM} | {recordedAt}#{lineId}    a ledger line, by month of recording (UTC)
 * SET_ASIDE                      | {eventId}                an event kept for a person (unclaimed, unreadable)
 * RESOLUTION#{agreementId}       | {paymentKey}             the parties' resolution of a payment held for review
 * STATEMENT#{agreementId}        | {yyyy-MM}                a statement (all but its lines) and its sending state
 * STATEMENT#{agreementId}        | {yyyy-MM}#LINES#{linesId}#{chunk}   up to ~300 KB of its lines, written before it
 * STATEMENT#{agreementId}        | CLOSING                  when its latest statement began closing (read by booking)
 * STATEMENT#{agreementId}        | UNFINISHED#{yyyy-MM}     the month's statement is stored and not yet sent and announced
 * STATEMENT#{agreementId}        | NOTHING_LATE             after its final statement: lines recorded up to then hold nothing new
 * STATEMENT#{agreementId}        | RECONCILED#{yyyy-MM}     the proof of the month's check against Stripe, for its statement
 * STATEMENT#{agreementId}        | PAYOUT#{yyyy-MM}#{nnn}   a payment to the partner against the month's statement
 * MESSAGE#{messageId}            | MESSAGE                  the statement (agreementId, period) an email went out for, by SES message id
 * SIGNOFF#{agreementId}          | {yyyy-MM}#ACK#{side}     a party acknowledged the month's statement
 * SIGNOFF#{agreementId}          | {yyyy-MM}#OBJECTION#{id} a party's objection to it, and its resolution once settled
 * </pre>
 */
final class Table {
    static final String PK = "pk";
    static final String SK = "sk";
    /** Pages of about a thousand items keep DynamoDB Local fast on large partitions (see PITFALLS). */
    static final int PAGE_SIZE = 1000;
    /** Fixed width, so that a sort key orders by time. */
    static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Supplier<DynamoDbClient> dynamo;
    final String name;

    /** @param dynamo gives the client when a repository first reads or writes (AwsClients builds it then) */
    Table(Supplier<DynamoDbClient> dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    DynamoDbClient dynamo() {
        return dynamo.get();
    }

    /**
     * The schema template.yaml declares; created here for local runs and tests. A class of its own, so that
     * the functions, which never create the table, don't build its SDK objects when they start.
     */
    static final class Schema {
        static final List<AttributeDefinition> ATTRIBUTES = List.of(
                AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build());
        static final List<KeySchemaElement> KEY_SCHEMA = List.of(
                KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build());

        private Schema() {}
    }

    void createIfMissing() {
        try {
            dynamo().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(Schema.ATTRIBUTES).keySchema(Schema.KEY_SCHEMA));
        } catch (ResourceInUseException alreadyThere) {
            // applied before: nothing to do
        }
    }

    // ------------------------------------------------------------------ keys

    static Map<String, AttributeValue> agreement(String agreementId) {
        return key("AGREEMENT", agreementId);
    }

    static String agreementsPk() {
        return "AGREEMENT";
    }

    static Map<String, AttributeValue> receipt(String eventId) {
        return key("EVENT#" + eventId, "RECEIPT");
    }

    static Map<String, AttributeValue> payment(String agreementId, String paymentId) {
        return key("PAYMENT#" + agreementId + "#" + paymentId, "PAYMENT");
    }

    static String waitingPk(String agreementId) {
        return "WAITING#" + agreementId;
    }

    static Map<String, AttributeValue> waiting(String agreementId, String paymentKey) {
        return key(waitingPk(agreementId), paymentKey);
    }

    static String ledgerPk(String agreementId, YearMonth recordedInUtc) {
        return "LEDGER#" + agreementId + "#" + recordedInUtc;
    }

    static String ledgerPk(String agreementId, Instant recordedAt) {
        return ledgerPk(agreementId, YearMonth.from(recordedAt.atZone(ZoneOffset.UTC)));
    }

    static String ledgerSk(Instant recordedAt, String lineId) {
        return MILLIS.format(recordedAt) + "#" + lineId;
    }

    static String setAsidePk() {
        return "SET_ASIDE";
    }

    static String resolutionsPk(String agreementId) {
        return "RESOLUTION#" + agreementId;
    }

    static String statementsPk(String agreementId) {
        return "STATEMENT#" + agreementId;
    }

    static Map<String, AttributeValue> closing(String agreementId) {
        return key(statementsPk(agreementId), "CLOSING");
    }

    static Map<String, AttributeValue> statement(String agreementId, YearMonth period) {
        return key(statementsPk(agreementId), period.toString());
    }

    /**
     * A statement's mark while it is unfinished: written with its header, deleted with its announcement (each in one
     * transaction), so that one Query of the prefix finds what is left to send, however many months went out.
     */
    static Map<String, AttributeValue> unfinishedStatement(String agreementId, YearMonth period) {
        return key(statementsPk(agreementId), UNFINISHED_PREFIX + period);
    }

    static final String UNFINISHED_PREFIX = "UNFINISHED#";

    static Map<String, AttributeValue> nothingLate(String agreementId) {
        return key(statementsPk(agreementId), "NOTHING_LATE");
    }

    /** The proof of a month's reconciliation with Stripe: sorts after every month, so no read of statements meets it. */
    static Map<String, AttributeValue> reconciliation(String agreementId, YearMonth month) {
        return key(statementsPk(agreementId), "RECONCILED#" + month);
    }

    /** A payout against the month's statement: sorts after every month, so no read of statements meets it. */
    static Map<String, AttributeValue> payout(String agreementId, YearMonth month, int number) {
        return key(statementsPk(agreementId), PAYOUT_PREFIX + month + "#" + String.format("%03d", number));
    }

    static final String PAYOUT_PREFIX = "PAYOUT#";

    /** Above every month's header and chunks ("yyyy-MM", "yyyy-MM#LINES#..."), below CLOSING and UNFINISHED#. */
    static final String AFTER_EVERY_MONTH = "9999-12\uffff";

    /** The sort keys of every chunk of lines ever written for the month's statement start with this. */
    static String statementLinesPrefix(YearMonth period) {
        return period + "#LINES#";
    }

    /** The sort keys of one write's chunks of lines start with this; the statement names its {@code linesId}. */
    static String statementLinesPrefix(YearMonth period, String linesId) {
        return statementLinesPrefix(period) + linesId + "#";
    }

    /** Chunk numbers of fixed width, so that the chunks sort in the order of the lines. */
    static Map<String, AttributeValue> statementLines(String agreementId, YearMonth period, String linesId, int chunk) {
        return key(statementsPk(agreementId), statementLinesPrefix(period, linesId) + String.format("%05d", chunk));
    }

    /** The statement an email went out for, by the message id SES gave it (SES names it in bounces and deliveries). */
    static Map<String, AttributeValue> message(String messageId) {
        return key("MESSAGE#" + messageId, "MESSAGE");
    }

    /**
     * A page link's request count in one window: under the SHA-256 of the link, never the link itself (it opens a
     * party's page), and the window's start in epoch seconds.
     */
    static Map<String, AttributeValue> requestCount(String linkDigest, long windowStart) {
        return key("RATE#" + linkDigest, Long.toString(windowStart));
    }

    static String signOffsPk(String agreementId) {
        return "SIGNOFF#" + agreementId;
    }

    static Map<String, AttributeValue> acknowledgement(String agreementId, YearMonth period, String side) {
        return key(signOffsPk(agreementId), period + "#ACK#" + side);
    }

    static Map<String, AttributeValue> objection(String agreementId, YearMonth period, String objectionId) {
        return key(signOffsPk(agreementId), period + "#OBJECTION#" + objectionId);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static Map<String, AttributeValue> item(Map<String, AttributeValue> key, Object... namesAndValues) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                item.put((String) namesAndValues[i], value instanceof AttributeValue v ? v
                        : value instanceof Number number ? n(number.longValue()) : s(value.toString()));
            }
        }
        return item;
    }

    // ------------------------------------------------------------------ reads

    Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = guard(() -> dynamo().getItem(b -> b.tableName(name).key(key).consistentRead(true)).item());
        return item == null ? Map.of() : item;
    }

    /** Every item of the partition (between two sort keys, inclusive, when given), page by page. */
    void queryAll(String pk, String skFrom, String skTo, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(name).limit(PAGE_SIZE).consistentRead(true);
            if (skFrom == null) {
                request.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
            } else {
                request.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":from", s(skFrom), ":to", s(skTo)));
            }
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = guard(() -> dynamo().query(request.build()));
            page.items().forEach(each);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
    }

    /**
     * Conditional failures are answers and pass through; a request DynamoDB finds invalid is a bug in
     * revshare, not an outage; anything else from DynamoDB means "try again later".
     */
    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException answered) {
            throw answered;
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
                throw new IllegalStateException("DynamoDB refused a request revshare built: " + e.getMessage(), e);
            }
            throw new StoreUnavailableException("DynamoDB call failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB call failed: " + e.getMessage(), e);
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String text(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }
}
