package dev.revshare.aws;

import dev.revshare.domain.Agreement;
import dev.revshare.ingest.StripeApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Read-only Stripe API keys from SSM SecureString parameters, kept a few minutes (a missing parameter
 * too): an agreement's own key at {@code {prefix}{agreementId}/api-key} (an expert with their own Stripe
 * account), else the Connect platform's key, used on behalf of the agreement's connected account.
 */
public final class SsmStripeApiKeys implements StripeApiKeys {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final SsmClient ssm;
    private final String platformParameter;
    private final String agreementPrefix;
    private final Clock clock;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(String value, Instant fetchedAt) {}

    /**
     * @param platformParameter the platform's key, or null when there is none
     * @param agreementPrefix   where agreements' own keys are, or null
     */
    public SsmStripeApiKeys(SsmClient ssm, String platformParameter, String agreementPrefix, Clock clock) {
        this.ssm = ssm;
        this.platformParameter = blankToNull(platformParameter);
        this.agreementPrefix = blankToNull(agreementPrefix);
        this.clock = clock;
    }

    @Override
    public ApiKey keyFor(Agreement agreement) {
        String own = agreementPrefix == null ? null : read(agreementPrefix + agreement.id() + "/api-key");
        if (own != null) {
            return new ApiKey(own, null);
        }
        String platform = platformParameter == null || agreement.stripeAccount() == null ? null : read(platformParameter);
        return platform == null ? null : new ApiKey(platform, agreement.stripeAccount());
    }

    private synchronized String read(String parameter) {
        Instant now = clock.instant();
        Cached cached = cache.get(parameter);
        if (cached == null || now.isAfter(cached.fetchedAt().plus(CACHE_FOR))) {
            String value;
            try {
                value = ssm.getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value();
            } catch (ParameterNotFoundException e) {
                value = null;
            }
            cached = new Cached(value, now);
            cache.put(parameter, cached);
        }
        return cached.value();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
