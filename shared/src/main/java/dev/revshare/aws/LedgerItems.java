package dev.revshare.aws;

import static dev.revshare.aws.Table.n;
import static dev.revshare.aws.Table.s;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A ledger line as a DynamoDB item in its agreement-month partition, and back. */
final class LedgerItems {
    private LedgerItems() {}

    static Map<String, AttributeValue> key(LedgerLine line) {
        return Table.key(Table.ledgerPk(line.agreementId(), line.recordedAt()), Table.ledgerSk(line.recordedAt(), line.lineId()));
    }

    static Map<String, AttributeValue> item(LedgerLine line) {
        Map<String, AttributeValue> item = new HashMap<>(key(line));
        item.put("agreementId", s(line.agreementId()));
        item.put("lineId", s(line.lineId()));
        item.put("stripeId", s(line.stripeId()));
        item.put("type", s(line.type().name()));
        item.put("amount", n(line.amount()));
        item.put("currency", s(line.currency()));
        item.put("occurredAt", s(line.occurredAt().toString()));
        item.put("saleOccurredAt", s(line.saleOccurredAt().toString()));
        item.put("recordedAt", s(Table.MILLIS.format(line.recordedAt())));
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

    static LedgerLine line(Map<String, AttributeValue> item) {
        return new LedgerLine(Table.text(item, "agreementId"), Table.text(item, "lineId"), Table.text(item, "stripeId"),
                LineType.valueOf(Table.text(item, "type")), Long.parseLong(item.get("amount").n()), Table.text(item, "currency"),
                Instant.parse(Table.text(item, "occurredAt")), Instant.parse(Table.text(item, "saleOccurredAt")),
                Instant.parse(Table.text(item, "recordedAt")), Table.text(item, "category"), Table.text(item, "customer"),
                Table.text(item, "eventId"), item.containsKey("saleId") ? Table.text(item, "saleId") : Table.text(item, "lineId"));
    }
}
