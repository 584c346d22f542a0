package dev.revshare.aws;

import dev.revshare.ingest.BookingStore;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** revshare's repositories, all over the one table: agreements, bookings and the ledger, statements. */
public record DynamoDbStores(AgreementStore agreements, BookingStore bookings, LedgerStore ledger,
                             StatementStore statements, String tableName) {

    public static DynamoDbStores over(DynamoDbClient dynamo, String tableName) {
        return over(() -> dynamo, tableName);
    }

    /** The functions': the client is asked for (and so built) on the first read or write, not before. */
    public static DynamoDbStores over(Supplier<DynamoDbClient> dynamo, String tableName) {
        Table table = new Table(dynamo, tableName);
        DynamoDbStatements statements = new DynamoDbStatements(table);
        return new DynamoDbStores(new DynamoDbAgreements(table), new DynamoDbBookings(table, statements),
                new DynamoDbLedger(table), statements, tableName);
    }

    /** The parties' sign-offs of statements, on the same table (kept apart from the statements, which never change). */
    public static SignOffStore signOffsOver(Supplier<DynamoDbClient> dynamo, String tableName) {
        return new DynamoDbSignOffs(new Table(dynamo, tableName));
    }

    /** Creates the table as template.yaml declares it, unless it exists; for local runs and tests. */
    public static DynamoDbStores createdOver(DynamoDbClient dynamo, String tableName) {
        new Table(() -> dynamo, tableName).createIfMissing();
        return over(dynamo, tableName);
    }
}
