package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.Resend;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sends a statement that went out once again, to addresses given by a person (a corrected address after a
 * bounce): the statement as stored, never recomputed, and the resend noted on it with who asked, when, to whom
 * and under which message id. Only a SENT statement is sent again: one not yet sent goes out with the run.
 */
public final class StatementResend {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+\\.[^@\\s,<>]+");

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final StatementMailer mailer;
    private final StatementEmail email;
    private final Clock clock;

    public StatementResend(AgreementStore agreements, StatementStore statements, StatementMailer mailer, String sender,
                           Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.mailer = mailer;
        this.email = new StatementEmail(sender);
        this.clock = clock;
    }

    /**
     * @param by who asked for it (kept on the statement)
     * @return the resend as noted
     * @throws IllegalArgumentException naming what is wrong: no such agreement or statement, not sent, a bad address
     */
    public Resend resend(String agreementId, YearMonth period, List<String> to, String by) {
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
        if (stored.status() != Status.SENT) {
            throw new IllegalArgumentException("the statement for " + agreementId + " " + period + " is " + stored.status()
                    + ", not sent: the statement run sends it, and only a sent statement is sent again");
        }
        Instant now = clock.instant();
        String messageId = mailer.send(email.buildResend(agreement, stored.statement(), now, to));
        Resend resend = new Resend(messageId, to, by, now);
        if (!statements.recordResend(agreementId, period, resend)) {
            throw new IllegalStateException("sent again as " + messageId + " but the statement could not note it");
        }
        return resend;
    }
}
