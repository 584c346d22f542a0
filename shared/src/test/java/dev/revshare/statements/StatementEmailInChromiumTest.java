package dev.revshare.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The statement email's HTML rendered by headless Chromium (Debian's chromium package), the way a person
 * sees it. The screenshot is kept at shared/target/statement-email.png for a person to look at.
 */
class StatementEmailInChromiumTest {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 1800;

    @Test
    void theEmailRendersInChromiumWithItsChartAndFigures() throws Exception {
        Agreement agreement = AgreementFile.parse(StatementEmailTest.YAML, "email-coach.yaml");
        Statement statement = twelveMonths(agreement);
        StatementEmailRenderer.Rendered rendered = new StatementEmailRenderer().render(agreement, statement);
        assertThat(rendered.chartPng()).isNotNull();

        Path dir = Files.createDirectories(Path.of("target/chromium"));
        Files.write(dir.resolve("chart.png"), rendered.chartPng());
        Path html = dir.resolve("statement-email.html");
        Files.writeString(html, rendered.html().replace("cid:" + StatementEmailRenderer.CHART_CONTENT_ID, "chart.png"),
                StandardCharsets.UTF_8);
        Path screenshot = Path.of("target/statement-email.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);

        Process chromium = new ProcessBuilder(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + screenshot, html.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(chromium.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        // the page is drawn: many colours (text, the chart's two blues), not a blank or error page
        Set<Integer> colours = new HashSet<>();
        boolean chartBlue = false;
        for (int y = 0; y < HEIGHT; y += 2) {
            for (int x = 0; x < WIDTH; x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                chartBlue |= rgb == 0x1D4ED8;
            }
        }
        assertThat(colours.size()).isGreaterThan(50);
        assertThat(chartBlue).as("the chart's partner bars are on the page").isTrue();
        // nothing overflows the 640-pixel card: the page's right margin is the background all the way down
        for (int y = 0; y < HEIGHT; y++) {
            assertThat(image.getRGB(WIDTH - 30, y) & 0xFFFFFF).as("background at the right margin, row %d", y).isEqualTo(0xF4F5F7);
        }
    }

    /** A year of the test agreement (the chart's widest), each month closed on the statement before. */
    private static Statement twelveMonths(Agreement agreement) {
        StatementCalculator calculator = new StatementCalculator();
        Statement previous = null;
        for (int month = 1; month <= 12; month++) {
            YearMonth period = YearMonth.of(2026, month);
            Instant at = Instant.parse(String.format("2026-%02d-10T10:00:00Z", month));
            List<LedgerLine> lines = new ArrayList<>();
            lines.add(new LedgerLine(agreement.id(), "pi_" + month, "ch_" + month, LineType.SALE, 300_000 + month * 45_000L,
                    "usd", at, at, at, "course", "cus_" + month, "evt_" + month));
            if (month == 12) {
                lines.add(new LedgerLine(agreement.id(), "pi_studio", "ch_studio", LineType.SALE, 12_000, "usd", at, at, at,
                        "in_person", "cus_9", "evt_studio"));
            }
            previous = calculator.compute(agreement, period, agreement.monthEndExclusive(period).plusSeconds(86_400 * 4),
                    previous, lines);
        }
        return previous;
    }

    private static String chromium() {
        for (String candidate : List.of(System.getenv().getOrDefault("CHROMIUM", ""), "/usr/bin/chromium",
                "/usr/bin/chromium-browser")) {
            if (!candidate.isEmpty() && new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("Chromium not installed: run scripts/install-tools.sh (`make test` runs it; it "
                + "installs Debian's chromium package), or set CHROMIUM to a chromium binary");
    }
}
