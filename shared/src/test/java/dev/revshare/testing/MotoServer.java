package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.AwsClients;
import dev.revshare.json.Json;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * moto in server mode on 127.0.0.1, the SESv2 / EventBridge / SSM / SQS emulator of the tests: started
 * once per test JVM from the project's own virtual environment (scripts/install-tools.sh puts it in
 * .tools/moto), stopped when the JVM exits.
 */
public final class MotoServer {
    public static final String REGION = "us-east-1";
    private static MotoServer instance;

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static synchronized MotoServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Clients for every AWS service, pointed at this server. */
    public AwsClients clients() {
        return AwsClients.forEndpoint(endpoint, REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    /** An SQS client for this server: tests read EventBridge events back through a queue target. */
    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Forgets everything (mail sent, identities, buses, parameters): each test starts clean. */
    public void reset() {
        send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The raw MIME messages SES accepted, oldest first, as moto stores them. */
    public List<SentRawMessage> sentRawMessages() {
        JsonNode data = Json.read(send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).GET()), JsonNode.class);
        List<SentRawMessage> messages = new ArrayList<>();
        for (JsonNode message : data.path("ses").path("RawMessage")) {
            List<String> destinations = new ArrayList<>();
            message.path("destinations").forEach(d -> destinations.add(d.asText()));
            messages.add(new SentRawMessage(message.path("id").asText(), message.path("source").asText(), destinations,
                    message.path("raw_data").asText().getBytes(StandardCharsets.UTF_8)));
        }
        return messages;
    }

    public record SentRawMessage(String id, String source, List<String> destinations, byte[] raw) {}

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto server unreachable at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MotoServer start() {
        Path binary = LocalTools.projectTool(".tools/moto/bin/moto_server", "MOTO_SERVER", "moto server");
        int port = LocalTools.freePort();
        try {
            File log = Files.createTempFile("moto-server", ".log").toFile();
            Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
    }

    private void awaitReady(File log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited at start; its log: " + log);
            }
            try {
                send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/config")).GET().timeout(Duration.ofSeconds(1)));
                return;
            } catch (IllegalStateException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("moto server did not answer within 30 s; its log: " + log);
    }
}
