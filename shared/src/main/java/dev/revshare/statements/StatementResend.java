package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.json.StatementDocument;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.Resend;
import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Sends a party's message of a statement again, to addresses given by a person (a corrected address after a bounce, or
 * after SES refused the agreement's address): the statement as stored, never recomputed, with that party's page link
 * signed now, and the resend noted on it with which party, who asked, when, to whom and under which message id. A
 * statement that never went out (its sending failed) is claimed as a run would claim it: the party's message goes to
 * the given addresses, the other party's (when it has not gone out yet) to the agreement's, and once both went out it
 * counts as sent: the runs stop retrying it, and the next run announces it.
 */
public final class StatementResend {
    /** Where a sent statement stands with the two parties at {@code now} ({@code SignOffs} knows). */
    @FunctionalInterface
    public interface SignOffNow {
        StatementDocument.SignOff of(Agreement agreement, StoredStatement stored, Instant now);
    }

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+\\.[^@\\s,<>]+");

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final SignOffNow signOffs;
    private final StatementMailer mailer;
    private final StatementEmail email;
    private final Clock clock;

    /**
     * @param links    the party's page link, signed anew for the resent message ({@link PartyLinks#NONE}: no page)
     * @param signOffs where a statement stands with the parties now: a message sent again says so
     */
    public StatementResend(AgreementStore agreements, StatementStore statements, SignOffNow signOffs,
                           StatementMailer mailer, String sender, PartyLinks links, Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.signOffs = signOffs;
        this.mailer = mailer;
        this.email = new StatementEmail(sender, links);
        this.clock = clock;
    }

    /**
     * @param side whose message it is (the addresses are that party's corrected ones)
     * @param by   who asked for it (kept on the statement)
     * @return the resend as noted
     * @throws IllegalArgumentException naming what is wrong: no such agreement or statement, being sent by a run right
     *                                  now, a bad address
     */
    public Resend resend(String agreementId, YearMonth period, Side side, List<String> to, String by) {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("no address to send the statement to");
        }
        for (String address : to) {
            if (!ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("'" + address + "' is not an email address");
            }
        }
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("say who is sending it again");
        }
        Agreement agreement = agreements.find(agreementId)
                .orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        StoredStatement stored = statements.find(agreementId, period)
                .orElseThrow(() -> new IllegalArgumentException("no statement for " + agreementId + " " + period));
        Instant now = clock.instant();
        if (stored.status() != Status.SENT) {
            return sendUnsent(agreement, stored, side, to, by, now);
        }
        // its window runs from when it first went out; the parties may have acknowledged or objected since
        StatementDocument.SignOff signOff = signOffs.of(agreement, stored, now);
        String messageId = mailer.send(email.buildResend(agreement, stored.statement(), side, now, signOff, to));
        return noted(agreementId, period, new Resend(messageId, side, to, by, now));
    }

    /** Under a claim, as a run sends it: never at the same time as a run, and a failure is noted on it as a run's is. */
    private Resend sendUnsent(Agreement agreement, StoredStatement stored, Side side, List<String> to, String by, Instant now) {
        YearMonth period = stored.statement().period();
        String claim = UUID.randomUUID().toString();
        if (!statements.claimForSending(agreement.id(), period, claim, now, MonthlyStatementRun.SENDING_LEASE)) {
            throw new IllegalArgumentException("the statement for " + agreement.id() + " " + period + " is being sent by a "
                    + "statements run right now: look at it again in a few minutes (revshare statements show)");
        }
        SentMessages sent = stored.messages();
        // a party whose message went out under an earlier claim keeps that first message id; the resend is noted below
        String messageId = sendClaimed(agreement, stored, claim, side, !sent.sentTo(side),
                () -> email.buildResend(agreement, stored.statement(), side, now, StatementDocument.SignOff.opening(agreement, now), to));
        if (!sent.sentTo(side.other())) {
            // the other party's message never went out either: to its own addresses, as a run would send it
            sendClaimed(agreement, stored, claim, side.other(), true,
                    () -> email.build(agreement, stored.statement(), side.other(), now));
        }
        if (!statements.markSent(agreement.id(), period, claim, now)) {
            throw new IllegalStateException("sent as " + messageId + " but a statements run took the statement over meanwhile");
        }
        return noted(agreement.id(), period, new Resend(messageId, side, to, by, now));
    }

    private String sendClaimed(Agreement agreement, StoredStatement stored, String claim, Side side, boolean noteSent,
                               Supplier<OutgoingEmail> message) {
        YearMonth period = stored.statement().period();
        String messageId;
        try {
            messageId = mailer.send(message.get());
        } catch (RuntimeException e) {
            statements.markFailed(agreement.id(), period, claim, "to the " + side.word() + ": " + e.getMessage(), clock.instant());
            throw e;
        }
        if (noteSent && !statements.markPartySent(agreement.id(), period, claim, side, messageId)) {
            throw new IllegalStateException("sent to the " + side.word() + " as " + messageId
                    + " but a statements run took the statement over meanwhile");
        }
        return messageId;
    }

    private Resend noted(String agreementId, YearMonth period, Resend resend) {
        if (!statements.recordResend(agreementId, period, resend)) {
            throw new IllegalStateException("sent again as " + resend.messageId() + " but the statement could not note it");
        }
        return resend;
    }
}
