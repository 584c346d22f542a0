package dev.revshare.aws;

import dev.revshare.domain.LedgerLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The benchmarks' fast set-up: ledger lines written as the ledger store's own items ({@link LedgerItems}, hence this
 * package), 25 to a BatchWriteItem, without the receipts and transactions of the booking path, which closing a month
 * never reads. Set-up only: nothing here is timed, and the product never writes this way.
 */
public final class LedgerSeeding {
    private static final int BATCH = 25;

    private LedgerSeeding() {}

    public static void write(DynamoDbClient dynamo, String table, List<LedgerLine> lines) {
        for (int from = 0; from < lines.size(); from += BATCH) {
            List<WriteRequest> writes = new ArrayList<>();
            for (LedgerLine line : lines.subList(from, Math.min(from + BATCH, lines.size()))) {
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(LedgerItems.item(line)).build()).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table, writes);
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 10) {
                    throw new IllegalStateException("DynamoDB left " + pending.get(table).size() + " ledger items unwritten");
                }
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
                pending = response.unprocessedItems();
            }
        }
    }
}
