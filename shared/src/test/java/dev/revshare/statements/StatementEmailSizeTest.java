package dev.revshare.statements;

import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementDocument;
import dev.revshare.testing.ReceivedEmail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The email of a month of any size stays well inside SES's limits, in memory (no I/O). */
class StatementEmailSizeTest {
    private final Agreement agreement = AgreementFile.parse(StatementEmailTest.YAML, "email-coach.yaml");

    @Test
    void aMonthOf100000LinesIsAShortBodyAndCompressedAttachmentsUnderTheBudget() throws IOException {
        Statement statement = statement(100_000);

        OutgoingEmail email = new StatementEmail("statements@revshare.example").build(agreement, statement,
                Side.PARTNER, Instant.parse("2026-08-05T06:00:00Z"));

        assertThat(email.mime().length).isBetween(10_000_000, 20_000_000); // about 18 MB with Stripe-like random ids
        assertThat(email.mime().length).isLessThan(StatementAttachments.MAX_MESSAGE_BYTES);
        assertThat(email.text().length() + email.html().length()).isLessThan(200_000);
        assertThat(email.text()).contains("... and 99940 more lines in the attached CSV.",
                "... and 1940 more not shared, in the attached CSV.", "both gzip-compressed");
        ReceivedEmail received = ReceivedEmail.parse(email.mime());
        assertThat(received.attachments).containsOnlyKeys("email-coach-2026-07.csv.gz", "email-coach-2026-07.json.gz");
        assertThat(received.attachmentTypes.get("email-coach-2026-07.json.gz")).startsWith("application/gzip");
        assertThat(gunzip(received.attachments.get("email-coach-2026-07.json.gz"))).isEqualTo(StatementDocument.writePretty(statement,
                StatementDocument.SignOff.opening(agreement, Instant.parse("2026-08-05T06:00:00Z"))));
        // the header and every line, after the proof of reconciliation in comment lines
        assertThat(gunzip(received.attachments.get("email-coach-2026-07.csv.gz")).lines().filter(line -> !line.startsWith("#")))
                .hasSize(100_001);
    }

    @Test
    void aMonthOfAThousandLinesIsAttachedAsItIs() {
        OutgoingEmail email = new StatementEmail("statements@revshare.example").build(agreement, statement(1_000),
                Side.EXPERT, Instant.parse("2026-08-05T06:00:00Z"));

        assertThat(ReceivedEmail.parse(email.mime()).attachments)
                .containsOnlyKeys("email-coach-2026-07.csv", "email-coach-2026-07.json");
        assertThat(email.text()).doesNotContain("gzip");
    }

    @Test
    void aMessageOverTheBudgetIsRefusedNamingItsSize() {
        assertThatThrownBy(() -> StatementAttachments.checkSize("email-coach-2026-07", new byte[12_000_001], 10 * 1024 * 1024))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the statement email email-coach-2026-07 is 12,000,001 bytes, over revshare's budget of "
                        + "10,485,760 bytes (SES refuses raw messages over 40 MB): not sent");
    }

    private static String id(java.util.Random random, int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Mostly shared course sales, every 50th a tip held for review; ids as random as Stripe's (a fixed seed), so
     * that compression gets no help from them.
     */
    private static Statement statement(int lineCount) {
        java.util.Random random = new java.util.Random(10);
        List<Statement.StatementLine> lines = new ArrayList<>();
        long gross = 0;
        long held = 0;
        for (int i = 0; i < lineCount; i++) {
            long amount = 1_000 + i % 977;
            boolean tip = i % 50 == 0;
            if (tip) {
                held += amount;
            } else {
                gross += amount;
            }
            lines.add(new Statement.StatementLine("pi_3" + id(random, 24), "ch_3" + id(random, 24),
                    Instant.parse("2026-07-01T00:00:00Z").plusSeconds(i * 20L), LineType.SALE, tip ? "tip" : "course",
                    tip ? Classification.REVIEW : Classification.SHARED, tip ? "Held for review: tip" : null, amount, "usd",
                    new BigDecimal("0.30"), 1, false, "cus_" + id(random, 14)));
        }
        long partner = gross * 3 / 10;
        return new Statement("email-coach", "Coach Lee x Studio Nine", YearMonth.of(2026, 7), "usd", false,
                Instant.parse("2026-08-05T06:00:00Z"),
                new Statement.Totals(gross, 0, 0, gross, partner, gross - partner, 0, held, 0, partner, 0),
                List.of(new Statement.YearSummary(1, new BigDecimal("0.30"), null, partner, false, new BigDecimal(partner))),
                lines, null, List.of());
    }
}
