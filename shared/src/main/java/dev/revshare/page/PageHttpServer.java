package dev.revshare.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The page served by the JDK's own HTTP server: what {@code revshare serve} runs on the local store, and what the
 * browser tests open. Each request becomes a {@link PageRequest}, exactly as the Function URL's handler makes one.
 */
public final class PageHttpServer implements AutoCloseable {
    /** A form is a few kilobytes; a post over this is refused unread. */
    public static final int MAX_BODY = 256 * 1024;

    private final HttpServer server;
    private final ExecutorService threads;

    private PageHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts serving at {@code address} (port 0: any free port). */
    public static PageHttpServer start(PartyPage page, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, page.handle(request(exchange)));
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.start();
        return new PageHttpServer(server, threads);
    }

    /** The address to put before {@code p/TOKEN}: "http://127.0.0.1:8642/". */
    public String base() {
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        return "http://" + host + ":" + bound.getPort() + "/";
    }

    private static PageRequest request(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.get(0)));
        String body = null;
        if ("POST".equalsIgnoreCase(exchange.getRequestMethod())) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                body = bytes.length > MAX_BODY ? "" : new String(bytes, StandardCharsets.UTF_8);
            }
        }
        return new PageRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private static void answer(HttpExchange exchange, PageResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 || head ? -1 : response.body().length);
        if (response.body().length > 0 && !head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
