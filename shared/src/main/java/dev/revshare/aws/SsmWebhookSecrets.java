package dev.revshare.aws;

import dev.revshare.ingest.WebhookSecrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads the webhook signing secret from an SSM SecureString parameter and keeps it for a few minutes,
 * so a rotated secret is picked up without a deployment and each delivery costs no SSM call.
 */
public final class SsmWebhookSecrets implements WebhookSecrets {
    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final SsmClient ssm;
    private final String parameterName;
    private final Clock clock;
    private String cached;
    private Instant fetchedAt;

    public SsmWebhookSecrets(SsmClient ssm, String parameterName, Clock clock) {
        this.ssm = ssm;
        this.parameterName = parameterName;
        this.clock = clock;
    }

    @Override
    public synchronized String platformSecret() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(fetchedAt.plus(CACHE_FOR))) {
            cached = ssm.getParameter(b -> b.name(parameterName).withDecryption(true)).parameter().value();
            fetchedAt = now;
        }
        return cached;
    }
}
