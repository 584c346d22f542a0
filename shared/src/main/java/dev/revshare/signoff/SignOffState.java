package dev.revshare.signoff;

import dev.revshare.domain.Side;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.SignOffWindow;
import dev.revshare.json.StatementDocument;
import dev.revshare.store.StatementStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Where an issued statement stands with the two parties: open for sign-off until its objection window ends, objected
 * to, or final (acknowledged by both, not objected to within the window, or every objection resolved).
 *
 * @param windowEnds when the parties can no longer object: the agreement's objection window after it was sent; null
 *                   while it is not sent
 */
public record SignOffState(Status status, Instant windowEnds, List<Acknowledgement> acknowledgements,
                           List<Objection> objections) {
    public SignOffState {
        acknowledgements = List.copyOf(acknowledgements);
        objections = List.copyOf(objections);
    }

    public enum Status {
        /** not sent to the parties yet: nothing to sign off */
        NOT_SENT,
        /** sent; the parties may acknowledge or object until the window ends */
        OPEN,
        /** a party objected and the objection is not resolved yet */
        OBJECTED,
        /** acknowledged by both, not objected to within the window, or every objection resolved */
        FINAL
    }

    /**
     * @param objections the agreement's objections (those of other months are left out here)
     */
    public static SignOffState of(Agreement agreement, StatementStore.StoredStatement stored,
                                  List<Acknowledgement> acknowledgements, List<Objection> objections, Instant now) {
        var period = stored.statement().period();
        List<Objection> mine = objections.stream().filter(o -> o.period().equals(period)).toList();
        if (stored.status() != StatementStore.Status.SENT) {
            return new SignOffState(Status.NOT_SENT, null, acknowledgements, mine);
        }
        Instant sent = stored.sentAt() != null ? stored.sentAt() : stored.statement().closedAt();
        Instant windowEnds = SignOffWindow.endsAt(agreement, sent);
        Status status;
        if (mine.stream().anyMatch(Objection::open)) {
            status = Status.OBJECTED;
        } else if (!mine.isEmpty() || acknowledgedBy(acknowledgements, Side.EXPERT) && acknowledgedBy(acknowledgements, Side.PARTNER)
                || !now.isBefore(windowEnds)) {
            status = Status.FINAL;
        } else {
            status = Status.OPEN;
        }
        return new SignOffState(status, windowEnds, acknowledgements, mine);
    }

    /** The sign-off as a statement file carries it, written at {@code asOf}. */
    public StatementDocument.SignOff document(Agreement agreement, Instant asOf) {
        return new StatementDocument.SignOff(status.name().toLowerCase(Locale.ROOT), describe(agreement, agreement.timezone()),
                asOf, windowEnds, acknowledgements.stream().map(a -> a.side().word()).toList(),
                objections.stream().map(o -> new StatementDocument.ObjectionNote(o.id(), o.side().word(), o.open())).toList());
    }

    /** The window's last day in {@code zone}, as emails and pages write it ("4 Dec 2026"); "" while not sent. */
    public String windowEndsOn(ZoneId zone) {
        return windowEnds == null ? "" : SignOffWindow.day(windowEnds, zone);
    }

    private static boolean acknowledgedBy(List<Acknowledgement> acknowledgements, Side side) {
        return acknowledgements.stream().anyMatch(a -> a.side() == side);
    }

    public boolean acknowledgedBy(Side side) {
        return acknowledgedBy(acknowledgements, side);
    }

    public boolean objectedBy(Side side) {
        return objections.stream().anyMatch(o -> o.side() == side);
    }

    /** Whether the party may still acknowledge or object: the window is open and it has done neither. */
    public boolean canAct(Side side, Instant now) {
        return (status == Status.OPEN || status == Status.OBJECTED) && now.isBefore(windowEnds)
                && !acknowledgedBy(side) && !objectedBy(side);
    }

    /** In a sentence, for the page, the command line and the email: "Open until 4 Dec 2026; acknowledged by the expert". */
    public String describe(Agreement agreement, ZoneId zone) {
        String by = acknowledgements.isEmpty() ? "" : "; acknowledged by "
                + String.join(" and ", acknowledgements.stream().map(a -> a.side().of(agreement).name() + " (" + a.side().word() + ")").toList());
        return switch (status) {
            case NOT_SENT -> "Not sent yet: sign-off opens when it is sent";
            case OPEN -> SignOffWindow.openUntil(windowEnds, zone) + by;
            case OBJECTED -> "Objected to by " + String.join(" and ", objections.stream().filter(Objection::open)
                    .map(o -> o.side().of(agreement).name() + " (" + o.side().word() + ")").distinct().toList())
                    + ": waiting for the parties to resolve it" + by;
            case FINAL -> "Final: " + (!objections.isEmpty() ? "every objection resolved (any adjustment is on the next statement)"
                    : acknowledgedBy(Side.EXPERT) && acknowledgedBy(Side.PARTNER) ? "acknowledged by both parties"
                    : "not objected to by " + windowEndsOn(zone) + by);
        };
    }
}
