package dev.revshare.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.RevenueDefinition;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statement document is stored, attached to the email and printed by the command line: its JSON must not
 * change by accident. The resources next to this test were written by the code before statements carried typed
 * values (periods as strings, rates as strings); the statements computed today must be the same bytes.
 */
public class StatementJsonTest {
    private static final YearMonth FIRST = YearMonth.of(2025, 11);
    private static final int MONTHS = 14;

    @Test
    void statementsAreWrittenAsTheStoredGoldenJson() {
        List<String> written = statements().stream().map(Json::write).toList();

        assertThat(written).containsExactlyElementsOf(resource("statements.jsonl").lines().toList());
    }

    @Test
    void theEmailAttachmentIsTheGoldenPrettyJson() {
        List<Statement> statements = statements();

        assertThat(Json.writePretty(statements.get(statements.size() - 1))).isEqualTo(resource("statement-pretty.json"));
    }

    @Test
    void aStoredStatementReadBackIsWrittenAsTheSameBytes() {
        for (String stored : resource("statements.jsonl").lines().toList()) {
            assertThat(Json.write(Json.read(stored, Statement.class))).isEqualTo(stored);
        }
    }

    /**
     * Fourteen chained months of an agreement with every part a statement can have: two agreement years at two
     * rates, a cap, a buyout clause, excluded and held categories, a line in another currency, refunds, a
     * dispute, a line recorded late, a resolution, a negative balance carried forward, and a buyout that makes the last
     * statement the final one.
     */
    public static List<Statement> statements() {
        Agreement agreement = new Agreement("golden", "Sarah Lee Mindfulness x Dalai Digital",
                new Agreement.Party("Sarah Lee", List.of("sarah@example.com")),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_golden", "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2025, 11, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25")), new Agreement.SplitStep(2, new BigDecimal("20.5"))),
                new RevenueDefinition(List.of("course"), Map.of("retreat", "In-person stays are not online revenue"),
                        List.of("coaching"), Map.of(), "course"),
                2_000_000L, List.of(), new Agreement.Termination(Agreement.Termination.Type.BUYOUT, LocalDate.of(2026, 12, 31)),
                new BigDecimal("2.5"), Agreement.DEFAULT_SETTLEMENT_DAYS);
        List<LedgerLine> lines = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) {
            Instant at = FIRST.plusMonths(m).atDay(10).atTime(11, 0).atZone(agreement.timezone()).toInstant();
            lines.add(sale("ch_course_" + m, 29_700 + 333 * m, at, "course"));
            lines.add(sale("ch_small_" + m, 1 + m, at.plusSeconds(60), null));
        }
        Instant dec = Instant.parse("2025-12-12T09:30:00Z");
        lines.add(sale("ch_retreat", 180_000, dec, "retreat"));
        LedgerLine coaching = sale("ch_coaching", 45_000, dec.plusSeconds(3_600), "coaching");
        lines.add(coaching);
        lines.add(new LedgerLine("golden", "ch_eur", "ch_eur", LineType.SALE, 50_000, "eur", dec, dec,
                dec.plusSeconds(1), "course", "cus_eur", "evt_eur"));
        LedgerLine big = sale("ch_big", 8_000_000, Instant.parse("2026-02-03T10:00:00Z"), "course");
        lines.add(big);
        // refunded in full in March: more than March's sales earn, a negative balance is carried
        lines.add(movement(big, LineType.REFUND, "re_big", -8_000_000, Instant.parse("2026-03-20T10:00:00Z")));
        LedgerLine disputed = sale("ch_disputed", 12_345, Instant.parse("2026-04-02T10:00:00Z"), "course");
        lines.add(disputed);
        lines.add(movement(disputed, LineType.DISPUTE_WITHDRAWAL, "dp_1", -12_345, Instant.parse("2026-04-20T10:00:00Z")));
        // happened on 31 May, recorded on 2 June: after May's statement closed
        Instant late = Instant.parse("2026-05-31T20:00:00Z");
        lines.add(new LedgerLine("golden", "ch_late", "ch_late", LineType.SALE, 7_777, "usd", late, late,
                Instant.parse("2026-06-02T08:00:00Z"), "course", "cus_late", "evt_late"));
        ReviewResolution resolution = new ReviewResolution("golden", coaching.saleId(), Classification.SHARED,
                "coaching sold online", Instant.parse("2026-01-20T12:00:00Z"), List.of(coaching));

        StatementCalculator calculator = new StatementCalculator();
        List<Statement> statements = new ArrayList<>();
        Statement previous = null;
        for (int m = 0; m < MONTHS; m++) {
            YearMonth month = FIRST.plusMonths(m);
            Instant closedAt = agreement.monthEndExclusive(month).plus(Duration.ofHours(30));
            previous = calculator.compute(agreement, month, closedAt, previous, lines, List.of(resolution));
            statements.add(previous);
        }
        return statements;
    }

    private static LedgerLine sale(String id, long amount, Instant at, String category) {
        return new LedgerLine("golden", id, id, LineType.SALE, amount, "usd", at, at, at.plusSeconds(2), category,
                "cus_" + id.substring(3), "evt_" + id);
    }

    private static LedgerLine movement(LedgerLine sale, LineType type, String id, long amount, Instant at) {
        return new LedgerLine("golden", id, sale.stripeId(), type, amount, sale.currency(), at, sale.saleOccurredAt(),
                at.plusSeconds(1), sale.category(), sale.customer(), "evt_" + id);
    }

    private static String resource(String name) {
        try (InputStream in = StatementJsonTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
