package dev.revshare.json;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.SignOffWindow;
import dev.revshare.domain.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A statement as a file for the two parties (the JSON attached to each party's statement email, and the one each
 * party's page offers): the statement as issued, then {@code "signOff"}, where it stood with the two parties when
 * the file was written. The sign-off changes after issue (acknowledged, objected to, final), so it is left out of
 * the hash ({@link StatementHash#NOT_HASHED}): every copy of a statement, whenever written, has the same hash, and
 * the stored statement carries no sign-off at all (it is kept beside it).
 */
public final class StatementDocument {
    /** The status of a statement the parties may still acknowledge or object to. */
    public static final String OPEN = "open";

    private StatementDocument() {}

    /**
     * @param status         {@code not_sent}, {@code open}, {@code objected} or {@code final}
     * @param summary        the same sentence the page and {@code revshare statements show} print
     * @param asOf           when the file was written: the sign-off may have moved on since
     * @param windowEnds     when the parties can no longer object (null while the statement is not sent)
     * @param acknowledgedBy the parties ({@code expert}, {@code partner}) that acknowledged it
     * @param objections     the objections to it, open or resolved
     */
    public record SignOff(String status, String summary, Instant asOf, Instant windowEnds, List<String> acknowledgedBy,
                          List<ObjectionNote> objections) {
        public SignOff {
            acknowledgedBy = List.copyOf(acknowledgedBy);
            objections = List.copyOf(objections);
        }

        /** A statement's sign-off as it is sent for the first time: open for the agreement's window from then. */
        public static SignOff opening(Agreement agreement, Instant sentAt) {
            Instant windowEnds = SignOffWindow.endsAt(agreement, sentAt);
            return new SignOff(OPEN, SignOffWindow.openUntil(windowEnds, agreement.timezone()), sentAt, windowEnds,
                    List.of(), List.of());
        }

        public boolean open() {
            return OPEN.equals(status);
        }
    }

    /** An objection as the file names it; its reason and lines are on the page and in {@code objections list}. */
    public record ObjectionNote(String id, String by, boolean open) {}

    private record Document(@JsonUnwrapped Statement statement, SignOff signOff) {}

    /** The statement's JSON as revshare gives it out: pretty-printed, the statement's members, then its sign-off. */
    public static String writePretty(Statement statement, SignOff signOff) {
        return Json.writePretty(new Document(statement, signOff));
    }

    /** The sign-off a statement file carries; empty for a file written before files carried one. */
    public static Optional<SignOff> signOffOf(JsonNode document) {
        JsonNode signOff = document.get("signOff");
        if (signOff == null || signOff.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().treeToValue(signOff, SignOff.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the file's signOff is not as revshare writes it: " + e.getOriginalMessage(), e);
        }
    }
}
