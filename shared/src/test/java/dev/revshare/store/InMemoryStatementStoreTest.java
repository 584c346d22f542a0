package dev.revshare.store;

import dev.revshare.testing.InMemoryStores;

/** The fast tests' store keeps the statement store's contract. */
class InMemoryStatementStoreTest extends StatementStoreContract {
    @Override
    StatementStore freshStore() {
        return new InMemoryStores().statements();
    }
}
