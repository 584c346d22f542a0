package dev.revshare.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The time each party has to acknowledge or object to a statement: the agreement's objection window, from when the
 * statement was sent. One place for it, and for how its last day is written, so that the email, the JSON, the page
 * and the command line name the same day.
 */
public final class SignOffWindow {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);

    private SignOffWindow() {}

    /** When the parties can no longer object to a statement sent at {@code sentAt}. */
    public static Instant endsAt(Agreement agreement, Instant sentAt) {
        return sentAt.plus(Duration.ofDays(agreement.objectionWindowDays()));
    }

    /** The day {@code at} falls on in {@code zone}, as people read it: "4 Dec 2026". */
    public static String day(Instant at, ZoneId zone) {
        return DAY.format(at.atZone(zone));
    }

    /** A statement's sign-off while it is open: "Open for sign-off until 4 Dec 2026". */
    public static String openUntil(Instant windowEnds, ZoneId zone) {
        return "Open for sign-off until " + day(windowEnds, zone);
    }
}
