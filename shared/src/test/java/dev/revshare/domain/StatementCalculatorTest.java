package dev.revshare.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        assertThat(statements.get(2).years().get(0).exactEntitlementToDate()).isEqualTo(new BigDecimal("0.75"));
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
            assertThat(line.rate()).isEqualTo(new BigDecimal("0.25"));
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
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.25")),
                        org.assertj.core.groups.Tuple.tuple(2, new BigDecimal("0.3")));
        assertThat(march.years()).extracting(Statement.YearSummary::agreementYear, Statement.YearSummary::rate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.25")),
                        org.assertj.core.groups.Tuple.tuple(2, new BigDecimal("0.3")));
        assertThat(march.totals().partnerShare()).isEqualTo(2_500 + 3_000);
        assertThat(march.totals().expertShare()).isEqualTo(20_000 - 5_500);
    }

    // ---------------------------------------------------------------- issue 3: signs, caps, balances, amendments, the end

    @Test
    void aLedgerLineWhoseSignContradictsItsTypeIsRefused() {
        Instant at = Instant.parse("2026-01-05T10:00:00Z");

        // rule 1: refunds and withdrawals are negative, sales and reinstatements positive
        assertThatThrownBy(() -> new LedgerLine("a", "re_1", "ch_1", LineType.REFUND, 500, "usd", at, at, at,
                null, null, "evt_1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REFUND line re_1 has the wrong sign: 500");
        assertThatThrownBy(() -> new LedgerLine("a", "dp_1:won", "ch_1", LineType.DISPUTE_REINSTATEMENT, -500, "usd",
                at, at, at, null, null, "evt_2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DISPUTE_REINSTATEMENT line dp_1:won has the wrong sign: -500");
    }

    @Test
    void capReachedInTheMiddleOfAMonthStopsThePartnerShareAtTheCap() {
        Agreement agreement = capped(LocalDate.of(2026, 1, 1), 100_000L, split(1, 25));
        LedgerLine january = sale("ch_jan", 300_000, Instant.parse("2026-01-15T10:00:00Z"), "course");
        LedgerLine underCap = sale("ch_feb_under", 80_000, Instant.parse("2026-02-10T10:00:00Z"), "course");
        LedgerLine crossing = sale("ch_feb_crossing", 40_000, Instant.parse("2026-02-20T10:00:00Z"), "course");
        LedgerLine overCap = sale("ch_feb_over", 10_000, Instant.parse("2026-02-25T10:00:00Z"), "course");
        LedgerLine inMarch = sale("ch_mar", 50_000, Instant.parse("2026-03-05T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(january, underCap, crossing, overCap, inMarch);

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 3, lines);
        // February previewed mid-month (the statements preview closes a month "now"): before and after the crossing sale
        Statement beforeCrossing = calculator.compute(agreement, YearMonth.of(2026, 2),
                Instant.parse("2026-02-15T00:00:00Z"), statements.get(0), lines);
        Statement afterCrossing = calculator.compute(agreement, YearMonth.of(2026, 2),
                Instant.parse("2026-02-21T00:00:00Z"), statements.get(0), lines);

        // January: 25 % of 3,000.00 = 750.00, under the 1,000.00 cap
        assertThat(statements.get(0).totals().partnerShare()).isEqualTo(75_000);
        assertThat(statements.get(0).years().get(0).capReached()).isFalse();
        // February, exact to date: 750 + 200 (ch_feb_under) = 950.00, still under the cap
        assertThat(beforeCrossing.totals().partnerShare()).isEqualTo(20_000);
        assertThat(beforeCrossing.years().get(0).capReached()).isFalse();
        // + 100 (ch_feb_crossing) = 1,050.00: the crossing sale earns 50.00 of its 100.00 and the cap is reached
        assertThat(afterCrossing.totals().partnerShare()).isEqualTo(25_000);
        assertThat(afterCrossing.years().get(0).capReached()).isTrue();
        // + 25 (ch_feb_over) = 1,075.00 exact, which earns nothing: February's share is 1,000 - 750 = 250.00 and the
        // expert keeps 1,300.00 - 250.00 = 1,050.00
        Statement february = statements.get(1);
        assertThat(february.totals().netRevenue()).isEqualTo(130_000);
        assertThat(february.totals().partnerShare()).isEqualTo(25_000);
        assertThat(february.totals().expertShare()).isEqualTo(105_000);
        assertThat(february.years()).singleElement().satisfies(year -> {
            assertThat(year.cap()).isEqualTo(100_000L);
            assertThat(year.entitlementToDate()).isEqualTo(100_000);
            assertThat(year.capReached()).isTrue();
            assertThat(year.exactEntitlementToDate()).isEqualTo(new BigDecimal("107500.00"));
        });
        // March: 500.00 of sales, all of it the expert's
        assertThat(statements.get(2).totals().partnerShare()).isZero();
        assertThat(statements.get(2).totals().expertShare()).isEqualTo(50_000);
        assertThat(statements.get(2).years().get(0).entitlementToDate()).isEqualTo(100_000);
    }

    @Test
    void capIsPerAgreementYearSoAYearStartingMidMonthStartsAFreshCap() {
        Agreement agreement = capped(LocalDate.of(2025, 3, 15), 300_000L, split(1, 25), split(2, 30));
        List<LedgerLine> lines = List.of(
                sale("ch_year1", 1_400_000, Instant.parse("2026-03-01T10:00:00Z"), "course"),
                sale("ch_year2", 100_000, Instant.parse("2026-03-20T10:00:00Z"), "course"));

        Statement march = calculator.compute(agreement, YearMonth.of(2026, 3),
                closeOf(agreement, YearMonth.of(2026, 3)), null, lines);

        // year 1: 25 % × 14,000.00 = 3,500.00, capped at 3,000.00; year 2: 30 % × 1,000.00 = 300.00 under its own cap
        assertThat(march.years())
                .extracting(Statement.YearSummary::agreementYear, Statement.YearSummary::entitlementToDate,
                        Statement.YearSummary::capReached)
                .containsExactly(tuple(1, 300_000L, true), tuple(2, 30_000L, false));
        assertThat(march.totals().partnerShare()).isEqualTo(330_000);
        assertThat(march.totals().expertShare()).isEqualTo(1_500_000 - 330_000);
    }

    @Test
    void refundAfterTheCapTakesNothingBackUntilTheExactEntitlementFallsBelowTheCap() {
        Agreement agreement = capped(LocalDate.of(2026, 1, 1), 100_000L, split(1, 25));
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            lines.add(sale("ch_" + i, 100_000, Instant.parse("2026-01-0" + (i + 2) + "T10:00:00Z"), "course"));
        }
        lines.add(refund(lines.get(0), "re_1", -100_000, Instant.parse("2026-02-10T10:00:00Z")));
        lines.add(refund(lines.get(1), "re_2", -100_000, Instant.parse("2026-03-10T10:00:00Z")));
        lines.add(refund(lines.get(2), "re_3", -100_000, Instant.parse("2026-03-11T10:00:00Z")));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 3, lines);
        Statement january = statements.get(0), february = statements.get(1), march = statements.get(2);

        // January: 25 % × 6,000.00 = 1,500.00 exact, capped at 1,000.00
        assertThat(january.totals().partnerShare()).isEqualTo(100_000);
        assertThat(january.totals().partnerPayable()).isEqualTo(100_000);
        // February: exact 1,500 - 250 = 1,250.00, still over the cap, so the entitlement stays 1,000.00: the
        // partner gives nothing back and the expert bears the whole refund (rules 4 and 5)
        assertThat(february.totals().refunds()).isEqualTo(100_000);
        assertThat(february.totals().netRevenue()).isEqualTo(-100_000);
        assertThat(february.totals().partnerShare()).isZero();
        assertThat(february.totals().expertShare()).isEqualTo(-100_000);
        assertThat(february.totals().carriedForward()).isZero();
        assertThat(february.years()).singleElement().satisfies(year -> {
            assertThat(year.exactEntitlementToDate()).isEqualTo(new BigDecimal("125000.00"));
            assertThat(year.entitlementToDate()).isEqualTo(100_000);
            assertThat(year.capReached()).isTrue();
        });
        // March: exact 1,250 - 500 = 750.00, under the cap: share 750 - 1,000 = -250.00, carried forward;
        // the expert's share is -2,000.00 + 250.00 = -1,750.00
        assertThat(march.totals().partnerShare()).isEqualTo(-25_000);
        assertThat(march.totals().expertShare()).isEqualTo(-175_000);
        assertThat(march.totals().partnerPayable()).isZero();
        assertThat(march.totals().carriedForward()).isEqualTo(-25_000);
        assertThat(march.years().get(0).capReached()).isFalse();
    }

    @Test
    void negativeShareIsCarriedForwardAndOffsetAgainstTheNextShares() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        LedgerLine first = sale("ch_1", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(first,
                refund(first, "re_1", -100_000, Instant.parse("2026-02-10T10:00:00Z")),
                sale("ch_2", 60_000, Instant.parse("2026-03-10T10:00:00Z"), "course"),
                sale("ch_3", 80_000, Instant.parse("2026-04-10T10:00:00Z"), "course"));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 4, lines);

        // (partnerShare, carriedIn, partnerPayable, carriedForward)
        // Jan: 25 % × 1,000 = 250.00, paid
        // Feb: the refund takes back 250.00: balance -250.00, nothing paid, -250.00 carried forward
        // Mar: 25 % × 600 = 150.00 - 250.00 brought in = -100.00, nothing paid, -100.00 carried forward
        // Apr: 25 % × 800 = 200.00 - 100.00 brought in = 100.00 paid, nothing carried
        assertThat(statements).extracting(s -> s.totals().partnerShare(), s -> s.totals().carriedIn(),
                        s -> s.totals().partnerPayable(), s -> s.totals().carriedForward())
                .containsExactly(tuple(25_000L, 0L, 25_000L, 0L), tuple(-25_000L, 0L, 0L, -25_000L),
                        tuple(15_000L, -25_000L, 0L, -10_000L), tuple(20_000L, -10_000L, 10_000L, 0L));
        assertThat(statements.get(1).totals().expertShare()).isEqualTo(-75_000);
        // paid 250 + 100 = 350.00, earned 250 - 250 + 150 + 200 = 350.00
        assertThat(sum(statements, Statement.Totals::partnerPayable)).isEqualTo(35_000)
                .isEqualTo(sum(statements, Statement.Totals::partnerShare));
    }

    @Test
    void splitAmendmentAppliesToSalesFromItsDateAndARefundKeepsItsSalesRate() {
        Agreement.Amendment thirtyPercent = new Agreement.Amendment(LocalDate.of(2026, 3, 15), List.of(split(1, 30)),
                null, false, null);
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, null, List.of(thirtyPercent), null, null,
                split(1, 25));
        LedgerLine before = sale("ch_before", 100_000, Instant.parse("2026-03-14T23:59:00Z"), "course");
        LedgerLine from = sale("ch_from", 100_000, Instant.parse("2026-03-15T00:01:00Z"), "course");
        LedgerLine refundOfBefore = refund(before, "re_before", -100_000, Instant.parse("2026-03-20T10:00:00Z"));

        Statement march = calculator.compute(agreement, YearMonth.of(2026, 3), closeOf(agreement, YearMonth.of(2026, 3)),
                null, List.of(before, from, refundOfBefore));

        assertThat(march.lines()).extracting(Statement.StatementLine::lineId, Statement.StatementLine::rate)
                .containsExactly(tuple("ch_before", new BigDecimal("0.25")), tuple("ch_from", new BigDecimal("0.3")),
                        tuple("re_before", new BigDecimal("0.25")));
        // 25 % × 1,000 + 30 % × 1,000 - 25 % × 1,000 = 300.00 of 1,000.00 net
        assertThat(march.totals().netRevenue()).isEqualTo(100_000);
        assertThat(march.totals().partnerShare()).isEqualTo(30_000);
        assertThat(march.totals().expertShare()).isEqualTo(70_000);
    }

    @Test
    void revenueAmendmentClassifiesSalesFromItsDateAndRefundsByTheirSalesDate() {
        RevenueDefinition original = new RevenueDefinition(List.of("course", "coaching"), Map.of(), List.of(), Map.of(), null);
        RevenueDefinition amended = new RevenueDefinition(List.of("course"),
                Map.of("coaching", "Coaching is the expert's own from March"), List.of(), Map.of(), null);
        Agreement agreement = new Agreement("a", "Sarah x Acme", party("Sarah"), party("Acme"), "acct_1", "usd",
                ZoneOffset.UTC, LocalDate.of(2026, 1, 1), null, List.of(split(1, 25)), original, null,
                List.of(new Agreement.Amendment(LocalDate.of(2026, 3, 1), null, null, false, amended)), null, null,
                Agreement.DEFAULT_SETTLEMENT_DAYS);
        LedgerLine february = sale("ch_feb", 20_000, Instant.parse("2026-02-28T10:00:00Z"), "coaching");
        List<LedgerLine> lines = List.of(february,
                sale("ch_mar", 20_000, Instant.parse("2026-03-01T10:00:00Z"), "coaching"),
                refund(february, "re_feb", -20_000, Instant.parse("2026-03-05T10:00:00Z")));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 2), 2, lines);

        // February: coaching is shared, 25 % × 200.00 = 50.00
        assertThat(statements.get(0).totals().partnerShare()).isEqualTo(5_000);
        // March: the new coaching sale is excluded; the refund of February's sale is reversed as shared: -50.00
        Statement march = statements.get(1);
        assertThat(march.lines()).extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                        Statement.StatementLine::reason)
                .containsExactly(tuple("ch_mar", Classification.EXCLUDED, "Coaching is the expert's own from March"),
                        tuple("re_feb", Classification.SHARED, null));
        assertThat(march.totals().excluded()).isEqualTo(20_000);
        assertThat(march.totals().partnerShare()).isEqualTo(-5_000);
    }

    @Test
    void capAmendmentMidYearAppliesFromTheNextAgreementYear() {
        Agreement.Amendment lowerCap = new Agreement.Amendment(LocalDate.of(2026, 6, 1), null, 50_000L, false, null);
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, 100_000L, List.of(lowerCap), null, null,
                split(1, 25));
        List<LedgerLine> lines = List.of(
                sale("ch_year1", 400_000, Instant.parse("2026-07-10T10:00:00Z"), "course"),
                sale("ch_year2", 400_000, Instant.parse("2027-01-10T10:00:00Z"), "course"));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 7), 7, lines);
        Statement july = statements.get(0), january = statements.get(6);

        // year 1 began on 2026-01-01, before the amendment, so its cap stays 1,000.00: 25 % × 4,000 = 1,000.00
        assertThat(july.totals().partnerShare()).isEqualTo(100_000);
        // year 2 begins on 2027-01-01, the first year starting after the amendment: 25 % × 4,000 = 1,000.00,
        // capped at 500.00
        assertThat(january.totals().partnerShare()).isEqualTo(50_000);
        assertThat(january.totals().expertShare()).isEqualTo(350_000);
        assertThat(january.years())
                .extracting(Statement.YearSummary::agreementYear, Statement.YearSummary::cap,
                        Statement.YearSummary::entitlementToDate, Statement.YearSummary::capReached)
                .containsExactly(tuple(1, 100_000L, 100_000L, true), tuple(2, 50_000L, 50_000L, true));
    }

    @Test
    void afterExpiryRefundsAdjustUntilTheSettlementEndWhoseMonthIsFinal() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30), split(1, 25));
        LedgerLine june = sale("ch_june", 200_000, Instant.parse("2026-06-20T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(june,
                sale("ch_july", 30_000, Instant.parse("2026-07-05T10:00:00Z"), "course"),
                refund(june, "re_aug", -40_000, Instant.parse("2026-08-10T10:00:00Z")),
                refund(june, "re_last_day", -20_000, Instant.parse("2026-10-28T20:00:00Z")),
                refund(june, "re_late", -40_000, Instant.parse("2026-10-29T09:00:00Z")));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 6), 5, lines);
        Statement july = statements.get(1), august = statements.get(2), october = statements.get(4);

        // 2026-06-30 + 120 days = 2026-10-28: October's statement is the last
        assertThat(agreement.settlementEnd()).isEqualTo(LocalDate.of(2026, 10, 28));
        assertThat(statements).extracting(Statement::period, Statement::isFinal).containsExactly(
                tuple(YearMonth.of(2026, 6), false), tuple(YearMonth.of(2026, 7), false), tuple(YearMonth.of(2026, 8), false),
                tuple(YearMonth.of(2026, 9), false), tuple(YearMonth.of(2026, 10), true));
        assertThat(statements.get(0).totals().partnerShare()).isEqualTo(50_000);
        // a sale after the last day is not shared
        assertThat(july.lines()).singleElement().satisfies(line -> {
            assertThat(line.classification()).isEqualTo(Classification.EXCLUDED);
            assertThat(line.reason()).isEqualTo("Outside the agreement term");
        });
        assertThat(july.totals().partnerShare()).isZero();
        // refunds of the June sale still adjust: 25 % × -400.00 = -100.00
        assertThat(august.totals().partnerShare()).isEqualTo(-10_000);
        // on the settlement end's day it adjusts (25 % × -200.00 = -50.00); the day after it is only listed
        assertThat(october.lines())
                .extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                        Statement.StatementLine::reason)
                .containsExactly(tuple("re_last_day", Classification.SHARED, null),
                        tuple("re_late", Classification.EXCLUDED, "After the settlement period"));
        assertThat(october.totals().refunds()).isEqualTo(20_000);
        assertThat(october.totals().partnerShare()).isEqualTo(-5_000);
        // the partner ends owing 150.00 (-100.00 - 50.00): the final statement settles it, nothing is carried on
        assertThat(october.totals().carriedIn()).isEqualTo(-10_000);
        assertThat(october.totals().partnerPayable()).isEqualTo(-15_000);
        assertThat(october.totals().carriedForward()).isZero();
    }

    @Test
    void aSupplementaryStatementListsTheLateLinesOfTheAgreementsSalesAndSettlesWhatTheyChange() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30), null, List.of(), null, "2",
                split(1, 25));
        LedgerLine june = sale("ch_june", 200_000, Instant.parse("2026-06-20T10:00:00Z"), "course");
        List<Statement> regular = monthly(agreement, YearMonth.of(2026, 6), 5, List.of(june));
        Statement finalStatement = regular.get(4);
        assertThat(finalStatement.isFinal()).isTrue();
        // recorded after the final statement closed (2026-11-01T06:00Z): a refund inside the settlement period that
        // arrived late, a sale made after the term (not the agreement's), a refund after the settlement period
        Instant lateRecording = Instant.parse("2026-11-10T09:00:00Z");
        LedgerLine lateRefund = new LedgerLine("a", "re_late", "ch_june", LineType.REFUND, -40_000, "usd",
                Instant.parse("2026-10-20T10:00:00Z"), june.saleOccurredAt(), lateRecording, "course", "cus_ch_june", "evt_re_late");
        List<LedgerLine> lines = List.of(june, lateRefund,
                sale("ch_after_term", 50_000, Instant.parse("2026-11-12T10:00:00Z"), "course"),
                refund(june, "re_after_settlement", -10_000, Instant.parse("2026-11-15T10:00:00Z")));

        Statement november = calculator.compute(agreement, YearMonth.of(2026, 11), closeOf(agreement, YearMonth.of(2026, 11)),
                finalStatement, lines);

        assertThat(november.supplementary()).isTrue();
        assertThat(november.isFinal()).isFalse();
        assertThat(november.lines())
                .extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                        Statement.StatementLine::reason, Statement.StatementLine::priorPeriod)
                .containsExactly(tuple("re_late", Classification.SHARED, null, true),
                        tuple("re_after_settlement", Classification.EXCLUDED, "After the settlement period", false));
        // 25 % × -400.00, settled now as the final statement settles: due from the partner, nothing carried on
        assertThat(november.totals().partnerShare()).isEqualTo(-10_000);
        assertThat(november.totals().partnerPayable()).isEqualTo(-10_000);
        assertThat(november.totals().carriedForward()).isZero();
        assertThat(november.years()).singleElement().satisfies(year -> {
            assertThat(year.entitlementToDate()).isEqualTo(40_000);
            assertThat(year.rate()).isEqualByComparingTo("0.25");
        });
        assertThat(november.buyoutQuote()).as("nothing is left to buy out").isNull();
        assertThat(regular).noneMatch(Statement::supplementary);
    }

    @Test
    void buyoutMakesItsMonthFinalWithTheQuoteDueAndExcludesWhatFollows() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), LocalDate.of(2028, 12, 31), null, List.of(),
                new Agreement.Termination(Agreement.Termination.Type.BUYOUT, LocalDate.of(2026, 4, 15)), "2.5",
                split(1, 25));
        LedgerLine january = sale("ch_jan", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(january,
                sale("ch_feb", 200_000, Instant.parse("2026-02-10T10:00:00Z"), "course"),
                sale("ch_buyout_day", 40_004, Instant.parse("2026-04-15T22:00:00Z"), "course"),
                sale("ch_after", 80_000, Instant.parse("2026-04-16T10:00:00Z"), "course"),
                refund(january, "re_after", -100_000, Instant.parse("2026-04-20T10:00:00Z")));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 4, lines);
        Statement march = statements.get(2), april = statements.get(3);

        assertThat(statements).extracting(Statement::isFinal).containsExactly(false, false, false, true);
        // shares: Jan 250.00, Feb 500.00, Mar 0, Apr 25 % × 400.04 = 100.01 (the sale on the buyout day is in term)
        assertThat(statements).extracting(s -> s.totals().partnerShare()).containsExactly(25_000L, 50_000L, 0L, 10_001L);
        // March: 2.5 × 750.00 = 1,875.00, a quote only
        assertThat(march.buyoutQuote()).isEqualTo(new Statement.BuyoutQuote(YearMonth.of(2026, 3), new BigDecimal("2.5"),
                3, 75_000, 187_500, false));
        // April: 2.5 × 850.01 = 2,125.025, half-up 2,125.03, due
        assertThat(april.buyoutQuote()).isEqualTo(new Statement.BuyoutQuote(YearMonth.of(2026, 4), new BigDecimal("2.5"),
                4, 85_001, 212_503, true));
        assertThat(april.lines())
                .extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                        Statement.StatementLine::reason)
                .containsExactly(tuple("ch_buyout_day", Classification.SHARED, null),
                        tuple("ch_after", Classification.EXCLUDED, "Outside the agreement term"),
                        tuple("re_after", Classification.EXCLUDED, "After the settlement period"));
    }

    @Test
    void buyoutQuoteIsPricedOnTheLastTwelveStatementsOnly() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, null, List.of(), null, "2", split(1, 25));
        List<LedgerLine> lines = new ArrayList<>();
        for (int m = 1; m <= 14; m++) {
            // month m: a sale of 40.00 × m, so the partner's share is 10.00 × m
            lines.add(sale("ch_" + m, 4_000L * m, LocalDate.of(2026, 1, 10).plusMonths(m - 1).atStartOfDay()
                    .toInstant(ZoneOffset.UTC), "course"));
        }

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 14, lines);
        Statement last = statements.get(13);

        // the last 12 months are 3..14: 10.00 × (3 + … + 14) = 10.00 × 102 = 1,020.00; × 2 = 2,040.00
        assertThat(last.recentPartnerShares()).hasSize(12);
        assertThat(last.recentPartnerShares().get(0)).extracting(Statement.MonthShare::period, Statement.MonthShare::partnerShare)
                .containsExactly(YearMonth.of(2026, 3), 3_000L);
        assertThat(last.buyoutQuote()).isEqualTo(new Statement.BuyoutQuote(YearMonth.of(2027, 2), new BigDecimal("2"),
                12, 102_000, 204_000, false));
    }

    @Test
    void disputeWithdrawalAndReinstatementNetToZeroAndThePartnerShareFollows() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        LedgerLine sale = sale("ch_1", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(sale,
                movement(sale, LineType.DISPUTE_WITHDRAWAL, "dp_1", -100_000, Instant.parse("2026-02-05T10:00:00Z")),
                movement(sale, LineType.DISPUTE_REINSTATEMENT, "dp_1:won", 100_000, Instant.parse("2026-03-12T10:00:00Z")));

        List<Statement> statements = monthly(agreement, YearMonth.of(2026, 1), 3, lines);
        Statement february = statements.get(1), march = statements.get(2);

        // February: 1,000.00 withdrawn: disputes 1,000.00, net -1,000.00, partner -250.00 (carried), expert -750.00
        assertThat(february.totals().disputes()).isEqualTo(100_000);
        assertThat(february.totals().netRevenue()).isEqualTo(-100_000);
        assertThat(february.totals().partnerShare()).isEqualTo(-25_000);
        assertThat(february.totals().expertShare()).isEqualTo(-75_000);
        assertThat(february.totals().carriedForward()).isEqualTo(-25_000);
        // March: the reinstatement reduces disputes by 1,000.00; partner +250.00 pays back what was carried
        assertThat(march.totals().disputes()).isEqualTo(-100_000);
        assertThat(march.totals().netRevenue()).isEqualTo(100_000);
        assertThat(march.totals().partnerShare()).isEqualTo(25_000);
        assertThat(march.totals().partnerPayable()).isZero();
        assertThat(march.totals().carriedForward()).isZero();
        assertThat(sum(statements, Statement.Totals::disputes)).isZero();
        assertThat(sum(statements, Statement.Totals::partnerShare)).isEqualTo(25_000);
    }

    @Test
    void disputeWithdrawnAndReinstatedInOneMonthChangesNothing() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        LedgerLine sale = sale("ch_1", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course");
        List<LedgerLine> lines = List.of(sale,
                movement(sale, LineType.DISPUTE_WITHDRAWAL, "dp_1", -100_000, Instant.parse("2026-01-12T10:00:00Z")),
                movement(sale, LineType.DISPUTE_REINSTATEMENT, "dp_1:won", 100_000, Instant.parse("2026-01-28T10:00:00Z")));

        Statement january = calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null, lines);

        // 1,000.00 sold, 1,000.00 withdrawn, 1,000.00 reinstated: disputes 0, partner 25 % × 1,000 = 250.00
        assertThat(january.lines()).hasSize(3);
        assertThat(january.totals().disputes()).isZero();
        assertThat(january.totals().netRevenue()).isEqualTo(100_000);
        assertThat(january.totals().partnerShare()).isEqualTo(25_000);
    }

    @Test
    void aLineInAnotherCurrencyIsHeldForReviewAndDoesNotChangeTheSplit() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        Instant at = Instant.parse("2026-01-12T10:00:00Z");
        LedgerLine euros = new LedgerLine("a", "ch_eur", "ch_eur", LineType.SALE, 50_000, "eur", at, at,
                at.plusSeconds(1), "course", "cus_eur", "evt_eur");

        Statement january = calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null,
                List.of(sale("ch_usd", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course"), euros));

        // only the 1,000.00 usd is shared: partner 250.00; the 500.00 eur waits for review, listed in euros
        // and kept out of the usd totals (50,000 euro cents are not 50,000 dollar cents)
        assertThat(january.totals().grossSales()).isEqualTo(100_000);
        assertThat(january.totals().partnerShare()).isEqualTo(25_000);
        assertThat(january.totals().pendingReview()).isZero();
        assertThat(january.lines()).filteredOn(line -> line.lineId().equals("ch_eur")).singleElement()
                .satisfies(line -> {
                    assertThat(line.classification()).isEqualTo(Classification.REVIEW);
                    assertThat(line.reason()).isEqualTo("currency: paid in EUR, not the agreement's USD, and Stripe gave no converted amount");
                    assertThat(line.amount()).isEqualTo(50_000);
                    assertThat(line.currency()).isEqualTo("eur");
                });
    }

    @Test
    void aLineInACurrencyNoOneKnowsIsHeldAndListedNeverAddedToTheAgreementsTotals() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        Instant at = Instant.parse("2026-01-12T10:00:00Z");
        Instant beforeTerm = Instant.parse("2025-12-30T10:00:00Z");
        List<LedgerLine> lines = List.of(
                sale("ch_usd", 100_000, Instant.parse("2026-01-10T10:00:00Z"), "course"),
                inCurrency("ch_zzz", "zzz", 50_000, at),
                inCurrency("ch_script", "<SCRIPT>", 70_000, at.plusSeconds(1)),
                inCurrency("ch_none", null, 30_000, at.plusSeconds(2)),
                inCurrency("ch_early", "zzz", 20_000, beforeTerm));

        Statement january = calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null, lines);

        assertThat(january.totals().grossSales()).isEqualTo(100_000);
        assertThat(january.totals().partnerShare()).isEqualTo(25_000);
        assertThat(january.totals().pendingReview()).isZero();
        assertThat(january.totals().excluded()).isZero();
        assertThat(january.lines())
                .extracting(Statement.StatementLine::lineId, Statement.StatementLine::currency,
                        Statement.StatementLine::classification, Statement.StatementLine::reason)
                .containsExactly(
                        tuple("ch_early", "zzz", Classification.EXCLUDED, "Outside the agreement term"),
                        tuple("ch_usd", "usd", Classification.SHARED, null),
                        tuple("ch_zzz", "zzz", Classification.REVIEW,
                                "currency: \"zzz\" is not a currency code; amounts add up only in the agreement's USD"),
                        tuple("ch_script", "<script>", Classification.REVIEW,
                                "currency: \"<SCRIPT>\" is not a currency code; amounts add up only in the agreement's USD"),
                        tuple("ch_none", null, Classification.REVIEW,
                                "currency: the payment names no currency; amounts add up only in the agreement's USD"));
    }

    @Test
    void aResolutionDoesNotShareALineInAnotherCurrency() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        LedgerLine euros = inCurrency("ch_eur", "eur", 50_000, Instant.parse("2026-01-12T10:00:00Z"));
        // made outside the review desk, which refuses it: the statement must not add euro cents to dollars either
        ReviewResolution shared = new ReviewResolution("a", "ch_eur", Classification.SHARED, null,
                Instant.parse("2026-02-10T10:00:00Z"), List.of(euros));
        Statement january = calculator.compute(agreement, YearMonth.of(2026, 1), closeOf(agreement, YearMonth.of(2026, 1)),
                null, List.of(euros), List.of(shared));

        Statement february = calculator.compute(agreement, YearMonth.of(2026, 2), closeOf(agreement, YearMonth.of(2026, 2)),
                january, List.of(euros), List.of(shared));

        assertThat(february.totals().grossSales()).isZero();
        assertThat(february.totals().partnerShare()).isZero();
        assertThat(february.lines()).singleElement().satisfies(line -> {
            assertThat(line.classification()).isEqualTo(Classification.REVIEW);
            assertThat(line.priorPeriod()).isTrue();
        });
    }

    @Test
    void salesThatAddUpBeyondALongAreRefusedNamingTheAgreementAndMonth() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        long half = Long.MAX_VALUE / 2 + 1;
        List<LedgerLine> lines = List.of(
                sale("ch_1", half, Instant.parse("2026-01-10T10:00:00Z"), "course"),
                sale("ch_2", half, Instant.parse("2026-01-11T10:00:00Z"), "course"));

        assertThatThrownBy(() -> calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null, lines))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("statement of agreement a for 2026-01 refused: its amounts add up beyond what minor units in a"
                        + " long can hold (long overflow)");
    }

    @Test
    void excludedLinesThatAddUpBeyondALongAreRefusedToo() {
        Agreement agreement = agreement(LocalDate.of(2026, 1, 1), null, split(1, 25));
        long half = Long.MAX_VALUE / 2 + 1;
        // before the term: excluded, listed and added to the excluded total
        List<LedgerLine> lines = List.of(
                sale("ch_1", half, Instant.parse("2025-12-30T10:00:00Z"), "course"),
                sale("ch_2", half, Instant.parse("2025-12-31T10:00:00Z"), "course"));

        assertThatThrownBy(() -> calculator.compute(agreement, YearMonth.of(2026, 1),
                closeOf(agreement, YearMonth.of(2026, 1)), null, lines))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageStartingWith("statement of agreement a for 2026-01 refused");
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

    private static Agreement capped(LocalDate start, Long cap, Agreement.SplitStep... split) {
        return agreement(start, null, cap, List.of(), null, null, split);
    }

    /** An agreement with issue 3's terms; the settlement period is the default 120 days. */
    private static Agreement agreement(LocalDate start, LocalDate end, Long cap, List<Agreement.Amendment> amendments,
                                       Agreement.Termination termination, String buyoutMultiple,
                                       Agreement.SplitStep... split) {
        return new Agreement("a", "Sarah x Acme", party("Sarah"), party("Acme"), "acct_1", "usd", ZoneOffset.UTC,
                start, end, List.of(split), null, cap, amendments, termination,
                buyoutMultiple == null ? null : new BigDecimal(buyoutMultiple), Agreement.DEFAULT_SETTLEMENT_DAYS);
    }

    /** A refund of {@code sale}, recorded one second after it happened. */
    private static LedgerLine refund(LedgerLine sale, String id, long amount, Instant at) {
        return movement(sale, LineType.REFUND, id, amount, at);
    }

    /** A refund or dispute movement of {@code sale}, recorded one second after it happened. */
    private static LedgerLine movement(LedgerLine sale, LineType type, String id, long amount, Instant at) {
        return new LedgerLine("a", id, sale.stripeId(), type, amount, sale.currency(), at, sale.saleOccurredAt(),
                at.plusSeconds(1), sale.category(), sale.customer(), "evt_" + id);
    }

    private static Agreement.Party party(String name) {
        return new Agreement.Party(name, List.of(name.toLowerCase(Locale.ROOT) + "@example.com"));
    }

    private static Agreement.SplitStep split(int year, int partnerPercent) {
        return new Agreement.SplitStep(year, BigDecimal.valueOf(partnerPercent));
    }

    /** A sale in {@code currency} as Stripe named it (any text, or none), recorded one second after it happened. */
    private static LedgerLine inCurrency(String id, String currency, long amount, Instant at) {
        return new LedgerLine("a", id, id, LineType.SALE, amount, currency, at, at, at.plusSeconds(1), "course",
                "cus_" + id, "evt_" + id);
    }

    /** A sale recorded one second after it happened. */
    private static LedgerLine sale(String id, long amount, Instant at, String category) {
        return new LedgerLine("a", id, id, LineType.SALE, amount, "usd", at, at, at.plusSeconds(1), category,
                "cus_" + id, "evt_" + id);
    }
}
