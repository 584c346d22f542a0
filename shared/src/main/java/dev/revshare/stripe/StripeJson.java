package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;

/**
 * Reads fields of Stripe objects strictly, so that bad input stops at the door: an amount is an integer
 * in minor units no larger than Stripe can charge, a currency is an ISO 4217 code {@link Currency} knows,
 * an id is a Stripe-shaped token. Anything else is {@link UnreadableEventException}: the event is set
 * aside for a person, and nothing of it is booked.
 */
public final class StripeJson {
    /** Stripe's amounts have at most 8 digits (12 for a few currencies); anything larger is not Stripe's. */
    public static final long MAX_AMOUNT = 999_999_999_999L;
    /** Stripe ids are letters, digits and underscores (we allow '-' too); never our own key separators ('#', ':', '|'). */
    private static final int MAX_ID_LENGTH = 255;
    /** 1970 to 2100: a Unix timestamp Stripe could have written. */
    private static final long LATEST_TIMESTAMP = 4_102_444_800L;

    private StripeJson() {}

    /** A non-empty text field, or null when it is missing, null or empty. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** An id field (or the expanded object's id), or null; refused when it is not shaped like a Stripe id. */
    public static String id(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        if (value.isObject()) {
            value = value.path("id");
        }
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !isId(value.asText())) {
            throw new UnreadableEventException(field + " is not a Stripe id: " + shown(value));
        }
        return value.asText();
    }

    /** True when the id is shaped like a Stripe id (what {@link #id} accepts). */
    public static boolean isId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || !isLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isLetterOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** An amount in minor units, or null when the field is missing or null. */
    public static Long amountOrNull(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || Math.abs(value.asLong()) > MAX_AMOUNT) {
            throw new UnreadableEventException(field + " is not an amount in minor units: " + shown(value));
        }
        return value.asLong();
    }

    /** An amount in minor units, {@code orElse} when the field is missing or null. */
    public static long amount(JsonNode node, String field, long orElse) {
        Long amount = amountOrNull(node, field);
        return amount == null ? orElse : amount;
    }

    /** A currency code in lower case, or null when missing; refused when it is no ISO 4217 code. */
    public static String currency(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String code = value.isTextual() ? value.asText() : "";
        if (code.length() != 3 || !isLetterOrDigit(code.charAt(0)) || !isKnownCurrency(code)) {
            throw new UnreadableEventException(field + " is not an ISO 4217 currency code: " + shown(value));
        }
        return code.toLowerCase(Locale.ROOT);
    }

    /** A Unix timestamp, or null when missing. */
    public static Instant timestampOrNull(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > LATEST_TIMESTAMP) {
            throw new UnreadableEventException(field + " is not a timestamp: " + shown(value));
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    private static boolean isKnownCurrency(String code) {
        try {
            Currency.getInstance(code.toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** The offending value for a message: short, and with nothing that could pass for markup. */
    private static String shown(JsonNode value) {
        String text = value.toString();
        text = text.length() > 24 ? text.substring(0, 24) + "…" : text;
        return text.replaceAll("[^A-Za-z0-9 _.,:+\\-\"]", "?");
    }
}
