package dev.revshare.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a statement's arithmetic from the statement alone, as an accountant would with its attachment: that its
 * totals are the sums of its lines, that the partner's share follows from its lines' rates and its agreement years'
 * exact entitlements and caps (rounded once), and that the balance, the payable amount, the recent months and the
 * buyout quote follow from them, by the rules in the README ("How a statement is computed"). It cannot tell whether
 * the lines are the right ones: that takes the ledger ({@code revshare statements verify --agreement}).
 */
public final class StatementArithmetic {
    private StatementArithmetic() {}

    /**
     * One figure that does not follow from the rest.
     *
     * @param field    where it is in the statement document ("totals.grossSales", "lines[ch_1].amount")
     * @param stated   what the statement says
     * @param expected what its lines and terms give
     * @param rule     how {@code expected} was worked out
     */
    public record Mismatch(String field, String stated, String expected, String rule) {}

    /** Every figure that does not follow from the statement's lines and terms; none when its arithmetic holds. */
    public static List<Mismatch> check(Statement statement) {
        List<Mismatch> found = new ArrayList<>();
        try {
            checkExactly(statement, found);
        } catch (ArithmeticException e) {
            found.add(new Mismatch("lines", statement.lines().size() + " lines", "sums within range",
                    "its amounts add up beyond what minor units in a long can hold (" + e.getMessage() + ")"));
        }
        return found;
    }

