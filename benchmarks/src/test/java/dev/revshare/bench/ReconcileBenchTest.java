package dev.revshare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A few hundred transactions only: proves the benchmark runs end to end; the real run is `make bench-reconcile`. */
class ReconcileBenchTest {

    @Test
    void smallRunListsPageByPageComparesBooksWhatIsMissingAndReportsWhereTheTimeGoes() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReconcileBench.Report report = new ReconcileBench(ReconcileBench.Options.parse("--transactions", "250", "--missing", "5",
                "--rounds", "1", "--warmup", "0"), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(report.median().stripeCalls()).isEqualTo(3); // 100 a page
        assertThat(report.median().timings().comparison()).isPositive();
        assertThat(report.median().dynamoCalls()).isNotEmpty();
        assertThat(report.booking().recorded()).isEqualTo(5);
        assertThat(report.booking().result().differences()).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Stripe: pages of balance transactions", "the comparison", "booked: 5 recorded")
                .containsPattern("RESULT comparison = \\d+\\.\\d% of a month's reconciliation \\(\\d+ ms of \\d+ ms; budget <= 5%\\): (ok|OVER)");
    }

    @Test
    void optionsHaveDefaultsAndRefuseNonsense() {
        assertThat(ReconcileBench.Options.parse()).isEqualTo(new ReconcileBench.Options(10_000, 100, 5, 3));
        assertThatThrownBy(() -> ReconcileBench.Options.parse("--missing", "20", "--transactions", "10"))
                .hasMessageContaining("--missing");
        assertThatThrownBy(() -> ReconcileBench.Options.parse("--pages", "3")).hasMessageContaining("unknown option");
    }
}
