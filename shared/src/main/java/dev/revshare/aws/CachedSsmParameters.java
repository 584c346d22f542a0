package dev.revshare.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * SSM SecureString parameters, each kept for a few minutes (a missing one too), so that a changed secret
 * is picked up without a deployment and a delivery costs no SSM call.
 */
public final class CachedSsmParameters {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final Function<String, Optional<String>> fetch;
    private final Clock clock;
    private final Map<String, Cached> cache = new HashMap<>();

    private record Cached(Optional<String> value, Instant fetchedAt) {}

    /** @param ssm gives the client when a parameter is first read (AwsClients builds it then) */
    public CachedSsmParameters(Supplier<SsmClient> ssm, Clock clock) {
        this(new ThroughClient(ssm), clock);
    }

    /** @param fetch a parameter's decrypted value, empty when there is none ({@link AwsClients#ssmParameterReader()}) */
    public CachedSsmParameters(Function<String, Optional<String>> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    /** Through the SSM client (a class of its own: a jar without the SSM client never loads it). */
    private record ThroughClient(Supplier<SsmClient> ssm) implements Function<String, Optional<String>> {
        @Override
        public Optional<String> apply(String parameter) {
            try {
                return Optional.of(ssm.get().getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value());
            } catch (ParameterNotFoundException e) {
                return Optional.empty();
            }
        }
    }

    /** The parameter's decrypted value, or empty when there is no such parameter. */
    public synchronized Optional<String> read(String parameter) {
        Instant now = clock.instant();
        Cached cached = cache.get(parameter);
        if (cached == null || now.isAfter(cached.fetchedAt().plus(CACHE_FOR))) {
            cached = new Cached(fetch.apply(parameter), now);
            cache.put(parameter, cached);
        }
        return cached.value();
    }
}
