package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.cli.Launcher.Run;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.statements.RunSummary;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./revshare agreements simulate} on the local store, as the two parties run it at a checkpoint: four issued
 * months of sarah-mindfulness (a refund, a negative share carried forward) replayed at 20 % instead of 25 %; the
 * table, the JSON, and bad proposals refused with the reason; the store and the outbox are the same after every call.
 */
class SimulateCommandIT {
    private static final Path REPO = Launcher.REPO;
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final String ID = "sarah-mindfulness";

    @Test
    void printsTheMonthsAsIsAndAsProposedAndChangesNothing(@TempDir Path data) throws Exception {
        String terms = Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"));
        List<Map<String, AttributeValue>> storeBefore = issueFourMonths(data, terms);
        List<Path> outboxBefore = outbox(data);
        Path proposed = data.resolve("proposed.yaml");
        Files.writeString(proposed, terms.replace("{year: 1, partnerPercent: 25}", "{year: 1, partnerPercent: 20}"));

        Run table = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed", proposed.toString());

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("What-if for sarah-mindfulness (Sarah Lee Mindfulness x Dalai Digital) under the terms in "
                + proposed, "2025-11 to 2026-02, months in Europe/Madrid, USD", "Nothing was stored or sent.");
        assertThat(table.out()).containsPattern("2025-11 +\\$74\\.25 +\\$59\\.40 +-\\$14\\.85 +1 +\\$74\\.25 of \\$20,000\\.00"
                        + " +\\$59\\.40 of \\$20,000\\.00 +\\$185\\.63 +\\$148\\.50")
                .containsPattern("2025-12 +\\$74\\.25 +\\$59\\.40 +-\\$14\\.85 ")
                .containsPattern("2026-01 +-\\$148\\.50 +-\\$118\\.80 +\\$29\\.70 ")
                .containsPattern("2026-02 +\\$250\\.00 +\\$200\\.00 +-\\$50\\.00 .* +\\$625\\.00 +\\$500\\.00")
                .containsPattern("Total +\\$250\\.00 +\\$200\\.00 +-\\$50\\.00")
                .contains("Payable to the partner over these months: as is $250.00, proposed $200.00;",
                        "balance carried forward after 2026-02: as is $0.00, proposed $0.00.");
        List<String> rows = table.out().lines().filter(l -> l.matches("  (Month|20\\d\\d-\\d\\d).*")).toList();
        assertThat(rows).hasSize(5).allSatisfy(row -> assertThat(row).hasSameSizeAs(rows.get(0))); // aligned

        Run json = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed", proposed.toString(),
                "--from", "2026-01", "--to", "2026-03", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode document = Json.read(json.out(), JsonNode.class);
        assertThat(document.path("months")).hasSize(3);
        assertThat(document.path("months").findValuesAsText("period")).containsExactly("2026-01", "2026-02", "2026-03");
        JsonNode january = document.path("months").get(0);
        assertThat(january.path("issued").asBoolean()).isTrue();
        // from January on at 20 %, continuing from December as issued (at 25 %)
        assertThat(january.path("asIs").path("partnerShare").asLong()).isEqualTo(-14_850);
        assertThat(january.path("proposed").path("partnerShare").asLong()).isEqualTo(-11_880);
        assertThat(january.path("proposed").path("carriedForward").asLong()).isEqualTo(-11_880);
        assertThat(january.path("difference").asLong()).isEqualTo(2_970);
        assertThat(document.path("months").get(2).path("issued").asBoolean()).isFalse(); // March: a preview
        assertThat(document.path("totals").path("partnerShareAsIs").asLong()).isEqualTo(10_150);
        assertThat(document.path("totals").path("partnerShareProposed").asLong()).isEqualTo(8_120);
        assertThat(document.path("totals").path("partnerPayableProposed").asLong()).isEqualTo(8_120);

        Run unchanged = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed",
                REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString(), "--json");
        assertThat(Json.read(unchanged.out(), JsonNode.class).path("totals").path("difference").asLong()).isZero();

