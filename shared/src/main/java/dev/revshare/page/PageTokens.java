package dev.revshare.page;

import dev.revshare.domain.Side;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed part of a party's link: which agreement, which party, when it was given and until when it works, and an
 * HMAC-SHA256 over that with the {@link PageSecret}. Each statement email carries a new one; none is stored, so
 * changing the secret revokes them all. A token that is missing, malformed, tampered with, signed with another key or
 * expired verifies as nothing, whatever is wrong with it: the caller answers every one the same.
 */
public final class PageTokens {
    private static final String VERSION = "v1";
    /** The least a secret must have: HMAC-SHA256's block of 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** A link lasts this long beyond its statement's objection window, so that a party can still read it after. */
    static final Duration BEYOND_WINDOW = Duration.ofDays(60);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final PageSecret secret;
    private final Clock clock;

    public PageTokens(PageSecret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * What a verified token gives access to: one party's page of one agreement, until {@code expiresAt}.
     *
     * @param givenWith what the link was given with: the statement email's reference ("sarah-mindfulness-2026-10"), so
     *                  that each email's link differs from every other's
     */
    public record Access(String agreementId, Side side, Instant issuedAt, Instant expiresAt, String givenWith) {}

    /** How long a link given with a statement works: its objection window, and {@link #BEYOND_WINDOW} after. */
    public static Duration validity(int objectionWindowDays) {
        return Duration.ofDays(objectionWindowDays).plus(BEYOND_WINDOW);
    }

    public String sign(String agreementId, Side side, Instant issuedAt, Duration validFor) {
        return sign(agreementId, side, issuedAt, validFor, "page");
    }

    /** @param givenWith what the link goes with (a statement email's reference): letters, digits, dashes */
    public String sign(String agreementId, Side side, Instant issuedAt, Duration validFor, String givenWith) {
        if (!givenWith.matches("[A-Za-z0-9-]{1,100}")) {
            throw new IllegalArgumentException("a link's reference is letters, digits and dashes, was " + givenWith);
        }
        String payload = String.join(":", VERSION, agreementId, side.word(), Long.toString(issuedAt.getEpochSecond()),
                Long.toString(issuedAt.plus(validFor).getEpochSecond()), givenWith);
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + B64.encodeToString(mac("link", encoded));
    }

    /** The access a token gives now; empty for any token that is not one of ours, in force. */
    public Optional<Access> verify(String token) {
        if (token == null || token.length() > 400) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        // compared as text, not decoded: a decoder ignores the unused low bits of the last character, so a token
        // with those bits changed would pass, and one link would be several (each with its own rate limit)
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, B64.encodeToString(mac("link", encoded)).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        // signed by us: its payload is as we wrote it
        String[] fields = new String(B64_DECODE.decode(encoded), StandardCharsets.UTF_8).split(":", -1);
        if (fields.length != 6 || !VERSION.equals(fields[0])) {
            return Optional.empty();
        }
        Access access = new Access(fields[1], Side.parse(fields[2]), Instant.ofEpochSecond(Long.parseLong(fields[3])),
                Instant.ofEpochSecond(Long.parseLong(fields[4])), fields[5]);
        return clock.instant().isBefore(access.expiresAt()) ? Optional.of(access) : Optional.empty();
    }

    /**
     * The value a page's forms carry and a post must return (against cross-site request forgery): bound to the link,
     * so that it is good only on the page the link opens, and unknown to anyone without it.
     */
    public String formToken(String token) {
        return B64.encodeToString(mac("form", token));
    }

    public boolean formTokenMatches(String token, String given) {
        return given != null && MessageDigest.isEqual(formToken(token).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String purpose, String value) {
        byte[] key = secret.current();
        if (key == null || key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("the page secret is missing or shorter than " + MIN_SECRET_BYTES
                    + " bytes: put a random value of at least " + MIN_SECRET_BYTES + " bytes in it");
        }
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return hmac.doFinal((purpose + ":" + value).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
