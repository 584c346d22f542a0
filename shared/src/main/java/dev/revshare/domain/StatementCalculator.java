package dev.revshare.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a month's statement from ledger lines, under the rules written in the README
 * ("How a statement is computed"). Pure: the same inputs always give the same statement.
 */
public final class StatementCalculator {

    static final String OUTSIDE_TERM = "Outside the agreement term";
    static final String AFTER_SETTLEMENT = "After the settlement period";
    /** A buyout is priced on the partner's share over this many months. */
    static final int BUYOUT_TRAILING_MONTHS = 12;

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
        return line.occurredAt().isBefore(agreement.monthEndExclusive(previous.period()))
                && !line.recordedAt().isAfter(previous.closedAt());
    }

    /**
     * @param candidates lines that may belong to the statement (a superset is fine: the selection rule
     *                   is applied here)
     * @param previous   the agreement's statement for the month before, or null for its first
     */
    public Statement compute(Agreement agreement, YearMonth period, Instant closedAt,
                             Statement previous, Collection<LedgerLine> candidates) {
        return compute(agreement, period, closedAt, previous, candidates, List.of());
    }

    /**
     * @param resolutions the agreement's review resolutions (any: those made after {@code closedAt} are left
     *                    for a later statement)
     * @throws ArithmeticException naming the agreement and month when a sum does not fit in a long of minor
     *                             units: a statement is refused rather than wrong
     */
    public Statement compute(Agreement agreement, YearMonth period, Instant closedAt, Statement previous,
                             Collection<LedgerLine> candidates, Collection<ReviewResolution> resolutions) {
        return compute(agreement, period, closedAt, previous, candidates, resolutions, List.of());
    }

    /**
     * @param adjustments the agreement's settled objections (any: those settled after the previous statement closed and
     *                    by {@code closedAt} are on this one, each a line that changes the partner's share alone)
     */
    public Statement compute(Agreement agreement, YearMonth period, Instant closedAt, Statement previous,
                             Collection<LedgerLine> candidates, Collection<ReviewResolution> resolutions,
                             Collection<ShareAdjustment> adjustments) {
        try {
            return computeExactly(agreement, period, closedAt, previous, candidates, resolutions, adjustments);
        } catch (ArithmeticException e) {
            ArithmeticException named = new ArithmeticException("statement of agreement " + agreement.id() + " for "
                    + period + " refused: its amounts add up beyond what minor units in a long can hold ("
                    + e.getMessage() + ")");
            named.initCause(e);
            throw named;
        }
    }

    /** Every sum of amounts is exact: {@link Math#addExact} throws where plain {@code +} would wrap around. */
    private Statement computeExactly(Agreement agreement, YearMonth period, Instant closedAt, Statement previous,
                                     Collection<LedgerLine> candidates, Collection<ReviewResolution> resolutions,
                                     Collection<ShareAdjustment> adjustments) {
        Map<Integer, BigDecimal> exactByYear = new TreeMap<>();
        if (previous != null) {
            for (Statement.YearSummary year : previous.years()) {
                exactByYear.put(year.agreementYear(), year.exactEntitlementToDate());
            }
        }
        long entitledBefore = entitlementTotal(agreement, exactByYear);
        Map<String, ReviewResolution> resolved = new java.util.HashMap<>();
        for (ReviewResolution resolution : resolutions) {
            if (!resolution.resolvedAt().isAfter(closedAt)) {
                resolved.put(resolution.saleId(), resolution);
            }
        }

        Instant periodStart = agreement.monthStart(period);
        YearMonth finalMonth = agreement.finalMonth();
        // after the final statement, a statement is supplementary: it lists the late lines of the agreement's sales;
        // sales made outside the term are not the agreement's, and nothing is left for them to adjust
        boolean supplementary = finalMonth != null && period.isAfter(finalMonth);
        List<Counted> counted = new ArrayList<>();
        candidates.stream()
                .filter(line -> includes(agreement, period, closedAt, previous, line))
                .filter(line -> !supplementary || agreement.inTerm(line.saleOccurredAt()))
                .sorted(Comparator.comparing(LedgerLine::occurredAt).thenComparing(LedgerLine::lineId))
                .forEach(line -> counted.add(new Counted(line, line.lineId(), line.occurredAt().isBefore(periodStart),
                        classify(agreement, line, resolved))));
        // lines an earlier statement held for review come back, resolved, as prior-period adjustments
        resolutions.stream()
                .filter(r -> !r.resolvedAt().isAfter(closedAt) && (previous == null || r.resolvedAt().isAfter(previous.closedAt())))
                .sorted(Comparator.comparing(ReviewResolution::saleId))
                .forEach(resolution -> resolution.lines().stream()
                        .filter(line -> includedBefore(agreement, previous, line))
                        .filter(line -> classify(agreement, line, Map.of()).classification() == Classification.REVIEW)
                        .sorted(Comparator.comparing(LedgerLine::occurredAt).thenComparing(LedgerLine::lineId))
                        // a line in another currency stays held: its amount is not in the agreement's currency
                        .forEach(line -> counted.add(new Counted(line, line.lineId() + ":resolved", true,
                                sameCurrency(agreement, line) ? resolvedAs(resolution, line)
                                        : classify(agreement, line, Map.of())))));

        long grossSales = 0, refunds = 0, disputes = 0, excluded = 0, pendingReview = 0;
        List<Statement.StatementLine> lines = new ArrayList<>();
        for (Counted each : counted) {
            LedgerLine line = each.line();
            LocalDate saleDay = agreement.dayOf(line.saleOccurredAt());
            int year = agreement.agreementYearOf(saleDay);
            BigDecimal rate = agreement.partnerRate(saleDay);
            RevenueDefinition.Classified classified = each.classified();
            switch (classified.classification()) {
                // classify() never shares a line in another currency (or in none): it holds it for review
                case SHARED -> {
                    switch (line.type()) {
                        case SALE, SALE_REVERSAL -> grossSales = Math.addExact(grossSales, line.amount());
                        case REFUND, REFUND_REVERSAL -> refunds = Math.subtractExact(refunds, line.amount());
                        case DISPUTE_WITHDRAWAL, DISPUTE_REINSTATEMENT -> disputes = Math.subtractExact(disputes, line.amount());
                    }
                    exactByYear.merge(year, rate.multiply(BigDecimal.valueOf(line.amount())), BigDecimal::add);
                }
                // totals are in the agreement's currency; a line in another one is listed, not added
                case EXCLUDED -> excluded = sameCurrency(agreement, line) ? Math.addExact(excluded, line.amount()) : excluded;
                case REVIEW -> pendingReview = sameCurrency(agreement, line) ? Math.addExact(pendingReview, line.amount()) : pendingReview;
            }
            lines.add(new Statement.StatementLine(each.lineId(), line.stripeId(), line.occurredAt(), line.type(),
                    classified.category(), classified.classification(), classified.reason(), line.amount(),
                    line.currency() == null ? null : line.currency().toLowerCase(Locale.ROOT), plain(rate), year,
                    each.priorPeriod(), line.customer()));
        }

        // what the parties agreed when settling an objection: the partner's share alone changes, never the revenue
        long adjusted = 0;
        for (ShareAdjustment adjustment : adjustments.stream()
                .filter(a -> !a.resolvedAt().isAfter(closedAt) && (previous == null || a.resolvedAt().isAfter(previous.closedAt())))
                .sorted(Comparator.comparing(ShareAdjustment::resolvedAt).thenComparing(ShareAdjustment::id)).toList()) {
            adjusted = Math.addExact(adjusted, adjustment.partnerAdjustment());
            lines.add(new Statement.StatementLine("objection:" + adjustment.id(), null, adjustment.resolvedAt(), LineType.ADJUSTMENT,
                    null, Classification.SHARED, "Objection to the statement for " + adjustment.objectedPeriod() + " settled: "
                    + adjustment.reason(), adjustment.partnerAdjustment(), agreement.currency(), BigDecimal.ONE,
                    agreement.agreementYearOf(adjustment.objectedPeriod().atEndOfMonth()), true, null));
        }
        long partnerShare = Math.addExact(Math.subtractExact(entitlementTotal(agreement, exactByYear), entitledBefore), adjusted);
        long netRevenue = Math.subtractExact(Math.subtractExact(grossSales, refunds), disputes);
        long carriedIn = previous == null ? 0 : previous.totals().carriedForward();
        long balance = Math.addExact(partnerShare, carriedIn);
        boolean isFinal = period.equals(finalMonth);
        // a negative balance is carried to the next statement; the final one settles it (the partner pays it back), and
        // so does a supplementary one: no statement is due after it
        boolean settles = isFinal || supplementary;
        long partnerPayable = settles ? balance : Math.max(0, balance);
        long carriedForward = settles ? 0 : Math.min(0, balance);
        Statement.Totals totals = new Statement.Totals(grossSales, refunds, disputes, netRevenue, partnerShare,
                Math.subtractExact(netRevenue, partnerShare), excluded, pendingReview, carriedIn, partnerPayable, carriedForward);

        List<Statement.MonthShare> recent = new ArrayList<>(previous == null ? List.of() : previous.recentPartnerShares());
        recent.add(new Statement.MonthShare(period, partnerShare, netRevenue));
        if (recent.size() > BUYOUT_TRAILING_MONTHS) {
            recent = new ArrayList<>(recent.subList(recent.size() - BUYOUT_TRAILING_MONTHS, recent.size()));
        }
        // a supplementary statement shows the terms of the final month; nothing is left to buy out
        return new Statement(agreement.id(), agreement.name(), period, agreement.currency(), isFinal, supplementary,
                closedAt, totals, years(agreement, supplementary ? finalMonth : period, exactByYear), lines,
                supplementary ? null : buyoutQuote(agreement, period, recent), recent);
    }

    /** A line on the statement, as it is counted there. */
    private record Counted(LedgerLine line, String lineId, boolean priorPeriod, RevenueDefinition.Classified classified) {}

    /**
     * How the agreement classifies a line (README, "How a statement is computed"); a line held for review
     * whose payment the parties resolved takes their resolution.
     */
    public static RevenueDefinition.Classified classify(Agreement agreement, LedgerLine line,
                                                        Map<String, ReviewResolution> resolved) {
        if (!agreement.inTerm(line.saleOccurredAt())) {
            return new RevenueDefinition.Classified(line.category(), Classification.EXCLUDED, OUTSIDE_TERM);
        }
        LocalDate settlementEnd = agreement.settlementEnd();
        if (line.type() != LineType.SALE && line.type() != LineType.SALE_REVERSAL && settlementEnd != null && agreement.dayOf(line.occurredAt()).isAfter(settlementEnd)) {
            return new RevenueDefinition.Classified(line.category(), Classification.EXCLUDED, AFTER_SETTLEMENT);
        }
        RevenueDefinition.Classified byRules = !sameCurrency(agreement, line)
                ? new RevenueDefinition.Classified(line.category(), Classification.REVIEW, notInCurrency(agreement, line))
                : agreement.revenueOn(agreement.dayOf(line.saleOccurredAt())).classify(line.category());
        ReviewResolution resolution = resolved.get(line.saleId());
        if (byRules.classification() == Classification.REVIEW && resolution != null && sameCurrency(agreement, line)) {
            return resolvedAs(resolution, line);
        }
        return byRules;
    }

    /** Why a line in another currency is held. The code comes from Stripe: it may be missing or no currency at all. */
    private static String notInCurrency(Agreement agreement, LedgerLine line) {
        String agreements = agreement.currency().toUpperCase(Locale.ROOT);
        if (line.currency() == null || line.currency().isBlank()) {
            return "currency: the payment names no currency; amounts add up only in the agreement's " + agreements;
        }
        if (!Money.isKnownCurrency(line.currency())) {
            return "currency: \"" + line.currency() + "\" is not a currency code; amounts add up only in the agreement's "
                    + agreements;
        }
        return "currency: paid in " + line.currency().toUpperCase(Locale.ROOT) + ", not the agreement's " + agreements
                + ", and Stripe gave no converted amount";
    }

    private static RevenueDefinition.Classified resolvedAs(ReviewResolution resolution, LedgerLine line) {
        String why = resolution.reason() == null || resolution.reason().isBlank() ? "" : ": " + resolution.reason();
        return new RevenueDefinition.Classified(line.category(), resolution.classification(),
                (resolution.classification() == Classification.SHARED ? "Resolved as shared" : "Resolved as excluded") + why);
    }

    private static List<Statement.YearSummary> years(Agreement agreement, YearMonth period,
                                                     Map<Integer, BigDecimal> exactByYear) {
        List<Statement.YearSummary> years = new ArrayList<>();
        LocalDate periodEnd = period.atEndOfMonth();
        exactByYear.forEach((year, exact) -> {
            Long cap = agreement.capFor(year);
            long rounded = roundOnce(exact);
            LocalDate yearEnd = agreement.agreementYearStart(year + 1).minusDays(1);
            LocalDate rateDay = periodEnd.isBefore(yearEnd) ? periodEnd : yearEnd;
            years.add(new Statement.YearSummary(year, plain(agreement.partnerRate(rateDay)), cap,
                    cap == null ? rounded : Math.min(cap, rounded), cap != null && rounded >= cap, exact));
        });
        return years;
    }

    private static Statement.BuyoutQuote buyoutQuote(Agreement agreement, YearMonth period, List<Statement.MonthShare> recent) {
        if (agreement.buyoutMultiple() == null) {
            return null;
        }
        long trailing = recent.stream().mapToLong(Statement.MonthShare::partnerShare).reduce(0, Math::addExact);
        long amount = agreement.buyoutMultiple().multiply(BigDecimal.valueOf(trailing))
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
        boolean due = agreement.boughtOut() && period.equals(YearMonth.from(agreement.lastDay()));
        return new Statement.BuyoutQuote(period, plain(agreement.buyoutMultiple()), recent.size(), trailing,
                amount, due);
    }

    private static boolean sameCurrency(Agreement agreement, LedgerLine line) {
        return agreement.currency().equalsIgnoreCase(line.currency());
    }

    /** The one rounding step: an agreement year's exact entitlement, half-up to the minor unit. */
    static long roundOnce(BigDecimal exact) {
        return exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Rule 4: min(cap, Σ rate × amount) per agreement year, rounded once; summed over the years. */
    private static long entitlementTotal(Agreement agreement, Map<Integer, BigDecimal> exactByYear) {
        long total = 0;
        for (Map.Entry<Integer, BigDecimal> year : exactByYear.entrySet()) {
            long rounded = roundOnce(year.getValue());
            Long cap = agreement.capFor(year.getKey());
            total = Math.addExact(total, cap == null ? rounded : Math.min(cap, rounded));
        }
        return total;
    }

    /** A rate or multiple as people write it: "0.25", "2.5" (no trailing zeros). */
    private static BigDecimal plain(BigDecimal value) {
        return value.stripTrailingZeros();
    }
}
