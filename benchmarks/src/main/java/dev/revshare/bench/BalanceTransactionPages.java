package dev.revshare.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.revshare.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A month of Stripe's {@code GET /v1/balance_transactions} as a fake API over HTTP on loopback: the pages are
 * written once, up front, newest first and 100 a page as Stripe lists them (each transaction with its source
 * charge expanded, about 3 KB), so that serving one costs the fake next to nothing and the time measured is the
 * client's. It counts the requests: the Stripe calls of a run.
 */
final class BalanceTransactionPages implements AutoCloseable {
    static final int PAGE = 100;

    private final HttpServer server;
    /** starting_after ("" for the first page) → the page's body */
    private final Map<String, byte[]> pages = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** @param charges the month's charges, as charge.succeeded events carry them */
    BalanceTransactionPages(List<JsonNode> charges) {
        List<ObjectNode> newestFirst = new ArrayList<>();
        for (JsonNode charge : charges) {
            newestFirst.add(transaction(charge));
        }
        newestFirst.sort(Comparator.comparing((ObjectNode t) -> t.path("created").asLong())
                .thenComparing(t -> t.path("id").asText()).reversed());
        String after = "";
        for (int start = 0; start == 0 || start < newestFirst.size(); start += PAGE) {
            List<ObjectNode> page = newestFirst.subList(start, Math.min(start + PAGE, newestFirst.size()));
            ObjectNode list = Json.mapper().createObjectNode();
            list.put("object", "list");
            ArrayNode data = list.putArray("data");
            page.forEach(data::add);
            list.put("has_more", start + PAGE < newestFirst.size());
            list.put("url", "/v1/balance_transactions");
            pages.put(after, Json.write(list).getBytes(StandardCharsets.UTF_8));
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).path("id").asText();
            }
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fake-stripe");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/balance_transactions", exchange -> {
            requests.incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery() == null ? ""
                    : URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            String startingAfter = "";
            for (String pair : query.split("&")) {
                if (pair.startsWith("starting_after=")) {
                    startingAfter = pair.substring("starting_after=".length());
                }
            }
            byte[] body = pages.get(startingAfter);
            int status = body == null ? 400 : 200;
            if (body == null) {
                body = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such balance transaction\"}}"
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_bench");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    int pages() {
        return pages.size();
    }

    /** A charge's balance transaction: the charge's amount in the account's currency, the charge as its source. */
    private static ObjectNode transaction(JsonNode charge) {
        ObjectNode transaction = Json.mapper().createObjectNode();
        long amount = charge.path("amount_captured").asLong();
        transaction.put("id", charge.path("balance_transaction").asText());
        transaction.put("object", "balance_transaction");
        transaction.put("amount", amount);
        transaction.put("available_on", charge.path("created").asLong() + 2 * 86_400);
        transaction.put("created", charge.path("created").asLong());
        transaction.put("currency", charge.path("currency").asText());
        transaction.put("description", charge.path("description").asText());
        long fee = Math.round(amount * 0.029) + 30;
        transaction.put("fee", fee);
        transaction.putArray("fee_details").addObject().put("amount", fee).put("currency", charge.path("currency").asText())
                .put("description", "Stripe processing fees").put("type", "stripe_fee");
        transaction.put("net", amount - fee);
        transaction.put("reporting_category", "charge");
        transaction.set("source", charge);
        transaction.put("status", "available");
        transaction.put("type", "charge");
        return transaction;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