        assertThat(everything(data)).isEqualTo(storeBefore);
        assertThat(outbox(data)).isEqualTo(outboxBefore);
    }

    @Test
    void badProposalsAreRefusedWithTheReasonAndChangeNothing(@TempDir Path data) throws Exception {
        String terms = Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"));
        List<Map<String, AttributeValue>> storeBefore = issueFourMonths(data, terms);

        assertRefused(data, terms.replace("partnerPercent: 25", "partnerPercent: 135"),
                "proposed.yaml: line 12: split[0].partnerPercent: must be between 0 and 100 (was 135)");
        assertRefused(data, terms.replace("id: sarah-mindfulness", "id: maya-somatic"),
                "proposed.yaml is for agreement maya-somatic, not sarah-mindfulness");
        assertRefused(data, terms.replace("acct_1SarahExample", "acct_1Elsewhere"),
                "proposed.yaml changes the Stripe account from acct_1SarahExample to acct_1Elsewhere", "Keep stripe.account");
        assertRefused(data, terms.replace("currency: usd", "currency: eur"),
                "proposed.yaml changes the currency from USD to EUR", "converts nothing", "Nothing was simulated.");
        Path good = data.resolve("good.yaml");
        Files.writeString(good, terms);
        Run badMonth = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed", good.toString(), "--from", "Nov");
        assertThat(badMonth.exitCode()).isEqualTo(2);
        assertThat(badMonth.err()).contains("--from must be a month as YYYY-MM, was 'Nov'");
        Run unknown = revshare(data, "agreements", "simulate", "--agreement", "nobody", "--proposed", good.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("revshare: no agreement with id nobody");
        Run missing = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed", data.resolve("none.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read " + data.resolve("none.yaml"));
        Run help = revshare(data, "agreements", "simulate", "--help");
        assertThat(help.out()).contains("--agreement=ID", "--proposed=FILE.yaml", "--from=YYYY-MM", "--to=YYYY-MM", "--json",
                "Stores and sends nothing");

        assertThat(everything(data)).isEqualTo(storeBefore);
    }

    private static void assertRefused(Path data, String proposedTerms, String... message) throws Exception {
        Path proposed = data.resolve("proposed.yaml");
        Files.writeString(proposed, proposedTerms);
        Run refused = revshare(data, "agreements", "simulate", "--agreement", ID, "--proposed", proposed.toString());
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("revshare: " + data + "/" + message[0]);
        assertThat(refused.err()).contains(message);
    }

    /**
     * November to February issued by the local statements run, each closed on the 5th of the month after: a sale, its
     * refund a month later, December's sale refunded in January (a negative share carried forward), February's sale.
     */
    private static List<Map<String, AttributeValue>> issueFourMonths(Path data, String terms) {
        SettableClock clock = new SettableClock(Instant.parse("2025-10-20T12:00:00Z"));
        try (LocalRuntime local = LocalRuntime.persistent(data, clock)) {
            local.store().agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), clock.instant());
            LedgerLine november = line("ch_nov", LineType.SALE, 29_700, "2025-11-10T10:00:00Z", null);
            LedgerLine december = line("ch_dec", LineType.SALE, 59_400, "2025-12-10T10:00:00Z", null);
            List<List<LedgerLine>> months = List.of(
                    List.of(november),
                    List.of(december, line("re_nov", LineType.REFUND, -29_700, "2025-12-12T10:00:00Z", november)),
                    List.of(line("re_dec", LineType.REFUND, -59_400, "2026-01-12T10:00:00Z", december)),
                    List.of(line("ch_feb", LineType.SALE, 100_000, "2026-02-10T10:00:00Z", null)));
            YearMonth month = YearMonth.of(2025, 11);
            for (List<LedgerLine> lines : months) {
                lines.forEach(line -> TestLedger.record(local.store().bookings(), line));
                clock.set(month.plusMonths(1).atDay(5).atStartOfDay(MADRID).toInstant());
                RunSummary summary = local.statementRun().run(clock.instant(), null, ID);
                assertThat(summary.results()).extracting(RunSummary.Result::outcome).containsExactly(RunSummary.Outcome.SENT);
                month = month.plusMonths(1);
            }
            return everything(local);
        }
    }

    private static LedgerLine line(String id, LineType type, long amount, String at, LedgerLine sale) {
        Instant when = Instant.parse(at);
        return new LedgerLine(ID, id, id, type, amount, "usd", when, sale == null ? when : sale.occurredAt(),
                when.plusSeconds(60), "course", "cus_" + id, "evt_" + id, sale == null ? id : sale.lineId());
    }

    /** Every item of the local store's table, as the commands left it. */
    private static List<Map<String, AttributeValue>> everything(Path data) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            return everything(local);
        }
    }

    private static List<Map<String, AttributeValue>> everything(LocalRuntime local) {
        return local.dynamoDb().scan(b -> b.tableName(LocalRuntime.TABLE).consistentRead(true)).items();
    }

    private static List<Path> outbox(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("outbox"))) {
            return files.sorted().toList();
        }
    }

    private static Run revshare(Path data, String... args) throws IOException, InterruptedException {
        return Launcher.revshare(data, Map.of(), args);
    }
}