    private static void checkExactly(Statement s, List<Mismatch> found) {
        String currency = s.currency();
        Statement.Totals totals = s.totals();
        long gross = 0, refunds = 0, disputes = 0, excluded = 0, pending = 0;
        // a settled objection's adjustment moves the partner's share alone, never the revenue or an agreement year
        long adjusted = 0;
        Map<Integer, BigDecimal> sharedByYear = new TreeMap<>();
        Set<Integer> years = new HashSet<>();
        s.years().forEach(y -> years.add(y.agreementYear()));
        for (Statement.StatementLine line : s.lines()) {
            String at = "lines[" + line.lineId() + "]";
            if (line.amount() != 0 && Long.signum(line.amount()) != line.type().sign) {
                found.add(new Mismatch(at + ".amount", Money.format(line.amount(), currency),
                        line.type().sign > 0 ? "a positive amount" : "a negative amount",
                        "a " + line.type().name().toLowerCase(Locale.ROOT) + " line's sign follows from its type"));
            }
            boolean sameCurrency = currency.equalsIgnoreCase(line.currency());
            if (line.type() == LineType.ADJUSTMENT) {
                adjusted = Math.addExact(adjusted, line.amount());
                continue;
            }
            switch (line.classification()) {
                case SHARED -> {
                    if (!sameCurrency) {
                        found.add(new Mismatch(at + ".currency", String.valueOf(line.currency()), currency,
                                "a shared line is in the statement's currency (another is held for review)"));
                        continue;
                    }
                    switch (line.type()) {
                        case SALE, SALE_REVERSAL -> gross = Math.addExact(gross, line.amount());
                        case REFUND, REFUND_REVERSAL -> refunds = Math.subtractExact(refunds, line.amount());
                        case DISPUTE_WITHDRAWAL, DISPUTE_REINSTATEMENT -> disputes = Math.subtractExact(disputes, line.amount());
                    }
                    sharedByYear.merge(line.agreementYear(), line.rate().multiply(BigDecimal.valueOf(line.amount())),
                            BigDecimal::add);
                    if (!years.contains(line.agreementYear())) {
                        found.add(new Mismatch(at + ".agreementYear", String.valueOf(line.agreementYear()),
                                "one of the statement's agreement years " + new TreeSet<>(years),
                                "a shared line counts towards its sale's agreement year, which the statement lists"));
                    }
                }
                case EXCLUDED -> excluded = sameCurrency ? Math.addExact(excluded, line.amount()) : excluded;
                case REVIEW -> pending = sameCurrency ? Math.addExact(pending, line.amount()) : pending;
            }
        }
        money(found, "totals.grossSales", totals.grossSales(), gross, currency,
                "the shared sales and sale reversals added up");
        money(found, "totals.refunds", totals.refunds(), refunds, currency,
                "the shared refunds and refund reversals added up, taken off");
        money(found, "totals.disputes", totals.disputes(), disputes, currency,
                "the shared dispute withdrawals and reinstatements added up, taken off");
        long net = Math.subtractExact(Math.subtractExact(gross, refunds), disputes);
        money(found, "totals.netRevenue", totals.netRevenue(), net, currency, "gross sales - refunds - disputes");
        money(found, "totals.excluded", totals.excluded(), excluded, currency,
                "the excluded lines in " + currency.toUpperCase(Locale.ROOT) + " added up");
        money(found, "totals.pendingReview", totals.pendingReview(), pending, currency,
                "the lines held for review in " + currency.toUpperCase(Locale.ROOT) + " added up");

        // rule 4: each year's entitlement is its exact figure, rounded once and capped; this month's lines moved the
        // exact figure by sum(rate x amount), so the year stood at exact - that before this statement
        long entitledAfter = 0, entitledBefore = 0;
        for (Statement.YearSummary year : s.years()) {
            String at = "years[" + year.agreementYear() + "]";
            long rounded = roundOnce(year.exactEntitlementToDate());
            long capped = year.cap() == null ? rounded : Math.min(year.cap(), rounded);
            money(found, at + ".entitlementToDate", year.entitlementToDate(), capped, currency,
                    "the exact entitlement " + year.exactEntitlementToDate().toPlainString() + " rounded half-up once"
                            + (year.cap() == null ? "" : ", at most the cap " + Money.format(year.cap(), currency)));
            boolean reached = year.cap() != null && rounded >= year.cap();
            if (year.capReached() != reached) {
                found.add(new Mismatch(at + ".capReached", String.valueOf(year.capReached()), String.valueOf(reached),
                        "the cap is reached when the rounded exact entitlement is at least the cap"));
            }
            BigDecimal moved = sharedByYear.getOrDefault(year.agreementYear(), BigDecimal.ZERO);
            long roundedBefore = roundOnce(year.exactEntitlementToDate().subtract(moved));
            entitledAfter = Math.addExact(entitledAfter, capped);
            entitledBefore = Math.addExact(entitledBefore, year.cap() == null ? roundedBefore : Math.min(year.cap(), roundedBefore));
        }
        long share = Math.addExact(Math.subtractExact(entitledAfter, entitledBefore), adjusted);
        money(found, "totals.partnerShare", totals.partnerShare(), share, currency,
                "each agreement year's exact entitlement, rounded once and capped, after this statement's lines "
                        + "less before them" + (adjusted == 0 ? "" : ", plus the settled objections' adjustments"));
        money(found, "totals.expertShare", totals.expertShare(), Math.subtractExact(totals.netRevenue(), totals.partnerShare()),
                currency, "net revenue - the partner's share");

        // rule 5: the balance brought in, what is payable now and what is carried on
        if (totals.carriedIn() > 0) {
            found.add(new Mismatch("totals.carriedIn", Money.format(totals.carriedIn(), currency), "zero or less",
                    "only a negative balance is carried to the next statement"));
        }
        long balance = Math.addExact(totals.partnerShare(), totals.carriedIn());
        boolean settles = s.isFinal() || s.supplementary();
        money(found, "totals.partnerPayable", totals.partnerPayable(), settles ? balance : Math.max(0, balance), currency,
                settles ? "the partner's share + the balance brought in, settled on this " + (s.isFinal() ? "final" : "supplementary")
                        + " statement (negative: due from the partner)"
                        : "the partner's share + the balance brought in, if positive");
        money(found, "totals.carriedForward", totals.carriedForward(), settles ? 0 : Math.min(0, balance), currency,
                settles ? "nothing is carried on after a " + (s.isFinal() ? "final" : "supplementary") + " statement"
                        : "the partner's share + the balance brought in, if negative");

        // the trailing months a buyout is priced on end with this one
        List<Statement.MonthShare> recent = s.recentPartnerShares();
        Statement.MonthShare last = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        Statement.MonthShare own = new Statement.MonthShare(s.period(), totals.partnerShare(), totals.netRevenue());
        if (!own.equals(last)) {
            found.add(new Mismatch("recentPartnerShares", last == null ? "none" : last.period() + ": partner "
                    + Money.format(last.partnerShare(), currency) + ", net revenue " + Money.format(last.netRevenue(), currency),
                    s.period() + ": partner " + Money.format(own.partnerShare(), currency) + ", net revenue "
                            + Money.format(own.netRevenue(), currency),
                    "the recent months end with this statement's own"));
        }
        if (recent.size() > 12) {
            found.add(new Mismatch("recentPartnerShares", recent.size() + " months", "at most 12",
                    "a buyout is priced on the trailing 12 months"));
        }
        for (int i = 1; i < recent.size(); i++) {
            if (!recent.get(i).period().isAfter(recent.get(i - 1).period())) {
                found.add(new Mismatch("recentPartnerShares[" + i + "].period", recent.get(i).period().toString(),
                        "a month after " + recent.get(i - 1).period(), "the recent months are in order, oldest first"));
            }
        }
        Statement.BuyoutQuote quote = s.buyoutQuote();
        if (quote != null) {
            if (s.supplementary()) {
                found.add(new Mismatch("buyoutQuote", Money.format(quote.amount(), currency), "none",
                        "a supplementary statement has no buyout quote: the agreement has ended"));
            }
            long trailing = recent.stream().mapToLong(Statement.MonthShare::partnerShare).reduce(0, Math::addExact);
            money(found, "buyoutQuote.trailingPartnerShare", quote.trailingPartnerShare(), trailing, currency,
                    "the partner's shares of the recent months added up");
            if (quote.months() != recent.size()) {
                found.add(new Mismatch("buyoutQuote.months", String.valueOf(quote.months()), String.valueOf(recent.size()),
                        "the number of recent months"));
            }
            long amount = quote.multiple().multiply(BigDecimal.valueOf(quote.trailingPartnerShare()))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact();
            money(found, "buyoutQuote.amount", quote.amount(), amount, currency,
                    quote.multiple().toPlainString() + " x the trailing partner share, rounded half-up");
            if (!s.period().equals(quote.asOf())) {
                found.add(new Mismatch("buyoutQuote.asOf", String.valueOf(quote.asOf()), s.period().toString(),
                        "the quote is as of the statement's month"));
            }
        }
    }

    private static void money(List<Mismatch> found, String field, long stated, long expected, String currency, String rule) {
        if (stated != expected) {
            found.add(new Mismatch(field, Money.format(stated, currency), Money.format(expected, currency), rule));
        }
    }

    /** The statements' one rounding step (as {@link StatementCalculator} rounds). */
    private static long roundOnce(BigDecimal exact) {
        return StatementCalculator.roundOnce(exact);
    }
}
