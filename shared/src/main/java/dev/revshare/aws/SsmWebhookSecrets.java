package dev.revshare.aws;

import dev.revshare.stripe.WebhookSecrets;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads webhook signing secrets from SSM SecureString parameters and keeps each for a few minutes, so
 * a rotated secret (or one created after a delivery found it missing) is picked up within five minutes,
 * without a deployment, and a delivery costs no SSM call. The platform
 * endpoint's secret is one parameter; an agreement's own endpoint has {@code {prefix}{agreementId}/webhook-secret}.
 */
public final class SsmWebhookSecrets implements WebhookSecrets {
    private final CachedSsmParameters parameters;
    private final String platformParameter;
    private final String agreementPrefix;

    /**
     * @param agreementPrefix e.g. {@code /revshare/stripe/agreements/}; null when every delivery comes to
     *                        the platform endpoint
     */
    public SsmWebhookSecrets(SsmClient ssm, String platformParameter, String agreementPrefix, Clock clock) {
        this(() -> ssm, platformParameter, agreementPrefix, clock);
    }

    /** The functions': the SSM client is asked for (and so built) when the first secret is read. */
    public SsmWebhookSecrets(Supplier<SsmClient> ssm, String platformParameter, String agreementPrefix, Clock clock) {
        this.parameters = new CachedSsmParameters(ssm, clock);
        this.platformParameter = platformParameter;
        this.agreementPrefix = agreementPrefix;
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

    private String read(String parameter, String endpoint) {
        return parameters.read(parameter).orElseThrow(() -> new MissingSecretException("no signing secret for "
                + endpoint + ": create the SecureString parameter " + parameter + " with the endpoint's whsec_... secret",
                null));
    }
}
