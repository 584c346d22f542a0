package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function started as Lambda's managed java21 runtime starts it, inside the AWS Lambda Runtime Interface
 * Emulator (aws-lambda-rie, which scripts/install-tools.sh builds into .tools/go/bin): the emulator runs
 * {@code java -cp <runtime interface client> com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}
 * in the function's task root, the folder `sam build` leaves ({@code lib/<name>.jar}), whose jars the
 * client loads with its own class loader, as the runtime loads /var/task. The environment is the
 * function's alone (JAVA_TOOL_OPTIONS included, as Lambda passes it). Like Lambda, the emulator starts the
 * JVM at the first invocation, so the first answer carries the whole cold start.
 *
 * <p>The runtime interface client and the jars its manifest names come from Maven Central into a folder
 * (the functions' and the benchmarks' pom.xml copy them to target/lambda-runtime), named by the system
 * property {@code lambda.runtime.dir}.
 */
public final class LambdaRuntimeEmulator implements AutoCloseable {
    public static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Duration READY_WITHIN = Duration.ofSeconds(15);

    private final Process process;
    private final long startedNanos;
    private final Path output;
    private final URI invocations;
    private final Duration invokeTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread killOnExit;

    /** What the emulator answered one invocation, and when its first byte came. */
    public record Answer(int status, String body, Duration firstByteSinceStart, Duration firstByteSinceSent) {
        public JsonNode json() {
            return Json.read(body, JsonNode.class);
        }
    }

    private LambdaRuntimeEmulator(Process process, long startedNanos, Path output, int port, Duration invokeTimeout) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.output = output;
        this.invocations = URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations");
        this.invokeTimeout = invokeTimeout;
        this.killOnExit = new Thread(this::kill);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a function of template.yaml, from the task root `sam build` made of it ({@link SamTemplate.LambdaFunction#build}),
     * with {@code environment} and what Lambda adds for its name, memory and timeout.
     */
    public static LambdaRuntimeEmulator start(SamTemplate.LambdaFunction function, Path taskRoot, Map<String, String> environment) {
        Map<String, String> all = lambdaEnvironment("revshare-" + function.logicalId(), function.memorySize(), function.timeoutSeconds());
        all.putAll(environment);
        return start(taskRoot, function.handler(), all);
    }

    /**
     * Starts the emulator around {@code handler} in {@code taskRoot}, with exactly {@code environment} (plus
     * PATH) and nothing of this JVM's own. Returns once the emulator listens; the function's JVM starts at the
     * first {@link #invoke}.
     */
    public static LambdaRuntimeEmulator start(Path taskRoot, String handler, Map<String, String> environment) {
        Path emulator = LocalTools.projectTool(".tools/go/bin/aws-lambda-rie", "AWS_LAMBDA_RIE", "aws-lambda-rie");
        int[] ports = LocalTools.freePorts(2);
        int port = ports[0];
        int runtimeApiPort = ports[1];
        List<String> command = List.of(emulator.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + port,
                "--runtime-api-address", "127.0.0.1:" + runtimeApiPort,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", runtimeClient().toString(), RUNTIME_CLIENT_MAIN, handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        Duration invokeTimeout = Duration.ofSeconds(
                Long.parseLong(environment.getOrDefault("AWS_LAMBDA_FUNCTION_TIMEOUT", "300")) + 30);
        try {
            Path output = Files.createTempFile("lambda-rie-", ".log");
            output.toFile().deleteOnExit();
            long startedNanos = System.nanoTime();
            Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            LambdaRuntimeEmulator started = new LambdaRuntimeEmulator(process, startedNanos, output, port, invokeTimeout);
            started.awaitListening(port);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + emulator, e);
        }
    }

    /** The runtime interface client's jar in {@code lambda.runtime.dir} (its manifest names the jars beside it). */
    public static Path runtimeClient() {
        String dir = System.getProperty("lambda.runtime.dir");
        if (dir == null) {
            throw new IllegalStateException("system property lambda.runtime.dir is not set: it names the folder Maven "
                    + "copies the Java runtime interface client into (target/lambda-runtime)");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(dir), "aws-lambda-java-runtime-interface-client-*.jar")) {
            List<Path> found = new ArrayList<>();
            jars.forEach(found::add);
            if (found.size() != 1) {
                throw new IllegalStateException("expected one aws-lambda-java-runtime-interface-client jar in " + dir + ", found " + found
                        + ": run the Maven build of this module (it copies the client there)");
            }
            return found.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Sends one event to the invoke API, as Lambda's services do, and waits for the answer. */
    public Answer invoke(String event) {
        HttpRequest request = HttpRequest.newBuilder(invocations).timeout(invokeTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        long sent = System.nanoTime();
        try {
            // the response's headers are its first byte: the emulator writes them with the function's answer
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long firstByte = System.nanoTime();
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(response.statusCode(), body, Duration.ofNanos(firstByte - startedNanos),
                    Duration.ofNanos(firstByte - sent));
        } catch (IOException e) {
            throw new IllegalStateException("the emulator did not answer at " + invocations + " (" + e + "); its output:\n" + output(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the emulator and the function printed so far (the function's log lines, the emulator's reports). */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** Stops the emulator and the function's JVM it started. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    /** Killed outright, as Lambda discards an environment: neither process keeps anything worth a graceful stop. */
    private void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + handle.pid() + " (" + handle.info().command().orElse("?")
                        + ") did not stop within 10 s of SIGKILL", e);
            }
        }
    }

    private void awaitListening(int port) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("aws-lambda-rie exited at start (" + process.exitValue() + "); its output:\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("aws-lambda-rie did not listen on 127.0.0.1:" + port + " within " + READY_WITHIN.toSeconds()
                + " s; its output:\n" + output());
    }

    /**
     * Credentials, region and endpoints that send the function's AWS calls to moto, and DynamoDB's to DynamoDB
     * Local, through the SDK's standard settings (no special code path in the function).
     */
    public static Map<String, String> localAws(MotoServer moto, DynamoDbLocalServer dynamoDb) {
        return Map.of("AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
    }

    /** The environment Lambda itself adds for a function of this name, memory and timeout (the emulator reads them). */
    public static Map<String, String> lambdaEnvironment(String functionName, int memorySize, int timeoutSeconds) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memorySize));
        environment.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeoutSeconds));
        return environment;
    }
}
