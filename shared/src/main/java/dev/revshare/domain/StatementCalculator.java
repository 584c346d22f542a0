package dev.revshare.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a month's statement from ledger lines, under the rules written in the README
 * ("How a statement is computed"). Pure: the same inputs always give the same statement.
 */
public final class StatementCalculator {

    static final String OUTSIDE_TERM = "Outside the agreement term";

    /**
     * Whether a statement for {@code period}, closed at {@code closedAt}, includes a line: it happened
     * by the month's end, was recorded by the close, and no earlier statement included it.
     */
    public static boolean includes(Agreement agreement, YearMonth period, Instant closedAt,
                                   Statement previous, LedgerLine line) {
        boolean byMonthEnd = line.occurredAt().isBefore(agreement.monthEndExclusive(period));
        boolean recordedByClose = !line.recordedAt().isAfter(closedAt);
        return byMonthEnd && recordedByClose && !includedBefore(agreement, previous, line);
    }

    private static boolean includedBefore(Agreement agreement, Statement previous, LedgerLine line) {
        if (previous == null) {
            return false;
        }
        YearMonth previousPeriod = YearMonth.parse(previous.period());
        return line.occurredAt().isBefore(agreement.monthEndExclusive(previousPeriod))
                && !line.recordedAt().isAfter(previous.closedAt());
    }

    /**
     * @param candidates lines that may belong to the statement (a superset is fine: the selection rule
     *                   is applied here)
     * @param previous   the agreement's statement for the month before, or null for its first
     */
    public Statement compute(Agreement agreement, YearMonth period, Instant closedAt,
                             Statement previous, Collection<LedgerLine> candidates) {
        Map<Integer, BigDecimal> exactByYear = new TreeMap<>();
        if (previous != null) {
            for (Statement.YearSummary year : previous.years()) {
                exactByYear.put(year.agreementYear(), new BigDecimal(year.exactEntitlementToDate()));
            }
        }
        long entitledBefore = entitlementTotal(exactByYear);

        List<LedgerLine> included = candidates.stream()
                .filter(line -> includes(agreement, period, closedAt, previous, line))
                .sorted(Comparator.comparing(LedgerLine::occurredAt).thenComparing(LedgerLine::lineId))
                .toList();

        long grossSales = 0, refunds = 0, excluded = 0, pendingReview = 0;
        List<Statement.StatementLine> lines = new ArrayList<>();
        Instant periodStart = agreement.monthStart(period);
        for (LedgerLine line : included) {
            int year = agreement.agreementYearOf(line.saleOccurredAt());
            BigDecimal rate = agreement.partnerRate(year);
            RevenueDefinition.Classified classified = classify(agreement, line);
            switch (classified.classification()) {
                case SHARED -> {
                    if (line.type() == LineType.SALE) {
                        grossSales += line.amount();
                    } else {
                        refunds -= line.amount();
                    }
                    exactByYear.merge(year, rate.multiply(BigDecimal.valueOf(line.amount())), BigDecimal::add);
                }
                case EXCLUDED -> excluded += line.amount();
                case REVIEW -> pendingReview += line.amount();
            }
            lines.add(new Statement.StatementLine(line.lineId(), line.stripeId(), line.occurredAt(), line.type(),
                    classified.category(), classified.classification(), classified.reason(), line.amount(),
                    rate.stripTrailingZeros().toPlainString(), year,
                    line.occurredAt().isBefore(periodStart), line.customer()));
        }

        long partnerShare = entitlementTotal(exactByYear) - entitledBefore;
        long netRevenue = grossSales - refunds;
        List<Statement.YearSummary> years = new ArrayList<>();
        exactByYear.forEach((year, exact) -> years.add(new Statement.YearSummary(year,
                agreement.partnerRate(year).stripTrailingZeros().toPlainString(), null,
                roundOnce(exact), false, exact.toPlainString())));
        Statement.Totals totals = new Statement.Totals(grossSales, refunds, 0, netRevenue, partnerShare,
                netRevenue - partnerShare, excluded, pendingReview, 0);
        return new Statement(agreement.id(), agreement.name(), period.toString(), agreement.currency(), false,
                closedAt, totals, years, lines);
    }

    private static RevenueDefinition.Classified classify(Agreement agreement, LedgerLine line) {
        if (line.type() == LineType.SALE && !agreement.inTerm(line.occurredAt())) {
            return new RevenueDefinition.Classified(line.category(), Classification.EXCLUDED, OUTSIDE_TERM);
        }
        if (line.type() != LineType.SALE && !agreement.inTerm(line.saleOccurredAt())) {
            return new RevenueDefinition.Classified(line.category(), Classification.EXCLUDED, OUTSIDE_TERM);
        }
        return agreement.revenue().classify(line.category());
    }

    /** The one rounding step: an agreement year's exact entitlement, half-up to the minor unit. */
    static long roundOnce(BigDecimal exact) {
        return exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static long entitlementTotal(Map<Integer, BigDecimal> exactByYear) {
        return exactByYear.values().stream().mapToLong(StatementCalculator::roundOnce).sum();
    }
}
