package dev.revshare.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * What the two parties agreed when they settled an objection to an issued statement: an amount added to the partner's
 * share (negative: taken off) on the first statement closed after {@code resolvedAt}. The issued statement never changes.
 *
 * @param id              the objection's id
 * @param objectedPeriod  the month of the statement objected to
 * @param partnerAdjustment minor units of the agreement's currency
 */
public record ShareAdjustment(String agreementId, String id, YearMonth objectedPeriod, long partnerAdjustment, String reason,
                              Instant resolvedAt) {
    public ShareAdjustment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(objectedPeriod, "objectedPeriod");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }
}
