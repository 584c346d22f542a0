package dev.revshare.store;

import dev.revshare.domain.Agreement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where applied agreements live. */
public interface AgreementStore {
    /** Stores (or replaces) an agreement; the first time an id is applied is kept. */
    void put(Agreement agreement, Instant appliedAt);

    Optional<Agreement> find(String agreementId);

    /** Every applied agreement, ordered by id. */
    List<Agreement> all();

    /** When the agreement was first applied: no ledger line of it can have been recorded before. */
    Optional<Instant> firstAppliedAt(String agreementId);
}
