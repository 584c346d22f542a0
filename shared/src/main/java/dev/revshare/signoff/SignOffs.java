package dev.revshare.signoff;

import dev.revshare.domain.Side;
import dev.revshare.domain.Agreement;
import dev.revshare.json.StatementDocument;
import dev.revshare.domain.Money;
import dev.revshare.domain.ShareAdjustment;
import dev.revshare.domain.Statement;
import dev.revshare.statements.MimeMessageWriter;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.ShareAdjustments;
import dev.revshare.statements.StatementMailer;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parties' sign-off of issued statements: acknowledging one, objecting to it (lines and a reason, emailed to the
 * other party), and the resolution of an objection, which the next statement carries as an adjustment. The rules
 * live here; the page and the command line only ask.
 */
public final class SignOffs {
    private static final Logger log = LoggerFactory.getLogger(SignOffs.class);

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final SignOffStore store;
    private final StatementMailer mailer;
    private final String sender;
    private final Clock clock;

    /** @param mailer sends the objection to the other party (the statements' mailer: the outbox locally, SES on the stack) */
    public SignOffs(AgreementStore agreements, StatementStore statements, SignOffStore store, StatementMailer mailer,
                    String sender, Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.store = store;
        this.mailer = mailer;
        this.sender = sender;
        this.clock = clock;
    }

    public enum Outcome {
        RECORDED,
        /** the party had acknowledged or objected before: nothing changed */
        ALREADY_DONE,
        /** the statement is not sent, its window has ended, or it is final: nothing changed */
        NOT_OPEN,
        /** the request names lines the statement does not have, or gives no reason: nothing changed */
        REFUSED
    }

    /** @param objection the objection recorded, when one was */
    public record Result(Outcome outcome, String message, Objection objection) {}

    /** A request that cannot be done (no such agreement, statement or objection), saying why. */
    public static final class SignOffException extends IllegalArgumentException {
        public SignOffException(String message) {
            super(message);
        }
    }

    /** The statement's sign-off state now. */
    public SignOffState state(Agreement agreement, StoredStatement stored) {
        YearMonth period = stored.statement().period();
        return SignOffState.of(agreement, stored, store.acknowledgements(agreement.id(), period),
                store.objections(agreement.id()), clock.instant());
    }

    /** The statement's sign-off now, as a statement file or a message sent again carries it. */
    public StatementDocument.SignOff document(Agreement agreement, StoredStatement stored, Instant asOf) {
        return state(agreement, stored).document(agreement, asOf);
    }

    public Result acknowledge(String agreementId, YearMonth period, Side side) {
        Agreement agreement = agreement(agreementId);
        StoredStatement stored = issued(agreementId, period);
        SignOffState state = state(agreement, stored);
        Instant now = now();
        if (state.acknowledgedBy(side) || state.objectedBy(side)) {
            return new Result(Outcome.ALREADY_DONE, "already " + (state.acknowledgedBy(side) ? "acknowledged" : "objected to")
                    + " by the " + side.word(), null);
        }
        if (!state.canAct(side, now)) {
            return new Result(Outcome.NOT_OPEN, state.describe(agreement, agreement.timezone()), null);
        }
        boolean recorded = store.acknowledge(new Acknowledgement(agreementId, period, side, now));
        return recorded ? new Result(Outcome.RECORDED, "acknowledged by the " + side.word(), null)
                : new Result(Outcome.ALREADY_DONE, "already acknowledged by the " + side.word(), null);
    }

