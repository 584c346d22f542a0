package dev.revshare.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One money movement of an agreement, as recorded from Stripe. Amounts are signed integers in minor
 * units of the agreement currency: sales and dispute reinstatements positive, refunds and dispute
 * withdrawals negative.
 *
 * @param lineId         unique within the agreement: the money movement's own id, never the event's
 * @param stripeId       the Stripe object a person can look up (charge, refund)
 * @param occurredAt     when the money moved, per Stripe
 * @param saleOccurredAt when the sale this line belongs to happened (the line's own time for a sale);
 *                       its agreement year and rate apply
 * @param recordedAt     when revshare recorded the line; decides which statement first includes it
 * @param category       revenue category from the payment's metadata, or null
 * @param customer       masked customer reference, never a full name or email
 * @param saleId         the key of the sale the line belongs to (a sale line's own sale key): a review
 *                       resolution applies to all lines of its sale
 */
public record LedgerLine(
        String agreementId,
        String lineId,
        String stripeId,
        LineType type,
        long amount,
        String currency,
        Instant occurredAt,
        Instant saleOccurredAt,
        Instant recordedAt,
        String category,
        String customer,
        String eventId,
        String saleId) {

    /** A line that names no sale is its own sale (a sale line). */
    public LedgerLine(String agreementId, String lineId, String stripeId, LineType type, long amount, String currency,
                      Instant occurredAt, Instant saleOccurredAt, Instant recordedAt, String category, String customer,
                      String eventId) {
        this(agreementId, lineId, stripeId, type, amount, currency, occurredAt, saleOccurredAt, recordedAt, category,
                customer, eventId, lineId);
    }

    public LedgerLine {
        Objects.requireNonNull(saleId, "saleId");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(saleOccurredAt, "saleOccurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (type == LineType.ADJUSTMENT) {
            throw new IllegalArgumentException("line " + lineId + ": an adjustment is agreed by the parties, never booked from Stripe");
        }
        if (amount != 0 && Long.signum(amount) != type.sign) {
            throw new IllegalArgumentException(type + " line " + lineId + " has the wrong sign: " + amount);
        }
    }
}
