package dev.revshare.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit: functions of template.yaml started under the Lambda Runtime Interface Emulator for one test
 * ({@code @RegisterExtension final LambdaRuntimes lambda = new LambdaRuntimes();}), each packaged by its
 * own `sam build` rule into target/sam-build/. Every emulator (and the function's JVM) is stopped after the
 * test; when the test failed, what each printed goes to the test's output.
 */
public final class LambdaRuntimes implements AfterEachCallback, TestWatcher {
    private final SamTemplate template = SamTemplate.load();
    private final List<Started> started = new ArrayList<>();

    private record Started(String function, LambdaRuntimeEmulator emulator) {}

    public SamTemplate template() {
        return template;
    }

    /** Starts {@code logicalId} with its environment from the template ({@code names} resolves its !Ref) plus {@code local}. */
    public LambdaRuntimeEmulator start(String logicalId, Map<String, String> names, Map<String, String> local) {
        SamTemplate.LambdaFunction function = template.function(logicalId);
        Path taskRoot = function.build(Path.of("target", "sam-build"));
        Map<String, String> environment = new java.util.HashMap<>(function.environment(names));
        environment.putAll(local);
        LambdaRuntimeEmulator emulator = LambdaRuntimeEmulator.start(function, taskRoot, environment);
        started.add(new Started(logicalId, emulator));
        return emulator;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(s -> s.emulator().close());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Started s : started) {
            System.err.println("---- " + s.function() + " under aws-lambda-rie: its output ----");
            System.err.println(s.emulator().output());
        }
        started.clear();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        started.clear();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        started.clear();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        started.clear();
    }
}
