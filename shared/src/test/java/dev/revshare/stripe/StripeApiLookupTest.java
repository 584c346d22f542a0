package dev.revshare.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.Stripe;
import com.sun.net.httpserver.HttpServer;
import dev.revshare.testing.TestAgreements;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the lookups ask Stripe's API, and what they make of its answers: stripe-java's rules, without its client. */
class StripeApiLookupTest {
    private record Answer(int status, String body, Map<String, String> headers) {}

    private record Asked(String pathAndQuery, String authorization, String version, String account) {}

    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private HttpServer stripe;
    private StripeApiLookup lookup;

    @BeforeEach
    void start() throws IOException {
        stripe = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stripe.createContext("/", exchange -> {
            URI uri = exchange.getRequestURI();
            asked.add(new Asked(uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery()),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Stripe-Version"),
                    exchange.getRequestHeaders().getFirst("Stripe-Account")));
            Answer answer = answers.isEmpty() ? new Answer(500, "{}", Map.of()) : answers.removeFirst();
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stripe.start();
        lookup = new StripeApiLookup(agreement -> new StripeApiKeys.ApiKey("rk_test_secret", "acct_1Connected"),
                "http://127.0.0.1:" + stripe.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        stripe.stop(0);
    }

    @Test
    void asksWithTheKeyTheConnectedAccountAndStripeJavasApiVersionAndReadsTheJson() {
        answers.add(new Answer(200, "{\"id\":\"pi_1\",\"object\":\"payment_intent\"}", Map.of()));

        var intent = lookup.get(TestAgreements.sarahMindfulness(), "/v1/payment_intents/pi_1?expand[]=latest_charge");

        assertThat(intent.path("id").asText()).isEqualTo("pi_1");
        assertThat(asked).containsExactly(new Asked("/v1/payment_intents/pi_1?expand[]=latest_charge",
                "Bearer rk_test_secret", Stripe.API_VERSION, "acct_1Connected"));
    }

    @Test
    void noSuchObjectIsNullAndAskedOnce() {
        answers.add(new Answer(404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such charge\"}}", Map.of()));

        assertThat(lookup.get(TestAgreements.sarahMindfulness(), "/v1/charges/ch_404")).isNull();
        assertThat(asked).hasSize(1);
    }

    @Test
    void stripesOwnErrorIsAskedOnceMore() {
        answers.add(new Answer(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"try again\"}}", Map.of()));
        answers.add(new Answer(200, "{\"id\":\"ch_1\"}", Map.of()));

        assertThat(lookup.get(TestAgreements.sarahMindfulness(), "/v1/charges/ch_1").path("id").asText()).isEqualTo("ch_1");
        assertThat(asked).hasSize(2);
    }

    @Test
    void stripeSayingNotToRetryIsBelievedAndTheFailureNamesStatusTypeAndRequestButNoKey() {
        answers.add(new Answer(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"broken for good\"}}",
                Map.of("Stripe-Should-Retry", "false", "Request-Id", "req_42")));

        assertThatThrownBy(() -> lookup.get(TestAgreements.sarahMindfulness(), "/v1/charges/ch_1?expand[]=x"))
                .isInstanceOf(StripeLookup.StripeUnavailableException.class)
                .hasMessage("GET /v1/charges/ch_1 failed: HTTP 500: api_error broken for good (request req_42)")
                .hasMessageNotContaining("rk_test");
        assertThat(asked).hasSize(1);
    }

    @Test
    void aRefusedKeyIsNotAskedAgain() {
        answers.add(new Answer(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided\"}}",
                Map.of()));

        assertThatThrownBy(() -> lookup.get(TestAgreements.sarahMindfulness(), "/v1/charges/ch_1"))
                .isInstanceOf(StripeLookup.StripeUnavailableException.class).hasMessageContaining("HTTP 401");
        assertThat(asked).hasSize(1);
    }
}
