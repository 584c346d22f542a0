package dev.revshare.stripe;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * Stripe's webhook endpoint, as HTTP sees it: a raw delivery in (path, {@code Stripe-Signature} header,
 * body), a verified Stripe event out, or the reason it is refused. The path picks the signing secret:
 * {@code /stripe} the platform's, {@code /stripe/{agreementId}} that agreement's own.
 */
public final class WebhookEndpoint {
    /** Larger bodies are refused before any parsing. Stripe events are a few kB. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    private static final String PATH_PREFIX = "/stripe/";

    private final WebhookSecrets secrets;
    private final StripeSignatureVerifier verifier;
    private final Predicate<String> agreementExists;

    /** @param agreementExists whether a path's agreement id names an applied agreement */
    public WebhookEndpoint(WebhookSecrets secrets, Clock clock, Predicate<String> agreementExists) {
        this.secrets = secrets;
        this.verifier = new StripeSignatureVerifier(clock);
        this.agreementExists = agreementExists;
    }

    /** What a delivery turned out to be. */
    public sealed interface Delivery {}

    /** A Stripe event with a good signature; {@code agreementId} is the path's, or null for the platform endpoint. */
    public record Verified(String agreementId, StripeEvent event) implements Delivery {}

    public record Refused(Refusal refusal, String reason) implements Delivery {}

    public enum Refusal {
        /** bad signature, or a body that is no Stripe event */
        BAD_REQUEST,
        /** the path names no applied agreement */
        UNKNOWN_AGREEMENT,
        /** the endpoint's signing secret is not set up (an operator must add it; Stripe retries meanwhile) */
        NOT_CONFIGURED
    }

    /**
     * @param rawBody the body exactly as received (already base64-decoded)
     */
    public Delivery open(String path, String signatureHeader, String rawBody) {
        if (rawBody == null || rawBody.isEmpty()) {
            return new Refused(Refusal.BAD_REQUEST, "empty body");
        }
        // a character takes at most three bytes in UTF-8: only a body near the limit needs encoding to be measured
        if (rawBody.length() > MAX_BODY_BYTES
                || rawBody.length() * 3L > MAX_BODY_BYTES && rawBody.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return new Refused(Refusal.BAD_REQUEST, "body larger than " + MAX_BODY_BYTES + " bytes");
        }
        String agreementId = agreementIdInPath(path);
        if (agreementId != null && !agreementExists.test(agreementId)) {
            return new Refused(Refusal.UNKNOWN_AGREEMENT, "no agreement with id " + agreementId);
        }
        String secret;
        try {
            secret = agreementId != null ? secrets.agreementSecret(agreementId) : secrets.platformSecret();
        } catch (WebhookSecrets.MissingSecretException e) {
            return new Refused(Refusal.NOT_CONFIGURED, "signing secret not configured, retry later: " + e.getMessage());
        }
        String problem = verifier.problemWith(rawBody, signatureHeader, secret);
        if (problem != null) {
            return new Refused(Refusal.BAD_REQUEST, "signature check failed: " + problem);
        }
        try {
            return new Verified(agreementId, StripeEvent.parse(rawBody));
        } catch (StripeEvent.MalformedEventException e) {
            return new Refused(Refusal.BAD_REQUEST, e.getMessage());
        }
    }

    private static String agreementIdInPath(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return null;
        }
        String id = path.substring(PATH_PREFIX.length()).replaceAll("/+$", "");
        return id.isEmpty() ? null : id;
    }
}
