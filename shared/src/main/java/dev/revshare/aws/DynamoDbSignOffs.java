package dev.revshare.aws;

import dev.revshare.json.Json;
import dev.revshare.signoff.Acknowledgement;
import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffStore;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Sign-offs in their own items ({@code SIGNOFF#{agreementId}}), never in a statement's: an acknowledgement per party
 * and month, an objection per id with its resolution beside it. Each write is conditional, so it happens once.
 */
final class DynamoDbSignOffs implements SignOffStore {
    private static final String OBJECTION = "#OBJECTION#";
    private static final String ACK = "#ACK#";

    private final Table table;

    DynamoDbSignOffs(Table table) {
        this.table = table;
    }

    @Override
    public boolean acknowledge(Acknowledgement acknowledgement) {
        Map<String, AttributeValue> item = Table.item(Table.acknowledgement(acknowledgement.agreementId(),
                acknowledgement.period(), acknowledgement.side().name()), "at", acknowledgement.at().toString());
        return putIfAbsent(item);
    }

    @Override
    public boolean object(Objection objection) {
        Objection open = objection.resolved(null);
        return putIfAbsent(Table.item(Table.objection(objection.agreementId(), objection.period(), objection.id()),
                "body", Json.write(open)));
    }

    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(item)
                    .conditionExpression("attribute_not_exists(pk)")));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public List<Acknowledgement> acknowledgements(String agreementId, YearMonth period) {
        List<Acknowledgement> acknowledgements = new ArrayList<>();
        String prefix = period + ACK;
        table.queryAll(Table.signOffsPk(agreementId), prefix, prefix + "\uffff", item -> acknowledgements.add(
                new Acknowledgement(agreementId, period, Side.valueOf(Table.text(item, Table.SK).substring(prefix.length())),
                        Instant.parse(Table.text(item, "at")))));
        acknowledgements.sort(Comparator.comparing(Acknowledgement::side));
        return acknowledgements;
    }

    @Override
    public List<Objection> objections(String agreementId) {
        List<Objection> objections = new ArrayList<>();
        table.queryAll(Table.signOffsPk(agreementId), null, null, item -> {
            if (Table.text(item, Table.SK).contains(OBJECTION)) {
                objections.add(objection(item));
            }
        });
        objections.sort(Comparator.comparing(Objection::period).thenComparing(Objection::at).thenComparing(Objection::id));
        return objections;
    }

    @Override
    public Optional<Objection> objection(String agreementId, String objectionId) {
        YearMonth period = Objection.periodOf(objectionId);
        if (period == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = table.get(Table.objection(agreementId, period, objectionId));
        return item.isEmpty() ? Optional.empty() : Optional.of(objection(item));
    }

    @Override
    public boolean resolve(String agreementId, String objectionId, Objection.Resolution resolution) {
        YearMonth period = Objection.periodOf(objectionId);
        if (period == null) {
            return false;
        }
        try {
            Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name)
                    .key(Table.objection(agreementId, period, objectionId))
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(resolution)")
                    .updateExpression("SET resolution = :resolution")
                    .expressionAttributeValues(Map.of(":resolution", Table.s(Json.write(resolution))))));
            return true;
        } catch (ConditionalCheckFailedException notOpen) {
            return false;
        }
    }

    private static Objection objection(Map<String, AttributeValue> item) {
        Objection objection = Json.read(Table.text(item, "body"), Objection.class);
        String resolution = Table.text(item, "resolution");
        return resolution == null ? objection : objection.resolved(Json.read(resolution, Objection.Resolution.class));
    }
}
