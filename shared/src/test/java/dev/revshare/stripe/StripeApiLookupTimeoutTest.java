package dev.revshare.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.testing.TestAgreements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stripe answering nothing costs a bounded wait (the function's timeout must outlast it), then a retryable failure. */
class StripeApiLookupTimeoutTest {

    @Test
    void theProductionTimeoutsFitTwiceInTheWebhooksTimeout() {
        long worstCaseMs = (long) (StripeApiLookup.MAX_NETWORK_RETRIES + 1)
                * (StripeApiLookup.CONNECT_TIMEOUT_MS + StripeApiLookup.READ_TIMEOUT_MS) + 1_000; // + back-off
        assertThat(2 * worstCaseMs).isLessThanOrEqualTo(Duration.ofSeconds(30).toMillis()); // template.yaml: Timeout: 30
    }

    @Test
    void aStripeThatAcceptsAndNeverAnswersFailsTheLookupWithinTheReadTimeouts() throws IOException {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            StripeApiLookup lookup = new StripeApiLookup(a -> new StripeApiKeys.ApiKey("rk_test_silent", null),
                    "http://127.0.0.1:" + silent.getLocalPort(), 500, 300);

            long started = System.nanoTime();
            assertThatThrownBy(() -> lookup.get(TestAgreements.sarahMindfulness(), "/v1/charges/ch_1"))
                    .isInstanceOf(StripeLookup.StripeUnavailableException.class);
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(tookMs).isGreaterThanOrEqualTo(2 * 300L).isLessThan(5_000L);
            acceptor.interrupt();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
