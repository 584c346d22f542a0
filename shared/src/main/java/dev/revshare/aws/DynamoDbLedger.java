package dev.revshare.aws;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.json.Json;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reading the ledger: lines by recording time, partition by partition (one per agreement-month, so
 * closing a month reads only that agreement's recent lines), the parties' review resolutions, and the
 * events set aside for a person.
 */
final class DynamoDbLedger implements LedgerStore {
    private final Table table;

    DynamoDbLedger(Table table) {
        this.table = table;
    }

    @Override
    public List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to) {
        List<LedgerLine> lines = new ArrayList<>();
        YearMonth last = YearMonth.from(to.atZone(ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(from.atZone(ZoneOffset.UTC)); !month.isAfter(last); month = month.plusMonths(1)) {
            table.queryAll(Table.ledgerPk(agreementId, month), Table.MILLIS.format(from), Table.MILLIS.format(to) + "#\uffff",
                    item -> lines.add(LedgerItems.line(item)));
        }
        return lines;
    }

    @Override
    public void resolve(ReviewResolution resolution) {
        Table.guard(() -> table.dynamo().putItem(b -> b.tableName(table.name).item(Table.item(
                Table.key(Table.resolutionsPk(resolution.agreementId()), resolution.saleId()), "body", Json.write(resolution)))));
    }

    @Override
    public List<ReviewResolution> resolutions(String agreementId) {
        List<ReviewResolution> resolutions = new ArrayList<>();
        table.queryAll(Table.resolutionsPk(agreementId), null, null,
                item -> resolutions.add(Json.read(Table.text(item, "body"), ReviewResolution.class)));
        return resolutions;
    }

    @Override
    public List<SetAsideEvent> setAside() {
        List<SetAsideEvent> events = new ArrayList<>();
        table.queryAll(Table.setAsidePk(), null, null, item -> events.add(Json.read(Table.text(item, "body"), SetAsideEvent.class)));
        events.sort(Comparator.comparing(SetAsideEvent::receivedAt));
        return events;
    }

    @Override
    public List<WaitingPayment> waiting(String agreementId) {
        List<WaitingPayment> waiting = new ArrayList<>();
        table.queryAll(Table.waitingPk(agreementId), null, null, item -> waiting.add(
                new WaitingPayment(agreementId, Table.text(item, Table.SK), Instant.parse(Table.text(item, "since")))));
        waiting.sort(Comparator.comparing(WaitingPayment::since));
        return waiting;
    }
}