    /**
     * Records an objection and emails it to the other party (an email that fails is logged and said in the result's
     * message: the objection stands, and `revshare objections list` shows it).
     */
    public Result object(String agreementId, YearMonth period, Side side, List<String> lineIds, String reason) {
        Agreement agreement = agreement(agreementId);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            return new Result(Outcome.REFUSED, "an objection needs a reason: say what is wrong", null);
        }
        if (why.length() > Objection.MAX_REASON) {
            return new Result(Outcome.REFUSED, "a reason is at most " + Objection.MAX_REASON + " characters", null);
        }
        StoredStatement stored = statements.find(agreementId, period)
                .orElseThrow(() -> new SignOffException("no statement of " + agreementId + " for " + period));
        Set<String> picked = new LinkedHashSet<>(lineIds == null ? List.of() : lineIds);
        Set<String> onStatement = new java.util.HashSet<>();
        stored.statement().lines().forEach(l -> onStatement.add(l.lineId()));
        for (String lineId : picked) {
            if (!onStatement.contains(lineId)) {
                return new Result(Outcome.REFUSED, "the statement of " + period + " has no line " + lineId, null);
            }
        }
        SignOffState state = state(agreement, stored);
        Instant now = now();
        if (state.acknowledgedBy(side) || state.objectedBy(side)) {
            return new Result(Outcome.ALREADY_DONE, "already " + (state.acknowledgedBy(side) ? "acknowledged" : "objected to")
                    + " by the " + side.word(), null);
        }
        if (!state.canAct(side, now)) {
            return new Result(Outcome.NOT_OPEN, state.describe(agreement, agreement.timezone()), null);
        }
        Objection objection = new Objection(agreementId, period, Objection.newId(period, side, now), side, now,
                List.copyOf(picked), why, null);
        if (!store.object(objection)) {
            return new Result(Outcome.ALREADY_DONE, "already objected to by the " + side.word(), null);
        }
        String message = "objection " + objection.id() + " recorded";
        try {
            mailer.send(objectionEmail(agreement, stored.statement(), objection));
            message += "; emailed to " + side.other().of(agreement).name();
        } catch (RuntimeException e) {
            log.error("agreement {} period {}: objection {} recorded, its email to the {} failed", agreementId, period,
                    objection.id(), side.other().word(), e);
            message += "; the email to " + side.other().of(agreement).name() + " failed (" + e.getMessage()
                    + "): `revshare objections list` shows it";
        }
        return new Result(Outcome.RECORDED, message, objection);
    }

    /**
     * Settles an open objection; {@code partnerAdjustment} (0 for no change) goes on the next statement closed after now.
     *
     * @throws SignOffException when there is no such objection, or it is resolved already
     */
    public Objection resolve(String agreementId, String objectionId, long partnerAdjustment, String reason, String by) {
        agreement(agreementId);
        Objection objection = store.objection(agreementId, objectionId)
                .orElseThrow(() -> new SignOffException("agreement " + agreementId + " has no objection " + objectionId
                        + " (`revshare objections list --agreement " + agreementId + "` lists them)"));
        if (!objection.open()) {
            throw new SignOffException("objection " + objectionId + " was resolved on " + objection.resolution().at()
                    + "; a resolution is final (a further correction is a new objection to a later statement)");
        }
        if (reason == null || reason.isBlank()) {
            throw new SignOffException("a resolution needs a reason (--reason TEXT): both parties read it on the next statement");
        }
        Objection.Resolution resolution = new Objection.Resolution(partnerAdjustment, reason.strip(), now(), by);
        if (!store.resolve(agreementId, objectionId, resolution)) {
            throw new SignOffException("objection " + objectionId + " was resolved meanwhile; nothing changed");
        }
        return objection.resolved(resolution);
    }

    /** The settled objections of this store that change the partner's share, for the statements closed after them. */
    public ShareAdjustments adjustments() {
        return adjustments(store);
    }

    /** The settled objections that change the partner's share, for the statements closed after them. */
    public static ShareAdjustments adjustments(SignOffStore store) {
        return agreementId -> store.objections(agreementId).stream()
                .filter(o -> o.resolution() != null && o.resolution().partnerAdjustment() != 0)
                .map(o -> new ShareAdjustment(agreementId, o.id(), o.period(), o.resolution().partnerAdjustment(),
                        o.resolution().reason(), o.resolution().at()))
                .toList();
    }

    public List<Objection> objections(String agreementId) {
        agreement(agreementId);
        return store.objections(agreementId);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Agreement agreement(String agreementId) {
        return agreements.find(agreementId).orElseThrow(() -> new SignOffException("no agreement with id " + agreementId));
    }

    private StoredStatement issued(String agreementId, YearMonth period) {
        return statements.findWithoutLines(agreementId, period)
                .orElseThrow(() -> new SignOffException("no statement of " + agreementId + " for " + period));
    }

    /** To the other party: who objected to what, and why; the lines as the statement lists them. */
    private OutgoingEmail objectionEmail(Agreement agreement, Statement statement, Objection objection) {
        Agreement.Party from = objection.side().of(agreement);
        Agreement.Party to = objection.side().other().of(agreement);
        String subject = agreement.name() + ": " + from.name() + " objects to the statement for " + statement.period();
        StringBuilder text = new StringBuilder();
        text.append(from.name()).append(" (").append(objection.side().word()).append(") objects to the statement of ")
                .append(statement.period()).append(" (objection ").append(objection.id()).append(").\n\nReason:\n")
                .append(objection.reason()).append("\n\n");
        List<String> lines = new ArrayList<>();
        for (Statement.StatementLine line : statement.lines()) {
            if (objection.lineIds().contains(line.lineId())) {
                lines.add("  " + (line.stripeId() == null ? line.lineId() : line.stripeId()) + "  " + line.type() + "  "
                        + Money.format(line.amount(), line.currency() == null ? statement.currency() : line.currency())
                        + "  " + line.classification() + (line.reason() == null ? "" : " (" + line.reason() + ")"));
            }
        }
        text.append(lines.isEmpty() ? "No particular line: the statement as a whole.\n" : "Lines objected to:\n" + String.join("\n", lines) + "\n");
        text.append("\nThe issued statement does not change. Once you have agreed what to do, the tech partner records it with\n")
                .append("  revshare objections resolve --agreement ").append(agreement.id()).append(" --objection ")
                .append(objection.id()).append(" --adjust AMOUNT --reason TEXT\n")
                .append("(--adjust 0 for no change), and the next statement carries the adjustment.\n");
        String html = "<pre style=\"font-family:sans-serif;white-space:pre-wrap\">" + escape(text.toString()) + "</pre>";
        byte[] mime = new MimeMessageWriter().write(sender, to.emails(), subject, text.toString(), html, objection.at());
        return new OutgoingEmail(agreement.id() + "-" + statement.period() + "-objection-" + objection.at().toEpochMilli(),
                sender, to.emails(), subject, html, text.toString(), mime);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
