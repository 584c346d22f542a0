package dev.revshare.domain;

import java.util.Locale;

/** Which party of an agreement: the expert, or the tech partner. */
public enum Side {
    EXPERT, PARTNER;

    public Side other() {
        return this == EXPERT ? PARTNER : EXPERT;
    }

    public Agreement.Party of(Agreement agreement) {
        return this == EXPERT ? agreement.expert() : agreement.partner();
    }

    /** "expert", "partner": as the command line and the page write it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming what is accepted */
    public static Side parse(String text) {
        for (Side side : values()) {
            if (side.word().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return side;
            }
        }
        throw new IllegalArgumentException("a party is expert or partner, was '" + text + "'");
    }
}
