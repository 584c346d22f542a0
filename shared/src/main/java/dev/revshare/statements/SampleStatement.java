package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A built-in sample month, computed and made into its email in memory, for SnapStart's priming of the statements
 * function: the statement engine, the templates, the chart, the CSV and JSON attachments and the MIME message,
 * with no store, network or AWS client, and the same result every time (fixed ids and times).
 */
public final class SampleStatement {
    private static final YearMonth PERIOD = YearMonth.of(2026, 1);
    private static final Instant CLOSED_AT = Instant.parse("2026-02-04T06:00:00Z");
    private static final Agreement AGREEMENT = new Agreement("revshare-priming", "Priming sample",
            new Agreement.Party("Expert", List.of("expert@example.com")),
            new Agreement.Party("Partner", List.of("partner@example.com")), "acct_1RevsharePriming", "usd",
            ZoneOffset.UTC, LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);

    private SampleStatement() {}

    /** The sample month's statement email: computed, rendered and written as a MIME message, sent nowhere. */
    public static OutgoingEmail email() {
        Instant sale = Instant.parse("2026-01-10T10:00:00Z");
        Instant refund = Instant.parse("2026-01-20T10:00:00Z");
        List<LedgerLine> lines = List.of(
                new LedgerLine(AGREEMENT.id(), "pi_priming_1", "ch_priming_1", LineType.SALE, 29_700, "usd", sale, sale,
                        sale.plusSeconds(5), "course", "cus_priming", "evt_priming_1"),
                new LedgerLine(AGREEMENT.id(), "pi_priming_2", "ch_priming_2", LineType.SALE, 10_000, "usd", sale, sale,
                        sale.plusSeconds(5), "coaching", "cus_priming", "evt_priming_2"),
                new LedgerLine(AGREEMENT.id(), "re_priming_1", "re_priming_1", LineType.REFUND, -9_700, "usd", refund, sale,
                        refund.plusSeconds(5), "course", "cus_priming", "evt_priming_3"));
        Statement statement = new StatementCalculator().compute(AGREEMENT, PERIOD, CLOSED_AT, null, lines);
        return new StatementEmail("statements@example.com").build(AGREEMENT, statement, Side.EXPERT, CLOSED_AT);
    }
}
