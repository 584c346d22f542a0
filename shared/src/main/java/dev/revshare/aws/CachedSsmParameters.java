package dev.revshare.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * SSM SecureString parameters, each kept for a few minutes (a missing one too), so that a changed secret
 * is picked up without a deployment and a delivery costs no SSM call.
 */
public final class CachedSsmParameters {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final Supplier<SsmClient> ssm;
    private final Clock clock;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(Optional<String> value, Instant fetchedAt) {}

    /** @param ssm gives the client when a parameter is first read (AwsClients builds it then) */
    public CachedSsmParameters(Supplier<SsmClient> ssm, Clock clock) {
        this.ssm = ssm;
        this.clock = clock;
    }

    /** The parameter's decrypted value, or empty when there is no such parameter. */
    public synchronized Optional<String> read(String parameter) {
        Instant now = clock.instant();
        Cached cached = cache.get(parameter);
        if (cached == null || now.isAfter(cached.fetchedAt().plus(CACHE_FOR))) {
            Optional<String> value;
            try {
                value = Optional.of(ssm.get().getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value());
            } catch (ParameterNotFoundException e) {
                value = Optional.empty();
            }
            cached = new Cached(value, now);
            cache.put(parameter, cached);
        }
        return cached.value();
    }
}
