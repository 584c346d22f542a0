package dev.revshare.ingest;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.testing.LocalDynamoDb;

/** The DynamoDB repositories keep the booking store's contract, on DynamoDB Local. */
class DynamoDbBookingStoreTest extends BookingStoreContract {
    @Override
    Ports freshStores() {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        return new Ports(stores.bookings(), stores.ledger(), stores.statements());
    }
}
