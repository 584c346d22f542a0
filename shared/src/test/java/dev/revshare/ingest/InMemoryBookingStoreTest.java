package dev.revshare.ingest;

import dev.revshare.testing.InMemoryStores;

/** The fast tests' store keeps the booking store's contract. */
class InMemoryBookingStoreTest extends BookingStoreContract {
    @Override
    Ports freshStores() {
        InMemoryStores stores = new InMemoryStores();
        return new Ports(stores.bookings(), stores.ledger(), stores.statements());
    }
}
