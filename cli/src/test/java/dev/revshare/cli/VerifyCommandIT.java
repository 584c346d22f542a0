package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.cli.Launcher.Run;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.statements.RunSummary;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./revshare statements verify} on the local store, as the two parties and their accountant run it: four months
 * of sarah-mindfulness issued by the local statements run (a refund, a negative share carried forward, a sale recorded
 * after its month closed) recomputed from the ledger, all matching; the same statements changed in the store (a
 * figure in a header, an amount in a chunk of lines) caught where they were changed; the JSON attachment of an email
 * in the outbox checked alone, passing, and a copy with one amount changed failing. Nothing is changed by any of it.
 */
class VerifyCommandIT {
    private static final Path REPO = Launcher.REPO;
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final String ID = "sarah-mindfulness";

    @Test
    void everyIssuedStatementRecomputedFromTheLedgerMatches(@TempDir Path data) throws Exception {
        List<Map<String, AttributeValue>> before = issueFourMonths(data);

        Run verified = revshare(data, "statements", "verify", "--agreement", ID);

        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        Map<YearMonth, Statement> issued = headers(data);
        assertThat(verified.out()).contains("Statements of sarah-mindfulness (Sarah Lee Mindfulness x Dalai Digital), USD, on "
                        + "the local store", "each recomputed from the ledger and the agreement's terms as it was closed")
                .containsPattern("2025-11 +matches +1 line +hash " + issued.get(YearMonth.of(2025, 11)).hash() + ", first of the chain")
                .containsPattern("2025-12 +matches +2 lines +hash " + issued.get(YearMonth.of(2025, 12)).hash() + ", follows 2025-11")
                .containsPattern("2026-01 +matches +2 lines +hash [0-9a-f]{64}, follows 2025-12")
                .containsPattern("2026-02 +matches +1 line +hash [0-9a-f]{64}, follows 2026-01")
                .contains("All 4 statement(s) match the ledger and the agreement's terms, and their hashes and chain hold.");
        assertThat(everything(data)).isEqualTo(before);
    }

    @Test
    void aStatementChangedInTheStoreIsCaughtWhereItWasChanged(@TempDir Path data) throws Exception {
        issueFourMonths(data);
        // December's partner share in its header, and an amount of February's in its chunk of lines
        change(data, "2025-12", "body", "\"partnerShare\":7425,", "\"partnerShare\":9425,");
        change(data, "2026-02#LINES#", "lines", "\"amount\":100000,", "\"amount\":100001,");
        Map<YearMonth, Statement> issued = headers(data);

        Run verified = revshare(data, "statements", "verify", "--agreement", ID);

        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isEqualTo(1);
        assertThat(verified.out()).containsPattern("2025-11 +matches")
                .containsPattern("2025-12 +DIFFERS +2 lines")
                .contains("      totals.partnerShare: stored $94.25, recomputed $74.25\n",
                        "      hash: stored " + issued.get(YearMonth.of(2025, 12)).hash() + ", recomputed ")
                .containsPattern("2026-01 +matches")
                .containsPattern("2026-02 +DIFFERS +1 line")
                .contains("      lines[ch_feb].amount: stored $1,000.01, recomputed $1,000.00\n",
                        "(its stored content, hashed now): it was changed after it was issued",
                        "2 of 4 statement(s) differ: see above. Nothing was changed.");
    }

