package dev.revshare.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe's {@code POST /v1/transfers} over HTTP on loopback, keeping idempotency as Stripe does: a request under a key
 * seen before gets the first answer again (a transfer, or the refusal), and the same key with other parameters is a
 * 400 {@code idempotency_error}; a 500 is not kept, so asking again may succeed. It can refuse the next transfer as
 * Stripe refuses one (insufficient platform balance), and fail the next requests with a 500 before or after making
 * the transfer (the answer lost on the way back).
 */
public final class FakeStripeTransfers implements AutoCloseable {
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> byKey = new ConcurrentHashMap<>();
    private final List<Map<String, String>> transfers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile String refuseCode;
    private volatile String refuseMessage;
    private volatile int failNext;
    private volatile boolean loseAnswerAfterMaking;

    /** One request as it arrived: its form parameters (decoded) and headers. */
    public record Request(Map<String, String> form, String idempotencyKey, String authorization, String stripeAccount) {}

    private record Answer(int status, String body, Map<String, String> form) {}

    public FakeStripeTransfers() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** The next new transfer is refused, as Stripe refuses one (kept under its key, as Stripe keeps it). */
    public void refuseNext(String code, String message) {
        refuseCode = code;
        refuseMessage = message;
    }

    /** The next {@code times} requests get a 500 without a transfer being made. */
    public void failNext(int times) {
        failNext = times;
    }

    /** The next new transfer is made, and its answer lost: the caller sees 500s until it asks again later. */
    public void loseAnswerAfterMaking() {
        loseAnswerAfterMaking = true;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The transfers made, each as its form parameters plus its id. */
    public List<Map<String, String>> transfers() {
        return List.copyOf(transfers);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(new Request(form, key, exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Stripe-Account")));
        if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/transfers".equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, error("invalid_request_error", null, "Unrecognized request URL"));
            return;
        }
        if (failNext > 0) {
            failNext--;
            send(exchange, 500, error("api_error", null, "Something went wrong on Stripe's end."));
            return;
        }
        Answer earlier = key == null ? null : byKey.get(key);
        if (earlier != null) {
            if (!earlier.form().equals(form)) {
                send(exchange, 400, error("idempotency_error", null, "Keys for idempotent requests can only be used with "
                        + "the same parameters they were first used with."));
            } else {
                send(exchange, earlier.status(), earlier.body());
            }
            return;
        }
        Answer answer;
        if (refuseCode != null) {
            answer = new Answer(400, error("invalid_request_error", refuseCode, refuseMessage), form);
            refuseCode = null;
        } else {
            String id = "tr_fake" + ids.incrementAndGet();
            Map<String, String> made = new LinkedHashMap<>(form);
            made.put("id", id);
            transfers.add(made);
            answer = new Answer(200, "{\"id\":\"" + id + "\",\"object\":\"transfer\",\"amount\":" + form.get("amount")
                    + ",\"currency\":\"" + form.get("currency") + "\",\"destination\":\"" + form.get("destination")
                    + "\",\"transfer_group\":\"" + form.get("transfer_group") + "\",\"livemode\":false}", form);
        }
        if (key != null) {
            byKey.put(key, answer);
        }
        if (loseAnswerAfterMaking) {
            loseAnswerAfterMaking = false;
            failNext = 2; // stripe-java's two retries see 500s too: the caller hears nothing this time
            send(exchange, 500, error("api_error", null, "Something went wrong on Stripe's end."));
            return;
        }
        send(exchange, answer.status(), answer.body());
    }

    private static String error(String type, String code, String message) {
        return "{\"error\":{\"type\":\"" + type + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"")
                + ",\"message\":\"" + message.replace("\"", "'") + "\"}}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_fake_transfers");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
