package dev.revshare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A few agreements only: proves the benchmark runs end to end and checks what it claims; the real run is `make bench`. */
class ClosingDayBenchTest {

    @Test
    void smallClosingDaysGoThroughTheDispatcherTheQueueAndTheWorkerAndAreChecked() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ClosingDayBench.Report report = new ClosingDayBench(ClosingDayBench.Options.parse("--sizes", "6,12", "--lines", "30"),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(report.sizes()).extracting(ClosingDayBench.SizeResult::agreements).containsExactly(6, 12);
        assertThat(report.sizes()).as(text).allSatisfy(size -> {
            assertThat(size.checked()).isTrue();
            assertThat(size.batches()).isEqualTo((size.agreements() + 4) / 5);
            assertThat(size.steps()).allSatisfy(step -> assertThat(step.nanos()).as(step.name()).isPositive());
            assertThat(size.dynamoDbCalls()).containsKey("Query LEDGER#");
        });
        assertThat(text)
                .contains("checked: 12 statements sent and announced, a message to each party from the worker, each once, "
                        + "SES counted 24 recipients (two each), no failure, queues empty: ok")
                .contains("send (SES)", "announce (EventBridge)", "compute/store: DynamoDB reads and writes")
                .containsPattern("RESULT: 12 agreements took \\d+\\.\\d\\dx the time per agreement of 6 \\(\\d+\\.\\d\\dx "
                        + "with the emulated queue's steps\\): .*every statement sent exactly once: ok");
    }

    @Test
    void optionsDefaultToTheIssuesSizesAndRefuseNonsense() {
        assertThat(ClosingDayBench.Options.parse()).isEqualTo(new ClosingDayBench.Options(List.of(1000, 2000, 4000), 200, 5));
        assertThat(ClosingDayBench.Options.parse("--sizes", "100, 200,400", "--batch", "10"))
                .isEqualTo(new ClosingDayBench.Options(List.of(100, 200, 400), 200, 10));
        assertThatThrownBy(() -> ClosingDayBench.Options.parse("--batch", "11")).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> ClosingDayBench.Options.parse("--sizes", "0")).hasMessageContaining("--sizes");
        assertThatThrownBy(() -> ClosingDayBench.Options.parse("--fast", "1")).hasMessageContaining("unknown option");
    }
}
