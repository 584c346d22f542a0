package dev.revshare.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * stripe-mock, Stripe's official mock of its API (built from Stripe's OpenAPI spec: it refuses a request
 * the real API would refuse as invalid), on 127.0.0.1: started once per test JVM from .tools/go (scripts/
 * install-tools.sh installs it), stopped when the JVM exits.
 */
public final class StripeMockServer {
    private static StripeMockServer instance;

    private final String baseUrl;

    private StripeMockServer(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static synchronized StripeMockServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** The base URL to give stripe-java instead of https://api.stripe.com. */
    public String baseUrl() {
        return baseUrl;
    }

    private static StripeMockServer start() {
        Path binary = LocalTools.projectTool(".tools/go/bin/stripe-mock", "STRIPE_MOCK", "stripe-mock");
        int port = LocalTools.freePort();
        try {
            File log = Files.createTempFile("stripe-mock", ".log").toFile();
            Process process = new ProcessBuilder(binary.toString(), "-http-addr", "127.0.0.1:" + port,
                    "-https-addr", "127.0.0.1:")
                    .redirectErrorStream(true).redirectOutput(log).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("stripe-mock exited at start; its log: " + log);
                }
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    return new StripeMockServer("http://127.0.0.1:" + port);
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("stripe-mock did not listen within 30 s; its log: " + log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
