package dev.revshare.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatementCalculatorTest {
    private final StatementCalculator calculator = new StatementCalculator();

    @ParameterizedTest(name = "{0} % of {1} × {2} minor units")
    @CsvSource({
            // partner %, sales, amount, partner total, expert total
            "25, 200, 29700, 1485000, 4455000",   // 75/25 on $59,400: $14,850 / $44,550
            "35,  60, 30000,  630000, 1170000",   // 65/35 on $18,000: $6,300 / $11,700
            "20,  90, 50000,  900000, 3600000",   // 80/20 on $45,000: $9,000 / $36,000
    })
    void twelveChainedMonthlyStatementsSplitAYearOfSalesExactly(int partnerPercent, int sales, long amount,
                                                                 long partnerTotal, long expertTotal) {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, partnerPercent));
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 0; i < sales; i++) {
            // spread over the year: sale i on day (i * 365 / sales) of the agreement year, at 13:07 UTC
            Instant at = Instant.parse("2026-01-01T13:07:00Z").plus(Duration.ofDays((long) i * 365 / sales));
            lines.add(sale("ch_" + i, amount, at, "course"));
        }

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 12, lines);

        assertThat(statements).hasSize(12);
        assertThat(statements).allSatisfy(s -> assertThat(s.totals().partnerShare()).isPositive());
        assertThat(sum(statements, Statement.Totals::netRevenue)).isEqualTo(sales * amount);
        assertThat(sum(statements, Statement.Totals::partnerShare)).isEqualTo(partnerTotal);
        assertThat(sum(statements, Statement.Totals::expertShare)).isEqualTo(expertTotal);
        assertThat(statements.stream().mapToInt(s -> s.lines().size()).sum()).isEqualTo(sales);
        assertThat(statements.get(11).years()).singleElement()
                .satisfies(year -> assertThat(year.entitlementToDate()).isEqualTo(partnerTotal));
    }

    @Test
    void roundsOncePerAgreementYearOnTheExactSumSoThreeQuarterCentsMakeOneCent() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        List<LedgerLine> lines = List.of(
                sale("ch_a", 1, Instant.parse("2026-01-10T10:00:00Z"), "course"),
                sale("ch_b", 1, Instant.parse("2026-02-10T10:00:00Z"), "course"),
                sale("ch_c", 1, Instant.parse("2026-03-10T10:00:00Z"), "course"));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 3, lines);

        // exact entitlement 0.25, 0.50, 0.75: rounded 0, 1, 1, so the statements show 0, 1, 0
        assertThat(statements).extracting(s -> s.totals().partnerShare()).containsExactly(0L, 1L, 0L);
        assertThat(sum(statements, Statement.Totals::partnerShare)).isEqualTo(1);
        assertThat(sum(statements, Statement.Totals::expertShare)).isEqualTo(2);
        assertThat(statements.get(2).years().get(0).exactEntitlementToDate()).isEqualTo("0.75");
    }

    @Test
    void refundInYearTwoOfAYearOneSaleIsReversedAtTheYearOneRate() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25), split(2, 10));
        Instant saleAt = Instant.parse("2026-12-20T10:00:00Z");
        LedgerLine sale = sale("pi_1", 10_000, saleAt, "course");
        LedgerLine refund = new LedgerLine("a", "pi_1:refunded-to:10000", "ch_1", LineType.REFUND, -10_000, "usd",
                Instant.parse("2027-01-05T10:00:00Z"), saleAt, Instant.parse("2027-01-05T10:00:01Z"), "course", "cus_1", "evt_r");

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 12), 2, List.of(sale, refund));

        Statement january = statements.get(1);
        assertThat(statements.get(0).totals().partnerShare()).isEqualTo(2_500);
        assertThat(january.totals().refunds()).isEqualTo(10_000);
        assertThat(january.totals().netRevenue()).isEqualTo(-10_000);
        assertThat(january.totals().partnerShare()).isEqualTo(-2_500);
        assertThat(january.totals().expertShare()).isEqualTo(-7_500);
        assertThat(january.lines()).singleElement().satisfies(line -> {
            assertThat(line.agreementYear()).isEqualTo(1);
            assertThat(line.rate()).isEqualTo("0.25");
        });
        assertThat(january.years()).singleElement().satisfies(year -> {
            assertThat(year.agreementYear()).isEqualTo(1);
            assertThat(year.entitlementToDate()).isZero();
        });
    }

    @Test
    void lineRecordedAfterItsMonthClosedAppearsOnceInTheNextStatementFlaggedPriorPeriod() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        LedgerLine onTime = sale("ch_on_time", 4_000, Instant.parse("2026-03-15T10:00:00Z"), "course");
        // happened on March 31, recorded on April 2: after March's statement closed on April 1
        LedgerLine late = new LedgerLine("a", "ch_late", "ch_late", LineType.SALE, 10_000, "usd",
                Instant.parse("2026-03-31T23:00:00Z"), Instant.parse("2026-03-31T23:00:00Z"),
                Instant.parse("2026-04-02T00:00:00Z"), "course", null, "evt_late");

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 3), 3, List.of(onTime, late));

        Statement march = statements.get(0), april = statements.get(1), may = statements.get(2);
        assertThat(march.lines()).extracting(Statement.StatementLine::lineId).containsExactly("ch_on_time");
        assertThat(april.lines()).singleElement().satisfies(line -> {
            assertThat(line.lineId()).isEqualTo("ch_late");
            assertThat(line.priorPeriod()).isTrue();
        });
        assertThat(april.totals().netRevenue()).isEqualTo(10_000);
        assertThat(may.lines()).isEmpty();
        assertThat(sum(statements, Statement.Totals::netRevenue)).isEqualTo(14_000);
    }

    @Test
    void lineRecordedBeforeTheCloseButHappeningAfterTheMonthEndGoesToTheNextMonth() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        // April 1 02:00 UTC, recorded at once, before March's statement closes (April 1, 06:00 UTC)
        LedgerLine april1 = sale("ch_april", 5_000, Instant.parse("2026-04-01T02:00:00Z"), "course");

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 3), 2, List.of(april1));

        assertThat(april1.recordedAt()).isBefore(statements.get(0).closedAt());
        assertThat(statements.get(0).lines()).isEmpty();
        assertThat(statements.get(1).lines()).singleElement().satisfies(line -> {
            assertThat(line.lineId()).isEqualTo("ch_april");
            assertThat(line.priorPeriod()).isFalse();
        });
    }

    @Test
    void salesOutsideTheTermAreExcludedWithTheReason() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30), split(1, 25));
        LedgerLine beforeStart = sale("ch_before", 3_000, Instant.parse("2025-12-31T23:30:00Z"), "course");
        LedgerLine inTerm = sale("ch_in", 7_000, Instant.parse("2026-01-05T10:00:00Z"), "course");
        LedgerLine afterEnd = sale("ch_after", 9_000, Instant.parse("2026-07-01T00:30:00Z"), "course");

        Statement january = calculator.compute(agreement, YearMonth.of(2026, 1), closeOf(agreement, YearMonth.of(2026, 1)),
                null, List.of(beforeStart, inTerm));
        Statement july = calculator.compute(agreement, YearMonth.of(2026, 7), closeOf(agreement, YearMonth.of(2026, 7)),
                null, List.of(afterEnd));

        assertThat(january.totals().netRevenue()).isEqualTo(7_000);
        assertThat(january.totals().excluded()).isEqualTo(3_000);
        assertThat(january.totals().partnerShare()).isEqualTo(1_750);
        assertThat(january.lines()).filteredOn(l -> l.lineId().equals("ch_before")).singleElement().satisfies(line -> {
            assertThat(line.classification()).isEqualTo(Classification.EXCLUDED);
            assertThat(line.reason()).isEqualTo("Outside the agreement term");
        });
        assertThat(july.totals().netRevenue()).isZero();
        assertThat(july.totals().partnerShare()).isZero();
        assertThat(july.totals().excluded()).isEqualTo(9_000);
        assertThat(july.lines()).singleElement().satisfies(line -> {
            assertThat(line.classification()).isEqualTo(Classification.EXCLUDED);
            assertThat(line.reason()).isEqualTo("Outside the agreement term");
        });
    }

    @Test
    void excludedCategoryIsListedWithItsReasonAndUnlistedCategoryIsHeldForReview() {
        RevenueDefinition revenue = new RevenueDefinition(List.of("course"),
                Map.of("coaching", "The expert's own one-to-one coaching"), List.of("tip"), Map.of(), null);
        Agreement agreement = new Agreement("a", "Sarah x Acme", party("Sarah"), party("Acme"), "acct_1", "usd",
                ZoneOffset.UTC, LocalDate.of(2026, 1, 1), null, List.of(split(1, 25)), revenue);
        List<LedgerLine> lines = List.of(
                sale("ch_course", 10_000, Instant.parse("2026-01-05T10:00:00Z"), "course"),
                sale("ch_coaching", 20_000, Instant.parse("2026-01-06T10:00:00Z"), "coaching"),
                sale("ch_merch", 3_000, Instant.parse("2026-01-07T10:00:00Z"), "merch"));

        Statement statement = calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null, lines);

        assertThat(statement.totals().grossSales()).isEqualTo(10_000);
        assertThat(statement.totals().netRevenue()).isEqualTo(10_000);
        assertThat(statement.totals().partnerShare()).isEqualTo(2_500);
        assertThat(statement.totals().excluded()).isEqualTo(20_000);
        assertThat(statement.totals().pendingReview()).isEqualTo(3_000);
        assertThat(statement.lines())
                .extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                        Statement.StatementLine::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ch_course", Classification.SHARED, null),
                        org.assertj.core.groups.Tuple.tuple("ch_coaching", Classification.EXCLUDED,
                                "The expert's own one-to-one coaching"),
                        org.assertj.core.groups.Tuple.tuple("ch_merch", Classification.REVIEW,
                                "Category not in the agreement: merch"));
    }

    @Test
    void monthCrossingAnAgreementYearBoundaryShowsBothRates() {
        Agreement agreement = agreement(LocalDate.of(2025, 3, 15), null, split(1, 25), split(2, 30));
        List<LedgerLine> lines = List.of(
                sale("ch_year1", 10_000, Instant.parse("2026-03-14T12:00:00Z"), "course"),
                sale("ch_year2", 10_000, Instant.parse("2026-03-15T12:00:00Z"), "course"));

        Statement march = calculator.compute(agreement, YearMonth.of(2026, 3),
                closeOf(agreement, YearMonth.of(2026, 3)), null, lines);

        assertThat(march.lines()).extracting(Statement.StatementLine::agreementYear, Statement.StatementLine::rate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "0.25"),
                        org.assertj.core.groups.Tuple.tuple(2, "0.3"));
        assertThat(march.years()).extracting(Statement.YearSummary::agreementYear, Statement.YearSummary::rate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "0.25"),
                        org.assertj.core.groups.Tuple.tuple(2, "0.3"));
        assertThat(march.totals().partnerShare()).isEqualTo(2_500 + 3_000);
        assertThat(march.totals().expertShare()).isEqualTo(20_000 - 5_500);
    }

    // ---------------------------------------------------------------- helpers

    /** Closes {@code count} months from {@code first}, each one day after its end, each continuing the one before. */
    private List<Statement> monthly(Agreement agreement, YearMonth first, int count, List<LedgerLine> lines) {
        List<Statement> statements = new ArrayList<>();
        Statement previous = null;
        for (int m = 0; m < count; m++) {
            YearMonth month = first.plusMonths(m);
            previous = calculator.compute(agreement, month, closeOf(agreement, month), previous, lines);
            statements.add(previous);
        }
        return statements;
    }

    /** As the scheduled run does: six hours after the month has ended. */
    private static Instant closeOf(Agreement agreement, YearMonth month) {
        return agreement.monthEndExclusive(month).plus(Duration.ofHours(6));
    }

    private static long sum(List<Statement> statements, java.util.function.ToLongFunction<Statement.Totals> figure) {
        return statements.stream().mapToLong(s -> figure.applyAsLong(s.totals())).sum();
    }

    private static Agreement agreement(LocalDate start, LocalDate end, Agreement.SplitStep... split) {
        return new Agreement("a", "Sarah x Acme", party("Sarah"), party("Acme"), "acct_1", "usd", ZoneOffset.UTC,
                start, end, List.of(split), null);
    }

    private static Agreement.Party party(String name) {
        return new Agreement.Party(name, List.of(name.toLowerCase() + "@example.com"));
    }

    private static Agreement.SplitStep split(int year, int partnerPercent) {
        return new Agreement.SplitStep(year, BigDecimal.valueOf(partnerPercent));
    }

    /** A sale recorded one second after it happened. */
    private static LedgerLine sale(String id, long amount, Instant at, String category) {
        return new LedgerLine("a", id, id, LineType.SALE, amount, "usd", at, at, at.plusSeconds(1), category,
                "cus_" + id, "evt_" + id);
    }
}
