package dev.revshare.signoff;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.testing.LocalDynamoDb;

/** The DynamoDB repository keeps the sign-off store's contract, on DynamoDB Local. */
class DynamoDbSignOffStoreTest extends SignOffStoreContract {
    @Override
    SignOffStore freshStore() {
        return DynamoDbStores.signOffsOver(LocalDynamoDb::client, LocalDynamoDb.newTable());
    }
}
