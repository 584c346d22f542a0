package dev.revshare.signoff;

import dev.revshare.testing.InMemorySignOffs;

/** The fast tests' sign-off store keeps the contract. */
class InMemorySignOffStoreTest extends SignOffStoreContract {
    @Override
    SignOffStore freshStore() {
        return new InMemorySignOffs();
    }
}
