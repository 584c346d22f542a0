package dev.revshare.signoff;

import dev.revshare.domain.Side;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * A party's objection to an issued statement: the lines it disputes and why. The issued statement never
 * changes: the resolution's adjustment, if any, goes on the next statement closed after it.
 *
 * @param id         unique within the agreement, starting with the period: "2026-10-partner-1793520000000"
 * @param lineIds    the statement's line ids objected to (may be empty: an objection to the figures as a whole)
 * @param resolution how the two parties settled it, or null while it is open
 */
public record Objection(String agreementId, YearMonth period, String id, Side side, Instant at, List<String> lineIds,
                        String reason, Resolution resolution) {
    /** A reason is a few sentences, not a document: it is stored beside the statement and emailed. */
    public static final int MAX_REASON = 2_000;

    public Objection {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        lineIds = lineIds == null ? List.of() : List.copyOf(lineIds);
    }

    /** The id of a new objection: its month, who made it and when, so that ids sort by month. */
    public static String newId(YearMonth period, Side side, Instant at) {
        return period + "-" + side.word() + "-" + at.toEpochMilli();
    }

    /** The month an objection id names, or null when it is not an objection id. */
    public static YearMonth periodOf(String id) {
        try {
            return id != null && id.length() > 7 ? YearMonth.parse(id.substring(0, 7)) : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public boolean open() {
        return resolution == null;
    }

    public Objection resolved(Resolution how) {
        return new Objection(agreementId, period, id, side, at, lineIds, reason, how);
    }

    /**
     * How an objection was settled.
     *
     * @param partnerAdjustment what the next statement adds to the partner's share (negative: takes off), in minor
     *                          units of the agreement's currency; 0 for "no change"
     * @param by                who resolved it (free text, for the record)
     */
    public record Resolution(long partnerAdjustment, String reason, Instant at, String by) {
        public Resolution {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
