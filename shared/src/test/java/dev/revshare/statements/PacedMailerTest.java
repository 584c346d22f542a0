package dev.revshare.statements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The worker's pace, on a clock the test moves: each send waits for its turn, never longer. */
class PacedMailerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> waits = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final StatementMailer ses = email -> {
        sentAt.add(now.get());
        return "ses-" + sentAt.size();
    };

    private PacedMailer paced(Duration interval) {
        return new PacedMailer(ses, interval, now::get, duration -> {
            waits.add(duration);
            now.addAndGet(duration.toNanos());
        });
    }

    @Test
    void sendsBackToBackWaitForTheIntervalAndEachSendsOnce() {
        PacedMailer mailer = paced(Duration.ofMillis(500));

        assertThat(mailer.send(null)).isEqualTo("ses-1");
        now.addAndGet(Duration.ofMillis(120).toNanos()); // the next agreement took 120 ms to compute and render
        assertThat(mailer.send(null)).isEqualTo("ses-2");
        assertThat(mailer.send(null)).isEqualTo("ses-3");

        assertThat(waits).containsExactly(Duration.ofMillis(380), Duration.ofMillis(500));
        assertThat(sentAt.get(1) - sentAt.get(0)).isEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(sentAt.get(2) - sentAt.get(1)).isEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test
    void aSendAfterALongPauseGoesAtOnce() {
        PacedMailer mailer = paced(Duration.ofMillis(500));
        mailer.send(null);
        now.addAndGet(Duration.ofSeconds(3).toNanos());

        mailer.send(null);

        assertThat(waits).isEmpty();
    }

    @Test
    void noIntervalNeverWaits() {
        PacedMailer mailer = paced(Duration.ZERO);
        for (int i = 0; i < 5; i++) {
            mailer.send(null);
        }
        assertThat(waits).isEmpty();
        assertThat(sentAt).hasSize(5);
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatThrownBy(() -> paced(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }
}