    @Test
    void theEmailedJsonAttachmentChecksOutAloneAndACopyWithOneAmountChangedDoesNot(@TempDir Path data) throws Exception {
        issueFourMonths(data);
        ReceivedEmail email = ReceivedEmail.parse(Files.readAllBytes(data.resolve("outbox/sarah-mindfulness-2026-01-partner.eml")));
        byte[] attached = email.attachments.get("sarah-mindfulness-2026-01.json");
        Path file = data.resolve("sarah-mindfulness-2026-01.json");
        Files.write(file, attached);
        String hash = headers(data).get(YearMonth.of(2026, 1)).hash();
        assertThat(email.text).contains("Statement hash (SHA-256 of its canonical JSON): " + hash,
                "revshare statements verify --file sarah-mindfulness-2026-01.json");

        Run checked = revshare(data, "statements", "verify", "--file", file.toString());

        assertThat(checked.exitCode()).as(checked.out() + checked.err()).isZero();
        assertThat(checked.out()).contains("sarah-mindfulness-2026-01.json: statement of sarah-mindfulness (Sarah Lee "
                        + "Mindfulness x Dalai Digital) for 2026-01, USD", "  hash           matches its content: " + hash,
                "  previous hash  " + headers(data).get(YearMonth.of(2025, 12)).hash() + " (the statement before it)",
                "  arithmetic     holds: gross sales $0.00 - refunds $594.00 - disputes $0.00 = net revenue -$594.00; "
                        + "partner -$148.50 at its lines' rates, expert -$445.50; payable now $0.00", "It checks out.")
                // where it stood with the parties as it was sent: a note, outside the hash
                .containsPattern("  sign-off       Open for sign-off until \\d{1,2} [A-Z][a-z]{2} \\d{4} \\(as of [0-9T:-]+Z, "
                        + "when the file was written; not part of the hash\\)");
        Path noted = data.resolve("noted-final.json");
        Files.writeString(noted, new String(attached, StandardCharsets.UTF_8).replace("\"status\" : \"open\"", "\"status\" : \"final\""));
        assertThat(Files.readString(noted)).contains("\"status\" : \"final\"");
        assertThat(revshare(data, "statements", "verify", "--file", noted.toString()).exitCode()).isZero();
        // the compressed form a large month is attached in
        Path gz = data.resolve("sarah-mindfulness-2026-01.json.gz");
        Files.write(gz, gzip(attached));
        assertThat(revshare(data, "statements", "verify", "--file", gz.toString()).exitCode()).isZero();

        Path tampered = data.resolve("tampered.json");
        String json = new String(attached, StandardCharsets.UTF_8);
        Files.writeString(tampered, json.replace("\"amount\" : -59400", "\"amount\" : -49400"));
        Run caught = revshare(data, "statements", "verify", "--file", tampered.toString());

        assertThat(caught.exitCode()).as(caught.out() + caught.err()).isEqualTo(1);
        assertThat(caught.out()).contains("  hash           DIFFERS: the file carries " + hash,
                "its content hashes to ", ": it was changed after it was issued",
                "  arithmetic     DIFFERS:",
                "      totals.refunds: the statement says $594.00, its lines and terms give $494.00 (the shared refunds and refund "
                        + "reversals added up, taken off)\n",
                "It does not check out: see above.");
    }

