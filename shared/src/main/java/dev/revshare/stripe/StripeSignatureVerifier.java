package dev.revshare.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.time.Clock;

/**
 * Checks a {@code Stripe-Signature} header against the raw request body with stripe-java, in constant
 * time. Several {@code v1} signatures (during a secret rotation) pass when one matches; a timestamp
 * older than the tolerance is refused as a replay.
 */
public final class StripeSignatureVerifier {
    /** Stripe's own default tolerance, in seconds. */
    public static final long TOLERANCE_SECONDS = 300;

    private final Clock clock;

    public StripeSignatureVerifier(Clock clock) {
        this.clock = clock;
    }

    /** @return null when the signature is good, else why it is not (safe to show: names no secret) */
    public String problemWith(String rawBody, String signatureHeader, String secret) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return "missing Stripe-Signature header";
        }
        try {
            Webhook.Signature.verifyHeader(rawBody, signatureHeader, secret, TOLERANCE_SECONDS, clock);
            return null;
        } catch (SignatureVerificationException e) {
            return e.getMessage();
        }
    }
}
