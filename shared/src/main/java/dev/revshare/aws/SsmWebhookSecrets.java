package dev.revshare.aws;

import dev.revshare.ingest.WebhookSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Reads webhook signing secrets from SSM SecureString parameters and keeps each for a few minutes, so
 * a rotated secret is picked up without a deployment and a delivery costs no SSM call. The platform
 * endpoint's secret is one parameter; an agreement's own endpoint has {@code {prefix}{agreementId}/webhook-secret}.
 */
public final class SsmWebhookSecrets implements WebhookSecrets {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final SsmClient ssm;
    private final String platformParameter;
    private final String agreementPrefix;
    private final Clock clock;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(String value, Instant fetchedAt) {}

    /**
     * @param agreementPrefix e.g. {@code /revshare/stripe/agreements/}; null when every delivery comes to
     *                        the platform endpoint
     */
    public SsmWebhookSecrets(SsmClient ssm, String platformParameter, String agreementPrefix, Clock clock) {
        this.ssm = ssm;
        this.platformParameter = platformParameter;
        this.agreementPrefix = agreementPrefix;
        this.clock = clock;
    }

    @Override
    public String platformSecret() {
        return read(platformParameter, "the platform endpoint /stripe");
    }

    @Override
    public String agreementSecret(String agreementId) {
        if (agreementPrefix == null) {
            throw new MissingSecretException("agreement endpoints are not configured (no AGREEMENT_SECRET_PREFIX)", null);
        }
        return read(agreementPrefix + agreementId + "/webhook-secret", "the endpoint /stripe/" + agreementId);
    }

    private synchronized String read(String parameter, String endpoint) {
        Instant now = clock.instant();
        Cached cached = cache.get(parameter);
        if (cached == null || now.isAfter(cached.fetchedAt().plus(CACHE_FOR))) {
            try {
                String value = ssm.getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value();
                cached = new Cached(value, now);
                cache.put(parameter, cached);
            } catch (ParameterNotFoundException e) {
                throw new MissingSecretException("no signing secret for " + endpoint + ": create the SecureString "
                        + "parameter " + parameter + " with the endpoint's whsec_... secret", e);
            }
        }
        return cached.value();
    }
}
