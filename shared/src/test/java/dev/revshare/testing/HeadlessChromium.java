package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.Json;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the DevTools protocol (a WebSocket, with the JDK's own client): navigate,
 * size the window as a phone or a desktop, click what a person would click, read the page, take screenshots. The page
 * under test runs no script; the test's own expressions run through DevTools, outside the page's Content-Security-Policy.
 */
public final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    public static HeadlessChromium start(Path log) throws Exception {
        Path profile = Files.createTempDirectory("revshare-chromium");
        Process process = new ProcessBuilder(binary(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plusSeconds(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("chromium did not open its DevTools port: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        String port = Files.readAllLines(portFile).get(0).trim();
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        while (pageSocket == null) {
            JsonNode targets = Json.read(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body(), JsonNode.class);
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    JsonNode answer = Json.read(message.toString(), JsonNode.class);
                    message.setLength(0);
                    if (answer.has("id") && self[0] != null) {
                        CompletableFuture<JsonNode> waiting = self[0].pending.remove(answer.get("id").asInt());
                        if (waiting != null) {
                            waiting.complete(answer);
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(process, profile, socket);
        self[0].send("Page.enable", Map.of());
        return self[0];
    }

    /** Sends a DevTools command and waits for its result. */
    public synchronized JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = Json.mapper().createObjectNode();
        command.put("id", id);
        command.put("method", method);
        command.set("params", Json.mapper().valueToTree(params));
        socket.sendText(Json.write(command), true).get(30, TimeUnit.SECONDS);
        JsonNode result = answer.get(60, TimeUnit.SECONDS);
        if (result.has("error")) {
            throw new IllegalStateException(method + " failed: " + result.get("error"));
        }
        return result.path("result");
    }

    /** The window a person sees: a phone's (mobile) or a desktop's. */
    public void size(int width, int height, boolean mobile) throws Exception {
        send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    public void open(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete' && location.href === " + Json.write(url));
    }

    /** Evaluates an expression in the page (by DevTools) and returns its value. */
    public JsonNode evaluate(String expression) throws Exception {
        return send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).path("result").path("value");
    }

    /** Waits until the expression is true in the loaded page (after a click that posts a form and follows its redirect). */
    public void waitFor(String expression) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!evaluate("(() => { try { return !!(" + expression + "); } catch (e) { return false; } })()").asBoolean(false)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the page never got to: " + expression + "; it is at " + evaluate("location.href")
                        + ", showing: " + evaluate("document.body ? document.body.innerText.slice(0, 300) : ''"));
            }
            Thread.sleep(100);
        }
    }

    /** The whole page (beyond the window) as a PNG. */
    public void screenshot(Path file) throws Exception {
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    public static String binary() {
        for (String candidate : List.of(System.getenv().getOrDefault("CHROMIUM", ""), "/usr/bin/chromium",
                "/usr/bin/chromium-browser")) {
            if (!candidate.isEmpty() && new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("Chromium not installed: run scripts/install-tools.sh (`make test` runs it; it "
                + "installs Debian's chromium package), or set CHROMIUM to a chromium binary");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
