package dev.revshare.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param reconciliation      the proof that the month was checked against Stripe before it was closed (or why it
 *                            was not); null on statements closed before revshare reconciled
 * @param payments            what the partner was paid against earlier statements and what is still owed, as recorded
 *                            when this one closed; null on statements closed before revshare recorded payouts
 * @param previousHash        the {@code hash} of the statement this one continues from (the agreement's statement of
 *                            the latest earlier month: its months in order, then its supplementary statements), so that
 *                            each agreement's statements form a chain; {@code ""} for the first one of the chain (the
 *                            agreement's first statement, or the first closed since statements carry a hash); null on
 *                            statements closed before they carried a hash
 * @param hash                SHA-256 (hex) of the statement's canonical JSON, which includes {@code previousHash}
 *                            (see {@code dev.revshare.json.StatementHash}); null before the statement is issued, and
 *                            on statements closed before they carried a hash
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
        List<MonthShare> recentPartnerShares,
        Reconciliation reconciliation,
        Payments payments,
        String previousHash,
        String hash) {

    public Statement {
        years = List.copyOf(years);
        lines = List.copyOf(lines);
        recentPartnerShares = recentPartnerShares == null ? List.of() : List.copyOf(recentPartnerShares);
    }

    /** A statement not (yet) carrying what was paid against the statements before it. */
    public Statement(String agreementId, String agreementName, YearMonth period, String currency, boolean isFinal,
                     boolean supplementary, Instant closedAt, Totals totals, List<YearSummary> years,
                     List<StatementLine> lines, BuyoutQuote buyoutQuote, List<MonthShare> recentPartnerShares,
                     Reconciliation reconciliation) {
        this(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years, lines, buyoutQuote,
                recentPartnerShares, reconciliation, null, null, null);
    }

    /** A statement not (yet) carrying the proof of its reconciliation. */
    public Statement(String agreementId, String agreementName, YearMonth period, String currency, boolean isFinal,
                     boolean supplementary, Instant closedAt, Totals totals, List<YearSummary> years,
                     List<StatementLine> lines, BuyoutQuote buyoutQuote, List<MonthShare> recentPartnerShares) {
        this(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years, lines, buyoutQuote,
                recentPartnerShares, null);
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
                otherLines, buyoutQuote, recentPartnerShares, reconciliation, payments, previousHash, hash);
    }

    /** The same statement carrying the proof of its month's reconciliation with Stripe. */
    public Statement withReconciliation(Reconciliation proof) {
        return new Statement(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years,
                lines, buyoutQuote, recentPartnerShares, proof, payments, previousHash, hash);
    }

    /** The same statement with its place in the agreement's chain and its own hash (both null: unhashed). */
    public Statement withHashes(String previous, String own) {
        return new Statement(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years,
                lines, buyoutQuote, recentPartnerShares, reconciliation, payments, previous, own);
    }

    /** The same statement carrying what was paid against the statements before it, as recorded when it closed. */
    public Statement withPayments(Payments paid) {
        return new Statement(agreementId, agreementName, period, currency, isFinal, supplementary, closedAt, totals, years,
                lines, buyoutQuote, recentPartnerShares, reconciliation, paid, previousHash, hash);
    }

    /**
     * What the partner was paid against earlier statements, and what they are still owed, as recorded when this
     * statement closed. This statement's own payable amount is not in it: it is owed from now on, and the next
     * statement says how much of it was paid.
     *
     * @param paidSincePrevious the payouts recorded as paid since the previous statement closed, in the order recorded
     * @param outstanding       earlier statements not paid in full, oldest first
     */
    public record Payments(List<PaymentMade> paidSincePrevious, List<StillOwed> outstanding) {
        public Payments {
            paidSincePrevious = paidSincePrevious == null ? List.of() : List.copyOf(paidSincePrevious);
            outstanding = outstanding == null ? List.of() : List.copyOf(outstanding);
        }

        /** What earlier statements still owe the partner, in all (minor units). */
        public long outstandingTotal() {
            return outstanding.stream().mapToLong(StillOwed::outstanding).reduce(0, Math::addExact);
        }

        /** What was paid since the previous statement, in all (minor units). */
        public long paidTotal() {
            return paidSincePrevious.stream().mapToLong(PaymentMade::amount).reduce(0, Math::addExact);
        }
    }

    /**
     * One payment to the partner.
     *
     * @param statementPeriod the month of the statement it paid
     * @param method          RECORDED (a bank transfer, with its reference) or STRIPE_TRANSFER (its {@code tr_…} id)
     */
    public record PaymentMade(YearMonth statementPeriod, long amount, Payout.Method method, String reference, Instant paidAt) {}

    /** An earlier statement not paid in full: its payable amount, what was paid of it, and what is still owed. */
    public record StillOwed(YearMonth statementPeriod, long payable, long paid, long outstanding) {}

    /**
     * What checking the month against Stripe's own records found, just before the statement was closed: both parties
     * can see that the books it was computed from are complete, or why that was not proven.
     *
     * @param status                  how the check ended
     * @param reconciledAt            when Stripe was read (or the attempt was made); null when nothing was attempted
     * @param movements               Stripe's money movements of the month that count as revenue (sales, refunds, dispute
     *                                withdrawals and reinstatements)
     * @param amounts                 their sum, signed, in minor units by currency (lower-case ISO code): what moved in
     *                                the Stripe account, normally the statement's currency alone
     * @param bookedByReconciliation  movements Stripe had and the ledger lacked, booked by the check (as their
     *                                webhooks would have booked them)
     * @param differences             what still differs, at most {@link #DIFFERENCES_LISTED} of them
     * @param differenceCount         how many differ in all
     * @param problem                 why the month is not reconciled (NOT_RECONCILED, FAILED), in a sentence
     */
    public record Reconciliation(Status status, Instant reconciledAt, int movements, Map<String, Long> amounts,
                                 int bookedByReconciliation, List<Difference> differences, int differenceCount,
                                 String problem) {
        /** A stored statement stays far below DynamoDB's item size whatever a month's differences. */
        public static final int DIFFERENCES_LISTED = 100;

        public Reconciliation {
            amounts = amounts == null ? Map.of() : new TreeMap<>(amounts);
            differences = differences == null ? List.of() : List.copyOf(differences);
            if (differences.size() > DIFFERENCES_LISTED) {
                differences = differences.subList(0, DIFFERENCES_LISTED);
            }
            differenceCount = Math.max(differenceCount, differences.size());
        }

        /** A month that was not checked against Stripe, and why. */
        public static Reconciliation notReconciled(Instant at, String why) {
            return new Reconciliation(Status.NOT_RECONCILED, at, 0, Map.of(), 0, List.of(), 0, why);
        }

        /** Differences counted but not listed (over {@link #DIFFERENCES_LISTED}). */
        public int differencesNotListed() {
            return differenceCount - differences.size();
        }

        /** The books were compared with Stripe's (with or without differences). */
        public boolean compared() {
            return status == Status.RECONCILED || status == Status.DIFFERENCES;
        }

        public enum Status {
            /** every Stripe movement of the month is in the ledger with its amount, and the ledger has nothing Stripe lacks */
            RECONCILED,
            /** compared; some movements differ: listed, kept for the two parties to settle, the ledger left as it was */
            DIFFERENCES,
            /** not checked: no Stripe API key for the agreement, or closed without a check */
            NOT_RECONCILED,
            /** Stripe did not answer in full (or the store failed): nothing was booked by the check */
            FAILED
        }

        /**
         * One movement on which the ledger and Stripe disagree, as the check left it (kept for a person, never changed).
         *
         * @param stripeId     the Stripe object to look up: a charge, refund or dispute
         * @param kind         MISSING_IN_LEDGER, MISSING_IN_STRIPE or AMOUNT_DIFFERS
         * @param movement     sale, refund, dispute withdrawal...
         * @param stripeAmount signed, minor units of {@code stripeCurrency}; null when Stripe has none
         * @param ledgerAmount signed, minor units of {@code ledgerCurrency}; null when the ledger has none
         */
        public record Difference(String stripeId, Kind kind, String movement, Instant at, Long stripeAmount,
                                 String stripeCurrency, Long ledgerAmount, String ledgerCurrency, String detail) {}

        public enum Kind { MISSING_IN_LEDGER, MISSING_IN_STRIPE, AMOUNT_DIFFERS }
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
