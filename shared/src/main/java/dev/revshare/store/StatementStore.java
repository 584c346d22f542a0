package dev.revshare.store;

import dev.revshare.domain.Statement;
import java.time.Instant;
import java.util.Optional;

/** Stored statements and how far each has got on its way to the two parties. */
public interface StatementStore {

    Optional<StoredStatement> find(String agreementId, String period);

    /** Stores a newly computed statement unless one exists for its agreement and month. */
    boolean create(Statement statement);

    /** Marks a computed statement sent; false when it was already marked (another run got there). */
    boolean markSent(String agreementId, String period, String messageId, Instant sentAt);

    enum Status { COMPUTED, SENT }

    record StoredStatement(Statement statement, Status status, String messageId, Instant sentAt) {}
}
