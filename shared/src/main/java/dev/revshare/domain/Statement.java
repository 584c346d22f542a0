package dev.revshare.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * One agreement's statement for one calendar month. This record is the machine-readable statement:
 * the same JSON is stored, attached to the email and printed by the command line. Amounts are
 * integers in minor units of {@link #currency()}. How it is written as JSON (field names, rates as
 * plain decimal strings) is set in {@code dev.revshare.json.Json}, so that this package stays plain Java.
 *
 * @param isFinal             the last statement of the agreement's term and settlement period
 * @param supplementary       a statement after the final one, for lines recorded after it (a late refund, a
 *                            dispute): it settles what they change, as the final statement does
 * @param closedAt            the instant the statement was closed: it includes lines recorded up to then
 * @param buyoutQuote         what buying the partner out would cost, when the agreement has a buyout clause
 * @param recentPartnerShares the partner's share (and net revenue) of this and up to 11 earlier months,
 *                            oldest first: the trailing 12 months a buyout price is based on
 */
public record Statement(
        String agreementId,
        String agreementName,
        YearMonth period,
        String currency,
        boolean isFinal,
        boolean supplementary,
        Instant closedAt,
        Totals totals,
        List<YearSummary> years,
        List<StatementLine> lines,
        BuyoutQuote buyoutQuote,
        List<MonthShare> recentPartnerShares) {

    public Statement {
        years = List.copyOf(years);
        lines = List.copyOf(lines);
        recentPartnerShares = recentPartnerShares == null ? List.of() : List.copyOf(recentPartnerShares);
    }

    /** A statement of the agreement's term or settlement period (not a supplementary one). */
    public Statement(String agreementId, String agreementName, YearMonth period, String currency, boolean isFinal,
                     Instant closedAt, Totals totals, List<YearSummary> years, List<StatementLine> lines,
                     BuyoutQuote buyoutQuote, List<MonthShare> recentPartnerShares) {
        this(agreementId, agreementName, period, currency, isFinal, false, closedAt, totals, years, lines, buyoutQuote,
                recentPartnerShares);
    }

    /** The same statement with other lines (a stored header carries none). */
    public Statement withLines(List<StatementLine> otherLines) {
        return new Statement(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years,
                otherLines, buyoutQuote, recentPartnerShares);
    }

    /**
     * The statement's figures. {@code refunds} and {@code disputes} are positive amounts taken off gross
     * sales; {@code excluded} and {@code pendingReview} are listed but never change the split.
     *
     * @param partnerShare   the change in the partner's entitlement this month; negative when refunds take
     *                       back more than new sales earn
     * @param carriedIn      the negative balance brought from the previous statement (0 or less)
     * @param partnerPayable what the partner is owed now: the share plus the balance brought in, if positive;
     *                       on the final statement the whole balance, negative when the partner pays back
     * @param carriedForward the negative balance taken to the next statement (0 or less), offset against
     *                       the partner's next shares; 0 on the final statement, which settles it
     */
    public record Totals(
            long grossSales,
            long refunds,
            long disputes,
            long netRevenue,
            long partnerShare,
            long expertShare,
            long excluded,
            long pendingReview,
            long carriedIn,
            long partnerPayable,
            long carriedForward) {}

    /**
     * The partner's entitlement for one agreement year, after this statement.
     *
     * @param rate                   the partner's rate for sales made now in that year (lines carry their own)
     * @param cap                    the year's cap in minor units, or null
     * @param exactEntitlementToDate Σ rate × amount before rounding and cap, in minor units, carried from
     *                               statement to statement so rounding happens once
     */
    public record YearSummary(
            int agreementYear,
            BigDecimal rate,
            Long cap,
            long entitlementToDate,
            boolean capReached,
            BigDecimal exactEntitlementToDate) {}

    /** One ledger line as the statement counts it; {@code amount} is in minor units of {@code currency}. */
    public record StatementLine(
            String lineId,
            String stripeId,
            Instant time,
            LineType type,
            String category,
            Classification classification,
            String reason,
            long amount,
            String currency,
            BigDecimal rate,
            int agreementYear,
            boolean priorPeriod,
            String customer) {}

    /**
     * The buyout price: {@code multiple} × the partner's share over the trailing months up to
     * {@code asOf}, rounded half-up to the minor unit. {@code due} on the buyout month's statement.
     */
    public record BuyoutQuote(YearMonth asOf, BigDecimal multiple, int months, long trailingPartnerShare, long amount,
                              boolean due) {}

    /** One month's partner share and net revenue (for the buyout price and the email's chart). */
    public record MonthShare(YearMonth period, long partnerShare, long netRevenue) {

        public MonthShare(YearMonth period, long partnerShare) {
            this(period, partnerShare, 0);
        }
    }
}
