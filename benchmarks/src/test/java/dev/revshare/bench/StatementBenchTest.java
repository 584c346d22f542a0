package dev.revshare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A few hundred lines only: proves the benchmark runs end to end; the real run is `make bench`. */
class StatementBenchTest {

    @Test
    void smallRunLoadsTheLedgerTimesBothPathsAndChecksTheStatement() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        StatementBench.Report report = new StatementBench(StatementBench.Options.parse("--lines", "300", "--rounds", "2",
                "--warmup", "1"), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(report.rounds()).hasSize(2);
        assertThat(report.bareMedianNanos()).isPositive();
        assertThat(report.ratio()).isPositive();
        assertThat(report.steps().chunks()).isPositive();
        assertThat(report.steps().emailBytes()).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("returns the 300 lines written, in order, none of the other agreement: ok")
                .contains("Statement checked every run: 300 lines")
                .contains("StatementStore.find: 300 lines, the same JSON as computed")
                .containsPattern("email .* StatementEmail.build")
                .containsPattern("RESULT: full/bare = \\d+\\.\\d\\dx \\(budget <= 1\\.30x\\): (ok|OVER)");
    }

    @Test
    void optionsDefaultToTheIssuesSizeAndRefuseNonsense() {
        assertThat(StatementBench.Options.parse()).isEqualTo(new StatementBench.Options(100_000, 5, 2));
        assertThat(StatementBench.Options.parse("--lines", "20_000", "--warmup", "0"))
                .isEqualTo(new StatementBench.Options(20_000, 5, 0));
        assertThatThrownBy(() -> StatementBench.Options.parse("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> StatementBench.Options.parse("--lines")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> StatementBench.Options.parse("--fast", "1")).hasMessageContaining("unknown option");
    }
}
