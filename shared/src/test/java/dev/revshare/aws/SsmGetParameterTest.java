package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.revshare.page.PageSecret;
import dev.revshare.testing.MotoServer;
import dev.revshare.time.SettableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * GetParameter alone (the functions' page secret), against moto's SSM: what the SSM client would read, a missing
 * parameter as empty (and the page secret as {@link PageSecret.Missing}), SSM refusing or throttling as an error that
 * names the parameter, and the page secret kept five minutes.
 */
class SsmGetParameterTest {
    private static final String NAME = "/revshare/page/secret";

    private final MotoServer moto = MotoServer.get();
    private final Function<String, Optional<String>> reader = moto.clients().ssmParameterReader();

    @BeforeEach
    void cleanEmulator() {
        moto.reset();
    }

    @Test
    void readsASecureStringDecryptedAsTheSsmClientDoes() {
        put(NAME, "0123456789abcdef0123456789abcdef-page");

        assertThat(reader.apply(NAME)).contains("0123456789abcdef0123456789abcdef-page")
                .isEqualTo(Optional.of(moto.clients().ssm().getParameter(b -> b.name(NAME).withDecryption(true))
                        .parameter().value()));
    }

    @Test
    void aMissingParameterIsEmpty() {
        assertThat(reader.apply("/revshare/page/none")).isEmpty();
    }

    @Test
    void anEndpointThatCannotBeReachedIsAnErrorNamingTheParameter() {
        put(NAME, "0123456789abcdef0123456789abcdef-page");
        SsmGetParameter unsigned = new SsmGetParameter(() -> software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient
                .builder().build(), AnonymousCredentialsProvider::create, software.amazon.awssdk.regions.Region.US_EAST_1,
                java.net.URI.create("http://127.0.0.1:1"));

        assertThatThrownBy(() -> unsigned.read(NAME)).hasMessageContaining(NAME).hasMessageContaining("could not reach");
    }

    @Test
    void thePageSecretIsReadOnceAndARotationIsInForceWithinFiveMinutes() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-20T10:00:00Z"));
        SsmPageSecret secret = SsmPageSecret.inFunction(moto.clients(), NAME, clock);
        put(NAME, "first-secret-of-at-least-thirty-two-bytes");
        assertThat(new String(secret.current(), StandardCharsets.UTF_8)).isEqualTo("first-secret-of-at-least-thirty-two-bytes");

        put(NAME, "rotated-secret-of-at-least-thirty-two-bytes");
        clock.set(clock.instant().plus(Duration.ofMinutes(4)));
        assertThat(new String(secret.current(), StandardCharsets.UTF_8)).isEqualTo("first-secret-of-at-least-thirty-two-bytes");
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(new String(secret.current(), StandardCharsets.UTF_8)).isEqualTo("rotated-secret-of-at-least-thirty-two-bytes");
    }

    @Test
    void noSecretSaysHowToPutOne() {
        SsmPageSecret secret = SsmPageSecret.inFunction(moto.clients(), NAME, new SettableClock(Instant.parse("2026-11-20T10:00:00Z")));

        assertThatThrownBy(secret::current).isInstanceOf(PageSecret.Missing.class)
                .hasMessageContaining("aws ssm put-parameter --type SecureString --name " + NAME);
    }

    /**
     * SSM throttling (its JSON error, as GetParameter answers it over its rate) is a failure to read, not a missing
     * secret: the statement that needs the key is not sent without its links, it fails and is tried again.
     */
    @Test
    void aThrottledReadIsAFailureNotAMissingSecret() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer ssm = throttlingSsm(requests, Integer.MAX_VALUE);
        try {
            SsmPageSecret secret = SsmPageSecret.inFunction(AwsClients.forEndpoint(URI.create("http://127.0.0.1:"
                    + ssm.getAddress().getPort()), "us-east-1", StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("test", "test"))), NAME, new SettableClock(Instant.parse("2026-11-20T10:00:00Z")));

            assertThatThrownBy(secret::current).isNotInstanceOf(PageSecret.Missing.class)
                    .hasMessageContaining("SSM GetParameter of " + NAME + " failed with HTTP 400 ThrottlingException: Rate exceeded");
            // tried again before giving up, as the SDK's clients do
            assertThat(requests).hasValue(SsmGetParameter.ATTEMPTS);
        } finally {
            ssm.stop(0);
        }
    }

    /** Throttled twice, then answered: a burst of cold starts reads its secret all the same. */
    @Test
    void aReadThrottledForAMomentIsTriedAgainAndSucceeds() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer ssm = throttlingSsm(requests, 2);
        try {
            SsmGetParameter reader = new SsmGetParameter(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient::create,
                    () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                    software.amazon.awssdk.regions.Region.US_EAST_1, URI.create("http://127.0.0.1:" + ssm.getAddress().getPort()));

            assertThat(reader.read(NAME)).contains("the-value");
            assertThat(requests).hasValue(3);
        } finally {
            ssm.stop(0);
        }
    }

    /** SSM as it answers over its rate (its JSON error), {@code throttled} times, then with the parameter. */
    private static HttpServer throttlingSsm(AtomicInteger requests, int throttled) throws IOException {
        HttpServer ssm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ssm.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean throttle = requests.incrementAndGet() <= throttled;
            byte[] answer = (throttle ? "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
                    : "{\"Parameter\":{\"Name\":\"" + NAME + "\",\"Type\":\"SecureString\",\"Value\":\"the-value\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(throttle ? 400 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        ssm.start();
        return ssm;
    }

    private void put(String name, String value) {
        moto.clients().ssm().putParameter(b -> b.name(name).type(ParameterType.SECURE_STRING).value(value).overwrite(true));
    }
}
