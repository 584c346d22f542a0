package dev.revshare.bench;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One agreement-month of made-up but plausible ledger lines, all recorded within one UTC month (so in
 * one ledger partition), and the statement totals they must add up to. Deterministic: the same
 * arguments always give the same lines.
 *
 * <p>The mix exercises every path of the calculator: sales and partial refunds (1 line in 20), shared
 * categories ({@code course}, {@code membership}), an excluded one ({@code affiliate}) and one held for
 * review ({@code tip}), as {@link StatementBench#AGREEMENT_YAML} declares them.
 */
final class SyntheticMonth {
    private final List<LedgerLine> lines;
    private final long grossSales;
    private final long refunds;
    private final long excluded;
    private final long pendingReview;
    private final long amountSum;

    private SyntheticMonth(List<LedgerLine> lines, long grossSales, long refunds, long excluded, long pendingReview,
                           long amountSum) {
        this.lines = lines;
        this.grossSales = grossSales;
        this.refunds = refunds;
        this.excluded = excluded;
        this.pendingReview = pendingReview;
        this.amountSum = amountSum;
    }

    /**
     * @param recordedFrom the first line's recording time; the others follow evenly over {@code span}
     */
    static SyntheticMonth generate(String agreementId, String currency, int count, Instant recordedFrom, Duration span) {
        List<LedgerLine> lines = new ArrayList<>(count);
        long spacingMillis = Math.max(1, span.toMillis() / Math.max(1, count));
        long grossSales = 0, refunds = 0, excluded = 0, pendingReview = 0, amountSum = 0;
        for (int i = 0; i < count; i++) {
            Instant recordedAt = recordedFrom.plusMillis(i * spacingMillis);
            Instant occurredAt = recordedAt.minusSeconds(2);
            String category = categoryOf(i);
            LedgerLine line;
            if (i % 20 == 19) {
                // a partial refund of the sale ten lines back (a sale, as i - 10 is not 19 mod 20)
                LedgerLine sale = lines.get(i - 10);
                long refunded = sale.amount() / 3;
                line = new LedgerLine(agreementId, sale.lineId() + ":refunds:1", sale.stripeId(),
                        LineType.REFUND, -refunded, currency, occurredAt, sale.saleOccurredAt(), recordedAt,
                        sale.category(), sale.customer(), "evt_" + agreementId + "_" + i);
                category = sale.category();
            } else {
                long amount = 500 + (i * 7_919L) % 49_500;
                line = new LedgerLine(agreementId, "pi_" + agreementId + "_" + i, "ch_" + agreementId + "_" + i,
                        LineType.SALE, amount, currency, occurredAt, occurredAt, recordedAt, category,
                        "cus_" + (i % 7_000), "evt_" + agreementId + "_" + i);
            }
            lines.add(line);
            amountSum += line.amount();
            switch (category) {
                case "course", "membership" -> {
                    if (line.type() == LineType.SALE) {
                        grossSales += line.amount();
                    } else {
                        refunds -= line.amount();
                    }
                }
                case "affiliate" -> excluded += line.amount();
                default -> pendingReview += line.amount();
            }
        }
        return new SyntheticMonth(List.copyOf(lines), grossSales, refunds, excluded, pendingReview, amountSum);
    }

    private static String categoryOf(int i) {
        int bucket = i % 20;
        if (bucket < 15) {
            return "course";
        }
        if (bucket < 17) {
            return "membership";
        }
        return bucket == 17 ? "affiliate" : "tip";
    }

    List<LedgerLine> lines() {
        return lines;
    }

    /** Σ amount over every line, whatever its classification. */
    long amountSum() {
        return amountSum;
    }

    long grossSales() {
        return grossSales;
    }

    long refunds() {
        return refunds;
    }

    long netRevenue() {
        return grossSales - refunds;
    }

    long excluded() {
        return excluded;
    }

    long pendingReview() {
        return pendingReview;
    }

    /** The partner's share of a first statement at a single rate: rate × net revenue, rounded half-up once. */
    long partnerShare(BigDecimal rate) {
        return rate.multiply(BigDecimal.valueOf(netRevenue())).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
