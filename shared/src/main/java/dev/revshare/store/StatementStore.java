package dev.revshare.store;

import dev.revshare.domain.Payout;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Stored statements and how far each has got on its way to the two parties:
 * {@code COMPUTED → SENDING → SENT}, or {@code SENDING → FAILED} (with the error), and a failed one is
 * claimed for sending again by a later run. Each party gets a message of its own; the message id of each is noted as
 * it goes, so a statement sent to one party and not the other is sent to the other alone. Every move is a conditional write, so two runs at once cannot
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
     * The agreement's stored statements that are not finished: not yet sent (computed, being sent, failed), or sent
     * and not yet announced; without their lines, oldest first. What is left to do for the agreement, read without
     * reading its finished statements: a statement that cannot be sent is retried by every run until it goes out.
     */
    List<StoredStatement> unfinished(String agreementId);

    /**
     * The agreement's latest stored statement of a month after {@code month}, without its lines: after the final
     * month, the latest supplementary statement (those months have no other).
     */
    Optional<StoredStatement> latestAfter(String agreementId, YearMonth month);

    /**
     * After an agreement's final statement: up to which recording time its ledger was read and held nothing for a
     * supplementary statement, so that the daily look reads only what was recorded since; empty when never noted.
     */
    Optional<Instant> nothingLateUntil(String agreementId);

    /** Notes {@link #nothingLateUntil}; a time earlier than the one noted changes nothing. */
    void noteNothingLateUntil(String agreementId, Instant until);

    /**
     * Keeps the proof of the agreement's month checked against Stripe, replacing an earlier one (a failed check is
     * tried again); the statement closed for the month carries it. Its differences are bounded by the proof itself.
     */
    void storeReconciliation(String agreementId, YearMonth month, Statement.Reconciliation proof);

    /** The proof kept for the agreement's month by {@link #storeReconciliation}; empty when the month was never checked. */
    Optional<Statement.Reconciliation> reconciliation(String agreementId, YearMonth month);

    /** Every payout recorded for the agreement's statements, by statement month, then number. */
    List<Payout> payouts(String agreementId);

    /**
     * Records a new payout, unless its statement month already has one with its number (false: another was recorded
     * at the same moment; count again and record it under the next number).
     */
    boolean recordPayout(Payout payout);

    /**
     * A SUBMITTED payout, now PAID or FAILED as Stripe answered; false when it is no longer SUBMITTED (another attempt
     * settled it first).
     */
    boolean settlePayout(Payout settled);

    /**
     * Notes that a statement of the agreement closing at {@code closedAt} is about to read the ledger:
     * from then on, lines recorded up to that instant count as issued, and booking never takes them out.
     * Later than any close noted before, or nothing changes.
     */
    void beginClosing(String agreementId, Instant closedAt);

    /**
     * Stores a newly computed statement, of any number of lines, unless one exists for its agreement and
     * month; it is {@linkplain #unfinished unfinished} from then until it is announced. A call that fails half-way
     * stores nothing a reader can see; calling again stores it whole.
     */
    boolean create(Statement statement);

    /**
     * Claims a statement for sending: it moves to SENDING under {@code claimId} when it is COMPUTED or
     * FAILED, or SENDING under a claim older than {@code lease} (a run that stopped while sending).
     *
     * @return false when it is sent, or another run is sending it now
     */
    boolean claimForSending(String agreementId, YearMonth period, String claimId, Instant now, Duration lease);

    /**
     * Notes that {@code side}'s message went out under the mail service's {@code messageId}, while SENDING under
     * {@code claimId}; false when the claim was lost. The message id is noted first as naming this statement (the email
     * went out under it either way), so that what the mail service later reports about the message finds the statement.
     */
    boolean markPartySent(String agreementId, YearMonth period, String claimId, Side side, String messageId);

    /** SENDING under {@code claimId} → SENT (each party's message noted by {@link #markPartySent}); false when the claim was lost. */
    boolean markSent(String agreementId, YearMonth period, String claimId, Instant sentAt);

    /** Notes that the sent statement's StatementIssued event went out: it is finished; false when it was noted before. */
    boolean markAnnounced(String agreementId, YearMonth period, Instant announcedAt);

    /** SENDING under {@code claimId} → FAILED, with what went wrong; the next run claims it again. */
    boolean markFailed(String agreementId, YearMonth period, String claimId, String error, Instant failedAt);

    /**
     * Notes what the mail service reported about a message sent for a statement (first sending or a resend),
     * once per report ({@code delivery.eventId}): the mail service may report an event twice.
     */
    DeliveryRecording recordDelivery(Delivery delivery);

    /**
     * Notes that a party's message of a SENT statement was sent again, and the message id it went under (which then
     * names the statement as the first one does); false when the statement is not SENT.
     */
    boolean recordResend(String agreementId, YearMonth period, Resend resend);

    enum Status { COMPUTED, SENDING, SENT, FAILED }

    enum DeliveryOutcome { DELIVERED, BOUNCED, COMPLAINED }

    enum DeliveryRecording {
        RECORDED,
        /** reported before under the same event id */
        DUPLICATE,
        /** no statement was sent under the message id (another application's mail, or one sent before ids were noted) */
        UNKNOWN_MESSAGE
    }

    /**
     * What the mail service reported about one message: the recipients it names and when, nothing else.
     *
     * @param eventId the report's own id, so that a report delivered twice is noted once
     */
    record Delivery(String eventId, String messageId, DeliveryOutcome outcome, Instant at, List<String> recipients) {
        public Delivery {
            recipients = List.copyOf(recipients);
        }
    }

    /** A party's message of a sent statement sent again: to whom, by whom, when, and the message id it went under. */
    record Resend(String messageId, Side side, List<String> to, String by, Instant at) {
        public Resend {
            to = List.copyOf(to);
        }
    }

    /**
     * The message id each party's copy of a statement first went out under; null for a party whose message has not
     * gone out yet.
     */
    record SentMessages(String expert, String partner) {
        public static final SentMessages NONE = new SentMessages(null, null);

        public String of(Side side) {
            return side == Side.EXPERT ? expert : partner;
        }

        public boolean sentTo(Side side) {
            return of(side) != null;
        }

        public SentMessages with(Side side, String messageId) {
            return side == Side.EXPERT ? new SentMessages(messageId, partner) : new SentMessages(expert, messageId);
        }

        /** "expert 0100…, partner 0100…": for logs, results and {@code statements show}. */
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (Side side : Side.values()) {
                if (sentTo(side)) {
                    text.append(text.isEmpty() ? "" : ", ").append(side.word()).append(' ').append(of(side));
                }
            }
            return text.isEmpty() ? "none" : text.toString();
        }
    }

    /**
     * @param attempts how many times sending it was claimed
     * @param error    why the last attempt failed, while FAILED
     * @param announced its StatementIssued event went out (after it was sent)
     * @param deliveries what the mail service reported about its messages, in the order noted
     * @param resends    each time it was sent again, in order
     */
    record StoredStatement(Statement statement, Status status, SentMessages messages, Instant sentAt, int attempts,
                           String error, boolean announced, List<Delivery> deliveries, List<Resend> resends) {
        public StoredStatement {
            messages = messages == null ? SentMessages.NONE : messages;
            deliveries = List.copyOf(deliveries);
            resends = List.copyOf(resends);
        }

        public StoredStatement(Statement statement, Status status, SentMessages messages, Instant sentAt, int attempts,
                               String error, boolean announced) {
            this(statement, status, messages, sentAt, attempts, error, announced, List.of(), List.of());
        }

        /** The message id {@code side}'s copy last went under: its latest resend's, or its first sending's. */
        public String latestMessageId(Side side) {
            for (int i = resends.size() - 1; i >= 0; i--) {
                if (resends.get(i).side() == side) {
                    return resends.get(i).messageId();
                }
            }
            return messages.of(side);
        }

        /** Each party's latest message id, as {@link SentMessages}. */
        public SentMessages latestMessages() {
            return new SentMessages(latestMessageId(Side.EXPERT), latestMessageId(Side.PARTNER));
        }

        /**
         * The worst the mail service reported about {@code side}'s latest message (a complaint, then a bounce, then a
         * delivery: one recipient may bounce while another receives it), or null when nothing was reported.
         */
        public DeliveryOutcome deliveryState(Side side) {
            String latest = latestMessageId(side);
            return latest == null ? null : deliveries.stream().filter(d -> d.messageId().equals(latest))
                    .map(Delivery::outcome).max(Enum::compareTo).orElse(null);
        }

        /** The worst of {@link #deliveryState(Side)} over both parties, or null when nothing was reported. */
        public DeliveryOutcome deliveryState() {
            DeliveryOutcome expert = deliveryState(Side.EXPERT);
            DeliveryOutcome partner = deliveryState(Side.PARTNER);
            return expert == null ? partner : partner == null ? expert : expert.compareTo(partner) >= 0 ? expert : partner;
        }
    }
}
