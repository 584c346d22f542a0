package dev.revshare.aws;

import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import dev.revshare.store.AgreementStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Applied agreements, one item each. */
final class DynamoDbAgreements implements AgreementStore {
    private final Table table;

    DynamoDbAgreements(Table table) {
        this.table = table;
    }

    @Override
    public void put(Agreement agreement, Instant appliedAt) {
        Table.guard(() -> table.dynamo().updateItem(b -> b.tableName(table.name).key(Table.agreement(agreement.id()))
                .updateExpression("SET body = :body, appliedAt = :now, firstAppliedAt = if_not_exists(firstAppliedAt, :now)")
                .expressionAttributeValues(Map.of(":body", Table.s(Json.write(agreement)), ":now", Table.s(appliedAt.toString())))));
    }

    @Override
    public Optional<Agreement> find(String agreementId) {
        Map<String, AttributeValue> item = table.get(Table.agreement(agreementId));
        return item.isEmpty() ? Optional.empty() : Optional.of(Json.read(Table.text(item, "body"), Agreement.class));
    }

    @Override
    public List<Agreement> all() {
        List<Agreement> agreements = new ArrayList<>();
        table.queryAll(Table.agreementsPk(), null, null, item -> agreements.add(Json.read(Table.text(item, "body"), Agreement.class)));
        return agreements;
    }

    @Override
    public Optional<Instant> firstAppliedAt(String agreementId) {
        Map<String, AttributeValue> item = table.get(Table.agreement(agreementId));
        return item.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(Table.text(item, "firstAppliedAt")));
    }
}
