package dev.revshare.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a packaged function jar the way Lambda's java21 runtime does, in a child JVM whose class path
 * holds only that jar and the runtime's event serializer: the handler is built with its no-arg
 * (production) constructor from environment variables, the event JSON is read into the handler's
 * input type by the runtime's own serializer, and the answer is written back as JSON. This proves the
 * shaded jar holds everything the function needs.
 */
public final class LambdaJarProcess {

    /** What the child JVM printed and how it ended. */
    public record Invocation(int exitCode, String response, String log) {}

    public static Invocation invoke(Path jar, String handlerClass, String eventJson, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path event = Files.createTempFile("lambda-event", ".json");
        Files.writeString(event, eventJson);
        Path answer = Files.createTempFile("lambda-answer", ".json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, jar.toString(), codeSource(LambdaEventSerializers.class),
                        codeSource(LambdaJarProcess.class)),
                LambdaJarProcess.class.getName(), handlerClass, event.toString(), answer.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("lambda-log", ".txt");
        // the function logs to stdout and stderr, as in Lambda; both go to one log
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the function did not finish in 60 s; log: " + log);
        }
        return new Invocation(process.exitValue(), Files.readString(answer).strip(), Files.readString(log));
    }

    /** The child JVM: {@code LambdaJarProcess HANDLER_CLASS EVENT_FILE ANSWER_FILE}. */
    public static void main(String[] args) throws Exception {
        Class<?> handlerType = Class.forName(args[0]);
        Object handler = handlerType.getDeclaredConstructor().newInstance();
        Method handleRequest = null;
        for (Method method : handlerType.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                handleRequest = method;
            }
        }
        Class<?> inputType = handleRequest.getParameterTypes()[0];
        Object input = serializer(inputType).fromJson(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))));
        Object output = handleRequest.invoke(handler, input, null);
        if (output instanceof Map<?, ?> map) {
            output = new java.util.LinkedHashMap<>(map); // the serializer binds maps as LinkedHashMap
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(output.getClass()).toJson(output, out);
        Files.write(Path.of(args[2]), out.toByteArray());
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type) {
        if (Map.class.isAssignableFrom(type)) {
            return (PojoSerializer<Object>) (PojoSerializer<?>) LambdaEventSerializers.serializerFor(
                    (Class<Object>) (Class<?>) java.util.LinkedHashMap.class, LambdaJarProcess.class.getClassLoader());
        }
        return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<Object>) type, LambdaJarProcess.class.getClassLoader());
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
