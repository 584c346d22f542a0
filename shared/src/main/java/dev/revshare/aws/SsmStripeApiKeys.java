package dev.revshare.aws;

import dev.revshare.domain.Agreement;
import dev.revshare.stripe.StripeApiKeys;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Read-only Stripe API keys from SSM SecureString parameters, cached as the webhook secrets are: an
 * agreement's own key at {@code {prefix}{agreementId}/api-key} (an expert with their own Stripe account),
 * else the Connect platform's key, used on behalf of the agreement's connected account.
 */
public final class SsmStripeApiKeys implements StripeApiKeys {
    private final CachedSsmParameters parameters;
    private final String platformParameter;
    private final String agreementPrefix;

    /**
     * @param platformParameter the platform's key, or null when there is none
     * @param agreementPrefix   where agreements' own keys are, or null
     */
    public SsmStripeApiKeys(Supplier<SsmClient> ssm, String platformParameter, String agreementPrefix, Clock clock) {
        this.parameters = new CachedSsmParameters(ssm, clock);
        this.platformParameter = blankToNull(platformParameter);
        this.agreementPrefix = blankToNull(agreementPrefix);
    }

    @Override
    public ApiKey keyFor(Agreement agreement) {
        if (agreementPrefix != null) {
            Optional<String> own = parameters.read(agreementPrefix + agreement.id() + "/api-key");
            if (own.isPresent()) {
                return new ApiKey(own.get(), null);
            }
        }
        if (platformParameter == null || agreement.stripeAccount() == null) {
            return null;
        }
        return parameters.read(platformParameter).map(key -> new ApiKey(key, agreement.stripeAccount())).orElse(null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
