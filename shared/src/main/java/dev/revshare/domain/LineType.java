package dev.revshare.domain;

/** The kind of money movement a ledger line records; its sign follows from it. */
public enum LineType {
    /** A payment received: positive. */
    SALE(1),
    /** Money given back to the customer: negative. */
    REFUND(-1),
    /** A refund that failed or was cancelled: the money comes back, positive. */
    REFUND_REVERSAL(1),
    /** Money the bank took back when the customer disputed a payment: negative. */
    DISPUTE_WITHDRAWAL(-1),
    /** Money returned after a dispute was won: positive. */
    DISPUTE_REINSTATEMENT(1);

    /** +1 when the line's amount is positive, -1 when negative. */
    public final int sign;

    LineType(int sign) {
        this.sign = sign;
    }
}
