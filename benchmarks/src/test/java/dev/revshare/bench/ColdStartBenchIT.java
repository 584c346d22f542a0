package dev.revshare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.bench.ColdStartBench.Subject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One round only, on the packaged jars: proves the cold-start benchmark runs end to end and checks every answer
 * it times (hello world, the webhook's recorded delivery, the statement sent); the real run is `make bench-coldstart`.
 */
class ColdStartBenchIT {

    @Test
    void oneRoundTimesEachFunctionsFirstAnswerWithAndWithoutTheTemplatesJvmOptions() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ColdStartBench.Report report = new ColdStartBench(ColdStartBench.Options.parse("--rounds", "1", "--warmup", "0", "--lines", "3"),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(report.variants()).hasSize(2).allSatisfy(variant -> {
            assertThat(variant.medianMillis()).containsOnlyKeys(Subject.values()).allSatisfy((subject, millis) -> assertThat(millis).isPositive());
            assertThat(variant.ratio().get(Subject.WEBHOOK)).isPositive();
        });
        assertThat(report.variants().get(0).variant().javaToolOptions()).contains("TieredStopAtLevel=1");
        assertThat(report.variants().get(1).variant().javaToolOptions()).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .containsPattern("RESULT webhook's first answer / hello world's, template's JAVA_TOOL_OPTIONS: \\d+\\.\\d\\dx "
                        + "\\(\\d+ ms / \\d+ ms; target <= 1\\.50x\\): (ok|OVER)")
                .containsPattern("RESULT webhook's first answer / hello world's, no JAVA_TOOL_OPTIONS: \\d+\\.\\d\\dx");
    }

    @Test
    void optionsHaveDefaultsAndRefuseNonsense() {
        assertThat(ColdStartBench.Options.parse())
                .isEqualTo(new ColdStartBench.Options(5, 1, 20, "benchmarks/target/benchmarks-hello-world.jar", null));
        assertThat(ColdStartBench.Options.parse("--extra-java-options", "-Xshare:auto").extraJavaOptions()).isEqualTo("-Xshare:auto");
        assertThatThrownBy(() -> ColdStartBench.Options.parse("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> ColdStartBench.Options.parse("--fast", "1")).hasMessageContaining("unknown option");
    }
}
