package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.stripe.WebhookSecrets.MissingSecretException;
import dev.revshare.testing.MotoServer;
import dev.revshare.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Signing secrets from SSM SecureString parameters (moto), cached for a few minutes. */
class SsmWebhookSecretsTest {
    private static final String PLATFORM = "/revshare/stripe/webhook-secret";
    private static final String PREFIX = "/revshare/stripe/agreements/";

    private final MotoServer moto = MotoServer.get();
    private final SsmClient ssm = moto.clients().ssm();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-10-14T09:30:00Z"));
    private final SsmWebhookSecrets secrets = new SsmWebhookSecrets(ssm, PLATFORM, PREFIX, clock);

    @BeforeEach
    void cleanEmulator() {
        moto.reset();
        put(PLATFORM, "whsec_platform");
        put(PREFIX + "maya-own/webhook-secret", "whsec_maya");
    }

    @Test
    void readsThePlatformAndAnAgreementsOwnSecret() {
        assertThat(secrets.platformSecret()).isEqualTo("whsec_platform");
        assertThat(secrets.agreementSecret("maya-own")).isEqualTo("whsec_maya");
    }

    @Test
    void aRotatedSecretIsPickedUpOnceTheCacheExpires() {
        assertThat(secrets.platformSecret()).isEqualTo("whsec_platform");
        ssm.putParameter(b -> b.name(PLATFORM).type(ParameterType.SECURE_STRING).value("whsec_rotated").overwrite(true));

        clock.set(clock.instant().plus(Duration.ofMinutes(4)));
        assertThat(secrets.platformSecret()).isEqualTo("whsec_platform");
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(secrets.platformSecret()).isEqualTo("whsec_rotated");
    }

    @Test
    void aMissingAgreementSecretSaysWhichParameterToCreate() {
        assertThatThrownBy(() -> secrets.agreementSecret("lee"))
                .isInstanceOf(MissingSecretException.class)
                .hasMessage("no signing secret for the endpoint /stripe/lee: create the SecureString parameter "
                        + "/revshare/stripe/agreements/lee/webhook-secret with the endpoint's whsec_... secret");
    }

    private void put(String name, String value) {
        ssm.putParameter(b -> b.name(name).type(ParameterType.SECURE_STRING).value(value).overwrite(true));
    }
}
