package dev.revshare.verify;

import dev.revshare.testing.InMemoryStores;

/** The chain and its re-check on the fast tests' store. */
class InMemoryStatementChainTest extends StatementChainContract {
    @Override
    Stores freshStores() {
        InMemoryStores stores = new InMemoryStores();
        return new Stores(stores.agreements(), stores.bookings(), stores.ledger(), stores.statements());
    }
}
