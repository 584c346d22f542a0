package dev.revshare.testing;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.revshare.aws.DynamoDbStores;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in-process, one per test JVM (telemetry off; shut down when the JVM exits). Each
 * test gets its own table, so tests never see each other's items.
 */
public final class LocalDynamoDb {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static AmazonDynamoDBLocal local;

    private LocalDynamoDb() {}

    public static synchronized DynamoDbClient client() {
        if (local == null) {
            local = DynamoDBEmbedded.create(true);
            Runtime.getRuntime().addShutdownHook(new Thread(local::shutdown));
        }
        return local.dynamoDbClient();
    }

    /** A new, empty table laid out as template.yaml declares it. */
    public static String newTable() {
        String table = "revshare-test-" + TABLES.incrementAndGet();
        DynamoDbStores.createdOver(client(), table);
        return table;
    }

    public static DynamoDbStores newStore() {
        return DynamoDbStores.over(client(), newTable());
    }
}
