package dev.revshare.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stripe's API as recorded answers, over HTTP on loopback, for stripe-java to talk to: each request's
 * decoded path and query is looked up among the answers; anything else gets Stripe's 404 error. It keeps
 * every request with its {@code Stripe-Account} header, so tests can see what was asked and for whom.
 */
public final class RecordedStripeApi implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    public record Request(String pathAndQuery, String stripeAccount, String authorization) {}

    public RecordedStripeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.createContext("/", exchange -> {
            String raw = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            String pathAndQuery = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            requests.add(new Request(pathAndQuery, exchange.getRequestHeaders().getFirst("Stripe-Account"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            String answer = answers.get(pathAndQuery);
            int status = failWith != 0 ? failWith : answer == null ? 404 : 200;
            if (status != 200) {
                answer = "{\"error\":{\"type\":\"" + (status == 404 ? "invalid_request_error" : "api_error")
                        + "\",\"message\":\"No such object: " + pathAndQuery.replace("\"", "") + "\"}}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_recorded");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The base URL to give stripe-java instead of https://api.stripe.com. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Answers {@code pathAndQuery} (decoded, e.g. {@code /v1/prices/price_1?expand[]=product}) with {@code json}. */
    public RecordedStripeApi answer(String pathAndQuery, String json) {
        answers.put(pathAndQuery, json);
        return this;
    }

    /** Every request answers with this HTTP status from now on (0: answer normally again). */
    public void failWith(int status) {
        failWith = status;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
