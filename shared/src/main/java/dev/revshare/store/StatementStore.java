package dev.revshare.store;

import dev.revshare.domain.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * Stored statements and how far each has got on its way to the two parties:
 * {@code COMPUTED → SENDING → SENT}, or {@code SENDING → FAILED} (with the error), and a failed one is
 * claimed for sending again by a later run. Every move is a conditional write, so two runs at once cannot
 * both send a statement, and a run that stops half-way leaves it to be finished by the next.
 */
public interface StatementStore {

    /** The stored statement, whole: every line, as it was computed. */
    Optional<StoredStatement> find(String agreementId, YearMonth period);

    /**
     * The stored statement without its lines ({@code statement().lines()} is empty): its sending state,
     * totals, agreement years and recent shares, which is all a run needs to continue from it or to see how
     * far it got. One small read, however many lines the month has.
     */
    Optional<StoredStatement> findWithoutLines(String agreementId, YearMonth period);

    /**
     * Notes that a statement of the agreement closing at {@code closedAt} is about to read the ledger:
     * from then on, lines recorded up to that instant count as issued, and booking never takes them out.
     * Later than any close noted before, or nothing changes.
     */
    void beginClosing(String agreementId, Instant closedAt);

    /**
     * Stores a newly computed statement, of any number of lines, unless one exists for its agreement and
     * month. A call that fails half-way stores nothing a reader can see; calling again stores it whole.
     */
    boolean create(Statement statement);

    /**
     * Claims a statement for sending: it moves to SENDING under {@code claimId} when it is COMPUTED or
     * FAILED, or SENDING under a claim older than {@code lease} (a run that stopped while sending).
     *
     * @return false when it is sent, or another run is sending it now
     */
    boolean claimForSending(String agreementId, YearMonth period, String claimId, Instant now, Duration lease);

    /** SENDING under {@code claimId} → SENT, with the mail service's message id; false when the claim was lost. */
    boolean markSent(String agreementId, YearMonth period, String claimId, String messageId, Instant sentAt);

    /** Notes that the sent statement's StatementIssued event went out; false when it was noted before. */
    boolean markAnnounced(String agreementId, YearMonth period, Instant announcedAt);

    /** SENDING under {@code claimId} → FAILED, with what went wrong; the next run claims it again. */
    boolean markFailed(String agreementId, YearMonth period, String claimId, String error, Instant failedAt);

    enum Status { COMPUTED, SENDING, SENT, FAILED }

    /**
     * @param attempts how many times sending it was claimed
     * @param error    why the last attempt failed, while FAILED
     * @param announced its StatementIssued event went out (after it was sent)
     */
    record StoredStatement(Statement statement, Status status, String messageId, Instant sentAt, int attempts,
                           String error, boolean announced) {}
}
