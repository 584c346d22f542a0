package dev.revshare.domain;

import java.time.Instant;
import java.util.List;

/**
 * The two parties' decision on a payment held for review: its lines count as shared or excluded from the
 * first statement closed after {@code resolvedAt}; lines an earlier statement listed as held come back on
 * that statement as prior-period adjustments.
 *
 * @param saleId the sale's key (its payment intent or charge)
 * @param lines  the sale's lines recorded when it was resolved
 */
public record ReviewResolution(String agreementId, String saleId, Classification classification, String reason,
                               Instant resolvedAt, List<LedgerLine> lines) {

    public ReviewResolution {
        if (classification == Classification.REVIEW) {
            throw new IllegalArgumentException("a resolution settles a payment as shared or excluded");
        }
        lines = List.copyOf(lines);
    }
}
