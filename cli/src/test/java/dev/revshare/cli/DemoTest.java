package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's year comes out of the pipeline exactly as the seed's three examples say. */
class DemoTest {

    @Test
    void demoYearMatchesTheSeedExamples(@TempDir Path out) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<Demo.YearTotals> totals = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(out);

        Map<String, Demo.YearTotals> byId = totals.stream().collect(Collectors.toMap(Demo.YearTotals::agreementId, Function.identity()));
        assertThat(byId.get("sarah-mindfulness")).isEqualTo(new Demo.YearTotals("sarah-mindfulness", 5_940_000, 4_455_000, 1_485_000));
        assertThat(byId.get("maya-somatic")).isEqualTo(new Demo.YearTotals("maya-somatic", 1_800_000, 1_170_000, 630_000));
        assertThat(byId.get("cedar-retreat")).isEqualTo(new Demo.YearTotals("cedar-retreat", 4_500_000, 3_600_000, 900_000));

        String console = printed.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("$59,400.00", "$44,550.00", "$14,850.00", "$18,000.00", "$11,700.00", "$6,300.00",
                "$45,000.00", "$36,000.00", "$9,000.00");
        try (Stream<Path> files = Files.list(out.resolve("outbox"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            // 36 statements, each a message to each party
            assertThat(names.stream().filter(n -> n.endsWith(".eml") && !n.contains("-payment-"))).hasSize(72);
            // the partner of sarah-mindfulness paid each month by hand: a notice each, to both parties
            assertThat(names.stream().filter(n -> n.startsWith("sarah-mindfulness-") && n.endsWith("-payment-1.eml"))).hasSize(12);
            assertThat(names.stream().filter(n -> n.endsWith(".html") && !n.contains("-payment-"))).hasSize(72);
            assertThat(names).contains("events.jsonl", "sarah-mindfulness-2026-10-expert.eml", "sarah-mindfulness-2026-10-partner.eml");
        }
        assertThat(Files.readAllLines(out.resolve("outbox/events.jsonl"))).hasSize(36);
        assertThat(Files.readString(out.resolve("outbox/sarah-mindfulness-2026-10-expert.html")))
                .contains("Paid to the partner since the last statement: $1,188.00", "bank transfer, reference BANK-2026-09");

        // the party link it prints, and the command that serves it: that page opens on the demo's data
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("serve it:  \\./revshare --data (\\S+) serve\\R"
                + "  then open Sarah Lee's link: http://127\\.0\\.0\\.1:8642(/p/\\S+)").matcher(console);
        assertThat(link.find()).as(console).isTrue();
        assertThat(Path.of(link.group(1))).isEqualTo(out.resolve("data"));
        java.time.Clock clock = java.time.Clock.systemUTC();
        try (LocalRuntime served = LocalRuntime.persistent(out.resolve("data"), clock)) {
            dev.revshare.page.PageResponse page = ServeCommand.page(served, clock).handle(
                    new dev.revshare.page.PageRequest("GET", link.group(2), null, Map.of("host", "127.0.0.1:8642"), null));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.bodyText()).contains("Sarah Lee Mindfulness x Dalai Digital", "The page of Sarah Lee (expert)",
                    "Statement for October 2026", "/statements/2026-10.csv");
        }
    }
}
