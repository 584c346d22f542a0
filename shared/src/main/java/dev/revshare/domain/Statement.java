package dev.revshare.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One agreement's statement for one calendar month. This record is the machine-readable statement:
 * the same JSON is stored, attached to the email and printed by the command line. Amounts are
 * integers in minor units of {@link #currency()}.
 *
 * @param closedAt the instant the statement was closed: it includes lines recorded up to then
 */
public record Statement(
        String agreementId,
        String agreementName,
        String period,
        String currency,
        @JsonProperty("final") boolean isFinal,
        Instant closedAt,
        Totals totals,
        List<YearSummary> years,
        List<StatementLine> lines) {

    public Statement {
        years = List.copyOf(years);
        lines = List.copyOf(lines);
    }

    /**
     * The statement's figures. {@code refunds} and {@code disputes} are positive amounts taken off
     * gross sales; {@code excluded} and {@code pendingReview} are listed but never change the split.
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
            long carriedForward) {}

    /**
     * The partner's entitlement for one agreement year, after this statement.
     *
     * @param exactEntitlementToDate Σ rate × amount before rounding, in minor units (a decimal string),
     *                               carried from statement to statement so rounding happens once
     */
    public record YearSummary(
            int agreementYear,
            String rate,
            Long cap,
            long entitlementToDate,
            boolean capReached,
            String exactEntitlementToDate) {}

    /** One ledger line as the statement counts it. */
    public record StatementLine(
            String lineId,
            String stripeId,
            Instant time,
            LineType type,
            String category,
            Classification classification,
            String reason,
            long amount,
            String rate,
            int agreementYear,
            boolean priorPeriod,
            String customer) {}
}