    @Test
    void mistakesInTheCommandAreSaidAndChangeNothing(@TempDir Path data) throws Exception {
        List<Map<String, AttributeValue>> before = issueFourMonths(data);

        Run unknown = revshare(data, "statements", "verify", "--agreement", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("revshare: no agreement with id nobody");
        Run both = revshare(data, "statements", "verify", "--agreement", ID, "--file", "x.json");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        Run neither = revshare(data, "statements", "verify");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument", "--agreement=ID", "--file=STATEMENT.json");
        Run missing = revshare(data, "statements", "verify", "--file", data.resolve("none.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("revshare: cannot read " + data.resolve("none.json"));
        Path csv = data.resolve("statement.csv");
        Files.writeString(csv, "date,amount\n2026-01-12,-594.00\n");
        Run notJson = revshare(data, "statements", "verify", "--file", csv.toString());
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err()).contains("revshare: " + csv + ": it is not a readable statement document");
        Run onAStack = revshare(data, "--stack", "revshare", "statements", "verify", "--file", csv.toString());
        assertThat(onAStack.exitCode()).isEqualTo(2);
        assertThat(onAStack.err()).contains("--file checks the file alone, offline: leave out --stack and --table");
        Run help = revshare(data, "statements", "verify", "--help");
        assertThat(help.out()).contains("--agreement=ID", "--file=STATEMENT.json", "Exit status");

        assertThat(everything(data)).isEqualTo(before);
    }

    /**
     * November to February issued by the local statements run, each closed on the 5th of the month after: a sale, its
     * refund a month later, December's sale refunded in January (a negative share carried forward), February's sale; and
     * a tip of December recorded after December closed (January lists it, held for review, as an earlier month's).
     */
    private static List<Map<String, AttributeValue>> issueFourMonths(Path data) throws IOException {
        String terms = Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"));
        SettableClock clock = new SettableClock(Instant.parse("2025-10-20T12:00:00Z"));
        try (LocalRuntime local = LocalRuntime.persistent(data, clock)) {
            local.store().agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), clock.instant());
            LedgerLine november = line("ch_nov", LineType.SALE, 29_700, "2025-11-10T10:00:00Z", null, "course");
            LedgerLine december = line("ch_dec", LineType.SALE, 59_400, "2025-12-10T10:00:00Z", null, "course");
            LedgerLine lateTip = new LedgerLine(ID, "ch_tip", "ch_tip", LineType.SALE, 1_500, "usd",
                    Instant.parse("2025-12-30T10:00:00Z"), Instant.parse("2025-12-30T10:00:00Z"),
                    Instant.parse("2026-01-08T10:00:00Z"), "tip", "cus_tip", "evt_tip");
            List<List<LedgerLine>> months = List.of(
                    List.of(november),
                    List.of(december, line("re_nov", LineType.REFUND, -29_700, "2025-12-12T10:00:00Z", november, "course")),
                    List.of(lateTip, line("re_dec", LineType.REFUND, -59_400, "2026-01-12T10:00:00Z", december, "course")),
                    List.of(line("ch_feb", LineType.SALE, 100_000, "2026-02-10T10:00:00Z", null, "course")));
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

    private static LedgerLine line(String id, LineType type, long amount, String at, LedgerLine sale, String category) {
        Instant when = Instant.parse(at);
        return new LedgerLine(ID, id, id, type, amount, "usd", when, sale == null ? when : sale.occurredAt(),
                when.plusSeconds(60), category, "cus_" + id, "evt_" + id, sale == null ? id : sale.lineId());
    }

    /** The stored statements' headers, by month. */
    private static Map<YearMonth, Statement> headers(Path data) {
        Map<YearMonth, Statement> headers = new HashMap<>();
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            for (YearMonth month = YearMonth.of(2025, 11); !month.isAfter(YearMonth.of(2026, 2)); month = month.plusMonths(1)) {
                headers.put(month, local.store().statements().findWithoutLines(ID, month).orElseThrow().statement());
            }
        }
        return headers;
    }

    /** Rewrites one attribute of the agreement's statement item whose sort key starts with {@code sk}, in the table. */
    private static void change(Path data, String sk, String attribute, String from, String to) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            Map<String, AttributeValue> item = everything(local).stream()
                    .filter(i -> i.get("pk").s().equals("STATEMENT#" + ID) && i.get("sk").s().startsWith(sk) && i.containsKey(attribute))
                    .findFirst().orElseThrow();
            String value = item.get(attribute).s();
            assertThat(value).contains(from);
            Map<String, AttributeValue> changed = new HashMap<>(item);
            changed.put(attribute, AttributeValue.fromS(value.replaceFirst(java.util.regex.Pattern.quote(from), to)));
            local.dynamoDb().putItem(b -> b.tableName(LocalRuntime.TABLE).item(changed));
        }
    }

    private static List<Map<String, AttributeValue>> everything(Path data) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            return everything(local);
        }
    }

    private static List<Map<String, AttributeValue>> everything(LocalRuntime local) {
        return local.dynamoDb().scan(b -> b.tableName(LocalRuntime.TABLE).consistentRead(true)).items();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        }
        return out.toByteArray();
    }

    private static Run revshare(Path data, String... args) throws IOException, InterruptedException {
        return Launcher.revshare(data, Map.of(), args);
    }
}
