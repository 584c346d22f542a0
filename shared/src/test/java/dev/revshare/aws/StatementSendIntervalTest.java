package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pace of one worker instance: together, StatementWorkers instances send at most StatementSendRate a second. */
class StatementSendIntervalTest {

    @Test
    void eachWorkerSendsOnceEveryWorkersOverRateSeconds() {
        assertThat(Environment.sendInterval(10, 5)).isEqualTo(Duration.ofMillis(500));
        assertThat(Environment.sendInterval(14, 2)).isEqualTo(Duration.ofNanos(142_857_142));
        assertThat(Environment.sendInterval(1, 2)).isEqualTo(Duration.ofSeconds(2)); // the SES sandbox
    }
}
