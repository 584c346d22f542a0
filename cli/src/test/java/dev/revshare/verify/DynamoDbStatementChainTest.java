package dev.revshare.verify;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.testing.LocalDynamoDb;

/** The chain and its re-check on the DynamoDB repositories (DynamoDB Local): header and line chunks keep both hashes. */
class DynamoDbStatementChainTest extends StatementChainContract {
    @Override
    Stores freshStores() {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        return new Stores(stores.agreements(), stores.bookings(), stores.ledger(), stores.statements());
    }
}
