package dev.revshare.testing;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml, read for what a deployment gives a function: its handler, code folder, memory, timeout and
 * environment (Globals' variables, then the function's own). A {@code !Ref} is resolved as CloudFormation
 * would: a parameter to its default unless the test names a value, a resource to the name the test gives it
 * (its table, its bus); a {@code !GetAtt Resource.Attribute} to the value the test gives under that name (the
 * webhook's Function URL); anything else in the environment is refused, so a variable the tests cannot resolve
 * fails loudly instead of reaching the function as a logical name.
 */
public final class SamTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path file;
    private final JsonNode root;

    private SamTemplate(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** The project's template.yaml, found from the working directory (a module folder) upwards. */
    public static SamTemplate load() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("functions"))) {
                return load(candidate);
            }
        }
        throw new IllegalStateException("no template.yaml beside functions/ above " + Path.of("").toAbsolutePath());
    }

    public static SamTemplate load(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            parser.nextToken();
            return new SamTemplate(file, node(parser));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The folder template.yaml is in: code folders are relative to it. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    /** A parameter's default value. */
    public String parameterDefault(String parameter) {
        JsonNode value = root.path("Parameters").path(parameter).get("Default");
        if (value == null) {
            throw new IllegalArgumentException(file + " has no parameter " + parameter + " with a default");
        }
        return value.asText();
    }

    /** The logical ids of every AWS::Serverless::Function, in the template's order. */
    public List<String> functionNames() {
        return root.path("Resources").properties().stream()
                .filter(resource -> "AWS::Serverless::Function".equals(resource.getValue().path("Type").asText()))
                .map(Map.Entry::getKey).toList();
    }

    /** The AWS::Serverless::Function of that logical id. */
    public LambdaFunction function(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        if (!"AWS::Serverless::Function".equals(resource.path("Type").asText())) {
            throw new IllegalArgumentException(file + " has no AWS::Serverless::Function " + logicalId);
        }
        JsonNode globals = root.path("Globals").path("Function");
        JsonNode properties = resource.path("Properties");
        Map<String, JsonNode> environment = new TreeMap<>();
        globals.path("Environment").path("Variables").properties().forEach(e -> environment.put(e.getKey(), e.getValue()));
        properties.path("Environment").path("Variables").properties().forEach(e -> environment.put(e.getKey(), e.getValue()));
        return new LambdaFunction(logicalId, resource.path("Metadata").path("BuildMethod").asText(null), text(properties, globals, "Handler"), directory().resolve(text(properties, globals, "CodeUri")),
                Integer.parseInt(text(properties, globals, "MemorySize")), Integer.parseInt(text(properties, globals, "Timeout")),
                environment);
    }

    /** A function as the template declares it; {@code environment} still holds CloudFormation's references. */
    public final class LambdaFunction {
        private final String logicalId;
        private final String buildMethod;
        private final String handler;
        private final Path codeUri;
        private final int memorySize;
        private final int timeoutSeconds;
        private final Map<String, JsonNode> environment;

        private LambdaFunction(String logicalId, String buildMethod, String handler, Path codeUri, int memorySize,
                               int timeoutSeconds, Map<String, JsonNode> environment) {
            this.logicalId = logicalId;
            this.buildMethod = buildMethod;
            this.handler = handler;
            this.codeUri = codeUri;
            this.memorySize = memorySize;
            this.timeoutSeconds = timeoutSeconds;
            this.environment = environment;
        }

        public String logicalId() {
            return logicalId;
        }

        /** {@code package.Class::method}, as the runtime receives it. */
        public String handler() {
            return handler;
        }

        public Path codeUri() {
            return codeUri;
        }

        public int memorySize() {
            return memorySize;
        }

        public int timeoutSeconds() {
            return timeoutSeconds;
        }

        /**
         * Packages the function as `sam build` does for {@code BuildMethod: makefile}: runs
         * {@code make build-<LogicalId>} in its CodeUri folder with ARTIFACTS_DIR set to {@code buildDir/<LogicalId>},
         * and returns that folder (the function's task root: lib/<name>.jar). The jar must be built already.
         */
        public Path build(Path buildDir) {
            if (!"makefile".equals(buildMethod)) {
                throw new IllegalStateException(logicalId + " is built with " + buildMethod + ", not makefile");
            }
            Path artifacts = buildDir.resolve(logicalId).toAbsolutePath();
            List<String> command = List.of("make", "--no-print-directory", "build-" + logicalId, "ARTIFACTS_DIR=" + artifacts);
            try {
                Path log = Files.createTempFile("sam-build-" + logicalId, ".log");
                Process make = new ProcessBuilder(command).directory(codeUri.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!make.waitFor(120, TimeUnit.SECONDS)) {
                    make.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
                }
                String output = Files.readString(log);
                Files.delete(log);
                if (make.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " in " + codeUri + " failed:\n" + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run make in " + codeUri, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return artifacts;
        }

        /**
         * The function's environment variables as a deployment sets them: {@code names} gives what each
         * {@code !Ref} names (a resource's physical name, or a parameter's value instead of its default), and what
         * each {@code !GetAtt} gives, under {@code Resource.Attribute}.
         */
        public Map<String, String> environment(Map<String, String> names) {
            Map<String, String> resolved = new LinkedHashMap<>();
            environment.forEach((variable, value) -> resolved.put(variable, resolve(variable, value, names)));
            return resolved;
        }

        private String resolve(String variable, JsonNode value, Map<String, String> names) {
            if (value.isValueNode()) {
                return value.asText();
            }
            if (value.size() == 1 && value.has("Ref")) {
                String name = value.get("Ref").asText();
                if (names.containsKey(name)) {
                    return names.get(name);
                }
                JsonNode parameter = root.path("Parameters").path(name);
                if (parameter.has("Default")) {
                    return parameter.get("Default").asText();
                }
                throw new IllegalArgumentException(logicalId + "'s " + variable + " is !Ref " + name
                        + (parameter.isMissingNode() ? ", a resource" : ", a parameter without a default")
                        + ": give the name it stands for");
            }
            if (value.size() == 1 && value.has("Fn::GetAtt")) {
                // !GetAtt X.Y is read as "X.Y"; the long form Fn::GetAtt: [X, Y] as a list
                JsonNode target = value.get("Fn::GetAtt");
                String attribute = target.isArray() && target.size() == 2 ? target.get(0).asText() + "." + target.get(1).asText()
                        : target.asText();
                if (names.containsKey(attribute)) {
                    return names.get(attribute);
                }
                throw new IllegalArgumentException(logicalId + "'s " + variable + " is !GetAtt " + attribute
                        + ", known only once deployed: give the value it stands for under \"" + attribute + "\"");
            }
            throw new IllegalArgumentException(logicalId + "'s " + variable + " is " + value
                    + ": only literals, !Ref and !GetAtt are resolved here");
        }
    }

    private String text(JsonNode properties, JsonNode globals, String property) {
        JsonNode value = properties.has(property) ? properties.get(property) : globals.get(property);
        if (value == null || !value.isValueNode()) {
            throw new IllegalArgumentException(file + ": " + property + " is not a literal (" + value + ")");
        }
        return value.asText();
    }

    /**
     * The node at the parser's current token, with YAML's short-form tags written as CloudFormation's long
     * form: {@code !Ref X} as {"Ref": "X"}, {@code !GetAtt X.Y} as {"Fn::GetAtt": "X.Y"}.
     */
    private static JsonNode node(YAMLParser parser) throws IOException {
        Object tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        JsonNode node;
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                object.set(name, node(parser));
            }
            node = object;
        } else if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(node(parser));
            }
            node = array;
        } else if (token == JsonToken.VALUE_NULL) {
            node = NODES.nullNode();
        } else {
            node = NODES.textNode(parser.getText());
        }
        if (tag == null) {
            return node;
        }
        ObjectNode function = NODES.objectNode();
        function.set("Ref".equals(tag) ? "Ref" : "Fn::" + tag, node);
        return function;
    }
}
