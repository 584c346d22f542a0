package dev.revshare.store;

import dev.revshare.testing.LocalDynamoDb;

/** The DynamoDB repository keeps the statement store's contract, on DynamoDB Local. */
class DynamoDbStatementStoreTest extends StatementStoreContract {
    @Override
    StatementStore freshStore() {
        return LocalDynamoDb.newStore().statements();
    }
}
