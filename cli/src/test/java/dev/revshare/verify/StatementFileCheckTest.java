package dev.revshare.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementArithmetic.Mismatch;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.json.Json;
import dev.revshare.json.StatementHash;
import dev.revshare.statements.StatementEmail;
import dev.revshare.testing.ReceivedEmail;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A statement checked from its JSON attachment alone, as the email carries it: a large month's gzip-compressed
 * attachment checks out as it is; one amount changed in it is caught twice, by the hash and by the arithmetic; a file
 * that is not a statement is refused with the reason.
 */
class StatementFileCheckTest {
    private static final Agreement AGREEMENT = AgreementFile.parse("""
            id: file-coach
            name: Coach x File Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: File Studio, emails: [books@studio.example]}
            stripe: {account: acct_1File}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2026-01-01}
            split: [{year: 1, partnerPercent: 25}]
            cap: {perAgreementYear: "100000.00"}
            buyout: {multiple: 2.5}
            """, "file-coach.yaml");
    private static final YearMonth JULY = YearMonth.of(2026, 7);

    @Test
    void aLargeMonthsCompressedAttachmentChecksOutAsItIs() throws IOException {
        Statement july = issued(1_001);
        ReceivedEmail email = ReceivedEmail.parse(new StatementEmail("statements@revshare.example")
                .build(AGREEMENT, july, dev.revshare.domain.Side.PARTNER, july.closedAt()).mime());
        byte[] attached = email.attachments.get("file-coach-2026-07.json.gz");
        assertThat(attached).as(email.attachments.keySet().toString()).isNotNull();

        StatementFileCheck.Result result = StatementFileCheck.check(attached);

        assertThat(result.passes()).isTrue();
        assertThat(result.hash()).isEqualTo(StatementFileCheck.HashCheck.MATCHES);
        assertThat(result.computedHash()).isEqualTo(july.hash());
        assertThat(result.statement().lines()).hasSize(1_001);
        assertThat(result.arithmetic()).isEmpty();
    }

    @Test
    void oneAmountChangedInTheFileIsCaughtByTheHashAndTheArithmetic() throws IOException {
        Statement july = issued(3);
        String json = Json.writePretty(july);
        String tampered = json.replaceFirst("\"amount\" : 29700", "\"amount\" : 39700");
        assertThat(tampered).isNotEqualTo(json);

        StatementFileCheck.Result result = StatementFileCheck.check(gzip(tampered));

        assertThat(result.passes()).isFalse();
        assertThat(result.hash()).isEqualTo(StatementFileCheck.HashCheck.DIFFERS);
        assertThat(result.computedHash()).isNotEqualTo(july.hash()).matches("[0-9a-f]{64}");
        assertThat(result.arithmetic()).extracting(Mismatch::field, Mismatch::stated, Mismatch::expected).contains(
                org.assertj.core.groups.Tuple.tuple("totals.grossSales", "$891.00", "$991.00"),
                org.assertj.core.groups.Tuple.tuple("totals.netRevenue", "$891.00", "$991.00"));
        // the untouched file passes, compressed or not
        assertThat(StatementFileCheck.check(json.getBytes(StandardCharsets.UTF_8)).passes()).isTrue();
        assertThat(StatementFileCheck.check(gzip(json)).passes()).isTrue();
    }

    @Test
    void aStatementIssuedBeforeHashingHasNoHashToCheckButItsArithmeticIs() {
        Statement unhashed = issued(2).withHashes(null, null);

        StatementFileCheck.Result result = StatementFileCheck.check(Json.writePretty(unhashed).getBytes(StandardCharsets.UTF_8));

        assertThat(result.hash()).isEqualTo(StatementFileCheck.HashCheck.NONE);
        assertThat(result.passes()).isTrue();
    }

    @Test
    void aFileThatIsNotAStatementIsRefusedWithTheReason() throws IOException {
        assertThatThrownBy(() -> StatementFileCheck.check("date,amount\n2026-07-01,297.00\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("it is not a readable statement document (JSON, or JSON compressed with gzip)");
        assertThatThrownBy(() -> StatementFileCheck.check("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("it is not a statement document (a JSON object)");
        assertThatThrownBy(() -> StatementFileCheck.check("{\"agreementId\": \"x\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a statement document");
        String json = Json.writePretty(issued(1));
        // a second "totals" would let a reader see other figures than the hash covers
        String twice = json.replaceFirst("\\{", "{\n  \"totals\" : {},");
        assertThatThrownBy(() -> StatementFileCheck.check(twice.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'totals'");
        byte[] truncated = java.util.Arrays.copyOf(gzip(json), 40);
        assertThatThrownBy(() -> StatementFileCheck.check(truncated))
                .hasMessageStartingWith("it is gzip-compressed, but not a readable statement document");
        assertThat(gunzip(gzip(json))).isEqualTo(json);
    }

    /** July of {@code sales} course sales of $297.00, computed by the engine and issued (sealed) after a June. */
    private static Statement issued(int sales) {
        List<LedgerLine> lines = new ArrayList<>();
        Instant june = Instant.parse("2026-06-10T10:00:00Z");
        lines.add(line("ch_june", 100_000, june));
        for (int i = 0; i < sales; i++) {
            lines.add(line("ch_july_" + i, 29_700, Instant.parse("2026-07-10T10:00:00Z").plusSeconds(i)));
        }
        StatementCalculator calculator = new StatementCalculator();
        Statement juneStatement = StatementHash.seal(calculator.compute(AGREEMENT, YearMonth.of(2026, 6),
                Instant.parse("2026-07-04T06:00:00Z"), null, lines), null);
        return StatementHash.seal(calculator.compute(AGREEMENT, JULY, Instant.parse("2026-08-04T06:00:00Z"), juneStatement, lines)
                .withReconciliation(Statement.Reconciliation.notReconciled(null, "no Stripe API key for file-coach")), juneStatement);
    }

    private static LedgerLine line(String id, long amount, Instant at) {
        return new LedgerLine("file-coach", id, id, LineType.SALE, amount, "usd", at, at, at.plusSeconds(5), "course",
                "cus_" + id, "evt_" + id);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] content) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
