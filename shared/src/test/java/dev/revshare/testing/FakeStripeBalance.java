package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.revshare.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stripe's {@code GET /v1/balance_transactions} over HTTP on loopback, for stripe-java to page through: the
 * transactions given, filtered by {@code created[gte]} / {@code created[lt]}, newest first as Stripe lists them,
 * {@code limit} a page after {@code starting_after}, each with its source expanded when {@code expand[]=data.source}
 * is asked (else its id, as Stripe answers). The daily sweep's lists too: {@code GET /v1/events} (the events given,
 * of the {@code Stripe-Account} asked for, filtered by {@code created[gte]} and {@code delivery_success}) and
 * {@code GET /v1/webhook_endpoints}. It keeps every request with its {@code Stripe-Account} header, and
 * can answer as Stripe does when things go wrong: a status with headers (429 with {@code Retry-After}, 500, 403),
 * or no answer at all (a timeout).
 */
public final class FakeStripeBalance implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<ObjectNode> transactions = new CopyOnWriteArrayList<>();
    /** events, each with whether Stripe delivered it to every endpoint */
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<ObjectNode> endpoints = new CopyOnWriteArrayList<>();
    private final List<RecordedStripeApi.Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Failure failure;
    private volatile int failuresLeft;
    private volatile boolean silent;
    private volatile java.util.function.Predicate<RecordedStripeApi.Request> failingRequests = request -> true;

    /** An answer Stripe gives when something is wrong. */
    public record Failure(int status, String type, String message, Map<String, String> headers) {}

    public FakeStripeBalance() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    /** The base URL to give stripe-java instead of https://api.stripe.com. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Adds balance transactions, each with its {@code source} object (as {@code expand[]=data.source} gives it). */
    public FakeStripeBalance add(List<ObjectNode> more) {
        transactions.addAll(more);
        return this;
    }

    public FakeStripeBalance add(ObjectNode transaction) {
        transactions.add(transaction);
        return this;
    }

    /** Adds an event (its JSON as a webhook delivers it), delivered to every endpoint or not. */
    public FakeStripeBalance addEvent(String json, boolean deliveredToEveryEndpoint) {
        ObjectNode event = (ObjectNode) Json.read(json, JsonNode.class);
        events.add(event);
        if (deliveredToEveryEndpoint) {
            delivered.add(event.path("id").asText());
        }
        return this;
    }

    /** Adds a webhook endpoint of the account, as Stripe lists it. */
    public FakeStripeBalance addWebhookEndpoint(String id, String url, boolean enabled, String... enabledEvents) {
        ObjectNode endpoint = Json.mapper().createObjectNode();
        endpoint.put("id", id);
        endpoint.put("object", "webhook_endpoint");
        endpoint.put("api_version", (String) null);
        endpoint.put("application", (String) null);
        endpoint.put("created", 1_780_000_000L);
        endpoint.put("description", "revshare");
        ArrayNode types = endpoint.putArray("enabled_events");
        for (String type : enabledEvents) {
            types.add(type);
        }
        endpoint.put("livemode", false);
        endpoint.putObject("metadata");
        endpoint.put("status", enabled ? "enabled" : "disabled");
        endpoint.put("url", url);
        endpoints.add(endpoint);
        return this;
    }

    /** The next {@code times} requests are answered with this failure, then normally again. */
    public void failNext(int times, Failure with) {
        failingRequests = request -> true;
        failure = with;
        failuresLeft = times;
    }

    /** Every request is answered with this failure from now on (null: answer normally again). */
    public void failAlways(Failure with) {
        failingRequests = request -> true;
        failure = with;
        failuresLeft = with == null ? 0 : Integer.MAX_VALUE;
    }

    /** Every request whose decoded path and query passes {@code which} is answered with this failure from now on. */
    public void failWhen(java.util.function.Predicate<String> which, Failure with) {
        failAlways(with);
        failingRequests = request -> which.test(request.pathAndQuery());
    }

    /** Every request that passes {@code which} (its path and query, {@code Stripe-Account}, key) fails from now on. */
    public void failWhenAsked(java.util.function.Predicate<RecordedStripeApi.Request> which, Failure with) {
        failAlways(with);
        failingRequests = which;
    }

    /** Requests are accepted and never answered (true), or answered again (false). */
    public void silent(boolean never) {
        silent = never;
    }

    public List<RecordedStripeApi.Request> requests() {
        return List.copyOf(requests);
    }

    public static Failure rateLimited(int retryAfterSeconds) {
        return new Failure(429, "rate_limit_error", "Too many requests hit the API too quickly.",
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static Failure serverError() {
        return new Failure(500, "api_error", "Something went wrong on Stripe's end.", Map.of());
    }

    public static Failure forbidden() {
        return new Failure(403, "invalid_request_error",
                "The provided key 'rk_test_***' does not have the required permissions for this endpoint.", Map.of());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String pathAndQuery = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        RecordedStripeApi.Request request = new RecordedStripeApi.Request(pathAndQuery,
                exchange.getRequestHeaders().getFirst("Stripe-Account"), exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(request);
        if (silent) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        Failure failing = null;
        synchronized (this) {
            if (failure != null && failuresLeft > 0 && failingRequests.test(request)) {
                failing = failure;
                failuresLeft--;
            }
        }
        if (failing != null) {
            ObjectNode error = Json.mapper().createObjectNode();
            error.putObject("error").put("type", failing.type()).put("message", failing.message());
            failing.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            send(exchange, failing.status(), Json.write(error));
            return;
        }
        Map<String, List<String>> query = parameters(pathAndQuery);
        switch (exchange.getRequestURI().getPath()) {
            case "/v1/balance_transactions" -> send(exchange, 200, Json.write(page(query, transactions, "/v1/balance_transactions")));
            case "/v1/events" -> {
                String deliverySuccess = first(query, "delivery_success", null);
                List<ObjectNode> ofAccount = events.stream()
                        .filter(e -> java.util.Objects.equals(request.stripeAccount(), e.path("account").textValue()))
                        .filter(e -> deliverySuccess == null || Boolean.parseBoolean(deliverySuccess)
                                == delivered.contains(e.path("id").asText())).toList();
                send(exchange, 200, Json.write(page(query, ofAccount, "/v1/events")));
            }
            case "/v1/webhook_endpoints" -> send(exchange, 200, Json.write(page(query, endpoints, "/v1/webhook_endpoints")));
            default -> send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}");
        }
    }

    private static ObjectNode page(Map<String, List<String>> query, List<ObjectNode> items, String url) {
        long from = Long.parseLong(first(query, "created[gte]", "0"));
        long to = Long.parseLong(first(query, "created[lt]", String.valueOf(Long.MAX_VALUE)));
        int limit = Integer.parseInt(first(query, "limit", "10"));
        String after = first(query, "starting_after", null);
        boolean expand = query.getOrDefault("expand[]", List.of()).contains("data.source");
        List<ObjectNode> newestFirst = new ArrayList<>(items.stream()
                .filter(t -> t.path("created").asLong() >= from && t.path("created").asLong() < to).toList());
        newestFirst.sort(Comparator.comparing((ObjectNode t) -> t.path("created").asLong())
                .thenComparing(t -> t.path("id").asText()).reversed());
        int start = 0;
        if (after != null) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).path("id").asText().equals(after)) {
                    start = i + 1;
                }
            }
        }
        List<ObjectNode> shown = newestFirst.subList(Math.min(start, newestFirst.size()), Math.min(start + limit, newestFirst.size()));
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (ObjectNode transaction : shown) {
            ObjectNode copy = transaction.deepCopy();
            if (!expand && copy.path("source").isObject()) {
                copy.put("source", copy.path("source").path("id").asText());
            }
            data.add(copy);
        }
        list.put("has_more", start + limit < newestFirst.size());
        list.put("url", url);
        return list;
    }

    private static Map<String, List<String>> parameters(String pathAndQuery) {
        Map<String, List<String>> parameters = new HashMap<>();
        int query = pathAndQuery.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        for (String pair : pathAndQuery.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(equals < 0 ? "" : pair.substring(equals + 1));
        }
        return parameters;
    }

    private static String first(Map<String, List<String>> query, String name, String orElse) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? orElse : values.get(0);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_fake_balance");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    // ---------------------------------------------------------------- balance transactions as Stripe lists them

    /** The balance transaction of a charge (type charge), its source the charge a charge.succeeded event carries. */
    public static ObjectNode charge(String id, JsonNode charge) {
        return transaction(id, "charge", "charge", charge.path("amount_captured").asLong(charge.path("amount").asLong()),
                charge.path("currency").asText(), Instant.ofEpochSecond(charge.path("created").asLong()), charge);
    }

    /** The balance transaction of a refund (type refund, negative), its source the refund a refund event carries. */
    public static ObjectNode refund(String id, JsonNode refund) {
        return transaction(id, "refund", "refund", -refund.path("amount").asLong(), refund.path("currency").asText(),
                Instant.ofEpochSecond(refund.path("created").asLong()), refund);
    }

    /**
     * The balance transaction of a dispute's withdrawal (type adjustment, category dispute, negative) or
     * reinstatement (dispute_reversal, positive), its source the dispute.
     */
    public static ObjectNode dispute(String id, JsonNode dispute, boolean withdrawal, Instant at) {
        long amount = dispute.path("amount").asLong();
        return transaction(id, "adjustment", withdrawal ? "dispute" : "dispute_reversal", withdrawal ? -amount : amount,
                dispute.path("currency").asText(), at, dispute);
    }

    /** A balance transaction that is not revenue: a payout, Stripe's fee... with a plain source (or none). */
    public static ObjectNode other(String id, String type, String category, long amount, String currency, Instant at,
                                   String sourceId) {
        ObjectNode source = null;
        if (sourceId != null) {
            source = Json.mapper().createObjectNode().put("id", sourceId).put("object", type);
        }
        return transaction(id, type, category, amount, currency, at, source);
    }

    public static ObjectNode transaction(String id, String type, String category, long amount, String currency, Instant at,
                                         JsonNode source) {
        ObjectNode transaction = Json.mapper().createObjectNode();
        transaction.put("id", id);
        transaction.put("object", "balance_transaction");
        transaction.put("amount", amount);
        transaction.put("available_on", at.getEpochSecond() + 2 * 86_400);
        transaction.put("created", at.getEpochSecond());
        transaction.put("currency", currency);
        transaction.put("description", (String) null);
        transaction.put("fee", 0);
        transaction.putArray("fee_details");
        transaction.put("net", amount);
        transaction.put("reporting_category", category);
        if (source == null) {
            transaction.putNull("source");
        } else {
            transaction.set("source", source.deepCopy());
        }
        transaction.put("status", "available");
        transaction.put("type", type);
        return transaction;
    }
}
