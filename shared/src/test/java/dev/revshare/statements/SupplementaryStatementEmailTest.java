package dev.revshare.statements;

import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.json.Json;
import dev.revshare.testing.ReceivedEmail;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** A supplementary statement says what it is wherever it is read: subject, both bodies, CSV, JSON, file names. */
class SupplementaryStatementEmailTest {
    /** Ended on June 30, settled within 30 days: July's statement is the final one. */
    private static final Agreement AGREEMENT = new Agreement("coach", "Coach x Acme",
            new Agreement.Party("Coach", List.of("coach@example.com")), new Agreement.Party("Acme", List.of("books@acme.example")),
            "acct_coach", "usd", ZoneOffset.UTC, LocalDate.of(2026, 6, 1), LocalDate.of(2027, 5, 31),
            List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), null, null, List.of(),
            new Agreement.Termination(Agreement.Termination.Type.MUTUAL, LocalDate.of(2026, 6, 30)), null, 30);
    private static final LedgerLine SALE = new LedgerLine("coach", "pi_june", "ch_june", LineType.SALE, 100_000, "usd",
            Instant.parse("2026-06-10T10:00:00Z"), Instant.parse("2026-06-10T10:00:00Z"), Instant.parse("2026-06-10T10:00:01Z"),
            "course", "cus_1", "evt_june");
    private static final LedgerLine LATE_REFUND = new LedgerLine("coach", "re_late", "re_late", LineType.REFUND, -40_000, "usd",
            Instant.parse("2026-07-20T10:00:00Z"), SALE.saleOccurredAt(), Instant.parse("2026-08-10T10:00:00Z"), "course", "cus_1",
            "evt_re_late", SALE.saleId());

    private final StatementCalculator calculator = new StatementCalculator();

    @Test
    void theSupplementaryStatementIsMarkedInTheSubjectBodiesCsvJsonAndFileNames() throws IOException {
        Statement supplementary = supplementary();
        OutgoingEmail email = new StatementEmail("statements@revshare.example").build(AGREEMENT, supplementary,
                Side.EXPERT, Instant.parse("2026-09-05T06:00:00Z"));
        ReceivedEmail received = ReceivedEmail.parse(email.mime());

        assertThat(email.reference()).isEqualTo("coach-2026-08-supplementary-expert");
        assertThat(received.subject).isEqualTo("Coach x Acme: supplementary statement for August 2026, partner share -$100.00");
        assertThat(received.to).containsExactly("coach@example.com");
        for (String body : List.of(received.text, received.html)) {
            assertThat(body).contains("Supplementary revenue-share statement",
                    "it lists what was recorded after the agreement's final statement (July 2026)",
                    "settlement of the late lines", "$100.00", "re_late");
        }
        // the terms of the final month, not of a month after the term
        assertThat(received.text).contains("the term has ended (last day 30 Jun 2026)");
        assertThat(received.attachments).containsOnlyKeys("coach-2026-08-supplementary.csv", "coach-2026-08-supplementary.json");
        List<CSVRecord> rows = csv(received.attachments.get("coach-2026-08-supplementary.csv"));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("line_id")).isEqualTo("re_late");
            assertThat(row.get("supplementary")).isEqualTo("true");
        });
        JsonNode json = Json.read(new String(received.attachments.get("coach-2026-08-supplementary.json"), StandardCharsets.UTF_8),
                JsonNode.class);
        assertThat(json.path("supplementary").asBoolean()).isTrue();
        assertThat(json.path("final").asBoolean()).isFalse();
        assertThat(Json.read(Json.write(supplementary), Statement.class)).isEqualTo(supplementary);
        assertThat(StatementIssuedDetail.of(supplementary, new SentMessages("msg-1", "msg-2")).supplementary()).isTrue();
    }

    @Test
    void aStatementOfTheTermIsNotMarkedAndItsJsonKeepsItsBytes() throws IOException {
        Statement july = finalStatement();

        OutgoingEmail email = new StatementEmail("statements@revshare.example").build(AGREEMENT, july,
                Side.EXPERT, Instant.parse("2026-08-05T06:00:00Z"));
        ReceivedEmail received = ReceivedEmail.parse(email.mime());

        assertThat(received.subject).startsWith("Coach x Acme: statement for July 2026");
        assertThat(received.text).contains("This is the agreement's final statement.").doesNotContain("upplementary");
        assertThat(csv(received.attachments.get("coach-2026-07.csv"))).allSatisfy(row ->
                assertThat(row.get("supplementary")).isEqualTo("false"));
        assertThat(Json.write(july)).doesNotContain("supplementary");
    }

    private Statement finalStatement() {
        Statement june = calculator.compute(AGREEMENT, YearMonth.of(2026, 6), Instant.parse("2026-07-05T06:00:00Z"), null,
                List.of(SALE));
        return calculator.compute(AGREEMENT, YearMonth.of(2026, 7), Instant.parse("2026-08-05T06:00:00Z"), june, List.of(SALE));
    }

    private Statement supplementary() {
        return calculator.compute(AGREEMENT, YearMonth.of(2026, 8), Instant.parse("2026-09-05T06:00:00Z"), finalStatement(),
                List.of(SALE, LATE_REFUND));
    }

    private static List<CSVRecord> csv(byte[] content) throws IOException {
        return StatementCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(content, StandardCharsets.UTF_8))).getRecords();
    }
}
