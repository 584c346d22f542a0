package dev.revshare.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.testing.TestAgreements;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * A stored line's currency comes from Stripe as text. One with a code Java does not know, or markup, or none,
 * must not stop the statement from rendering: it is listed, held, in minor units with the code as given.
 */
class UnknownCurrencyLinesTest {
    private static final YearMonth JANUARY = YearMonth.of(2026, 1);
    private final Agreement agreement = TestAgreements.sarahCourse("acct_1");
    private final Statement statement = january(
            line("ch_usd", "usd", 100_000, Instant.parse("2026-01-10T10:00:00Z")),
            line("ch_zzz", "zzz", 50_000, Instant.parse("2026-01-11T10:00:00Z")),
            line("ch_script", "<script>", 70_000, Instant.parse("2026-01-12T10:00:00Z")),
            line("ch_none", null, 30_000, Instant.parse("2026-01-13T10:00:00Z")));

    @Test
    void theTextStatementListsEachLineInItsOwnCodeAndAddsOnlyTheAgreementsCurrency() {
        String text = new StatementEmailRenderer().render(agreement, statement).text();

        assertThat(text).contains(
                "Gross sales      $1,000.00",
                "Not shared this month: excluded $0.00, held for review $0.00.",
                "ch_zzz  50000 minor units of unknown currency \"zzz\"  review: currency: \"zzz\" is not a currency code",
                "ch_script  70000 minor units of unknown currency \"<script>\"  review",
                "ch_none  30000 minor units, no currency  review: currency: the payment names no currency");
    }

    @Test
    void theHtmlStatementShowsTheCodeAsTextNeverAsMarkup() {
        String html = new StatementEmailRenderer().render(agreement, statement).html();

        assertThat(html).contains("50000 minor units of unknown currency &quot;zzz&quot;",
                        "70000 minor units of unknown currency &quot;&lt;script&gt;&quot;")
                .doesNotContain("<script");
    }

    @Test
    void theCsvKeepsTheAmountInMinorUnitsAndTheCodeAsGiven() throws IOException {
        List<CSVRecord> rows = StatementCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(StatementCsv.write(statement, ZoneOffset.UTC))).getRecords();

        assertThat(rows).extracting(r -> r.get("line_id"), r -> r.get("amount_minor"), r -> r.get("amount"),
                        r -> r.get("currency"), r -> r.get("partner_exact"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ch_usd", "100000", "1000.00", "usd", "25000"),
                        org.assertj.core.groups.Tuple.tuple("ch_zzz", "50000", "", "zzz", "0"),
                        org.assertj.core.groups.Tuple.tuple("ch_script", "70000", "", "<script>", "0"),
                        org.assertj.core.groups.Tuple.tuple("ch_none", "30000", "", "", "0"));
    }

    private Statement january(LedgerLine... lines) {
        return new StatementCalculator().compute(agreement, JANUARY, agreement.monthEndExclusive(JANUARY).plusSeconds(86_400),
                null, List.of(lines));
    }

    private static LedgerLine line(String id, String currency, long amount, Instant at) {
        return new LedgerLine("sarah-course", id, id, LineType.SALE, amount, currency, at, at, at.plusSeconds(1), "course",
                "cus_" + id, "evt_" + id);
    }
}
