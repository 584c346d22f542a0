package dev.revshare.reconcile;

import dev.revshare.stripe.BalanceTransaction;

/**
 * The money movements revshare books, as Stripe's balance transactions show them. Every other balance
 * transaction (payouts, Stripe's fees, transfers, top-ups, reserves...) is not revenue of the agreement: it is
 * counted by type and left alone.
 */
public enum MovementKind {
    /** {@code charge} or {@code payment}: a payment received; booked from charge.succeeded */
    SALE("sale", "charge.succeeded", 1),
    /** {@code refund} or {@code payment_refund}: money given back; booked from refund.created */
    REFUND("refund", "refund.created", -1),
    /** {@code refund_failure}: a refund that failed, its money back in the account; booked from refund.failed */
    REFUND_FAILURE("refund failure", "refund.failed", 1),
    /** reporting category {@code dispute}: the bank took the payment back; booked from charge.dispute.funds_withdrawn */
    DISPUTE_WITHDRAWAL("dispute withdrawal", "charge.dispute.funds_withdrawn", -1),
    /** reporting category {@code dispute_reversal}: a dispute won; booked from charge.dispute.funds_reinstated */
    DISPUTE_REINSTATEMENT("dispute reinstatement", "charge.dispute.funds_reinstated", 1);

    /** For people: "sale", "refund failure"... */
    public final String label;
    /** The Stripe event a webhook delivers for it, which reconciliation books when the delivery never came. */
    public final String eventType;
    /** The sign of the movement's amount: what the account gained (+1) or lost (-1). */
    public final int sign;

    MovementKind(String label, String eventType, int sign) {
        this.label = label;
        this.eventType = eventType;
        this.sign = sign;
    }

    /** The kind of a balance transaction, or null when it is not revenue revshare books. */
    public static MovementKind of(BalanceTransaction transaction) {
        String category = transaction.reportingCategory();
        boolean dispute = "dispute".equals(category) || "dispute_reversal".equals(category)
                || transaction.source() != null && "dispute".equals(transaction.source().path("object").asText());
        if (dispute) {
            if ("dispute".equals(category)) {
                return DISPUTE_WITHDRAWAL;
            }
            if ("dispute_reversal".equals(category)) {
                return DISPUTE_REINSTATEMENT;
            }
            return transaction.amount() < 0 ? DISPUTE_WITHDRAWAL : DISPUTE_REINSTATEMENT;
        }
        return switch (transaction.type()) {
            case "charge", "payment" -> SALE;
            case "refund", "payment_refund" -> REFUND;
            case "refund_failure" -> REFUND_FAILURE;
            default -> null;
        };
    }
}
