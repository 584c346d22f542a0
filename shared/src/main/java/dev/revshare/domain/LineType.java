package dev.revshare.domain;

/** The kind of money movement a ledger line records; its sign follows from it. */
public enum LineType {
    /** A payment received: positive. */
    SALE(1),
    /**
     * A sale line taken back after a statement counted it, because a better description of the payment
     * (an invoice's lines and tax after a payment intent's lump sum) replaced it: negative, with the
     * better lines booked beside it.
     */
    SALE_REVERSAL(-1),
    /** Money given back to the customer: negative. */
    REFUND(-1),
    /** A refund that failed or was cancelled: the money comes back, positive. */
    REFUND_REVERSAL(1),
    /** Money the bank took back when the customer disputed a payment: negative. */
    DISPUTE_WITHDRAWAL(-1),
    /** Money returned after a dispute was won: positive. */
    DISPUTE_REINSTATEMENT(1),
    /**
     * Never a ledger line: on a statement, the adjustment the parties agreed when settling an objection to an earlier
     * statement; its amount (either sign) is added to the partner's share alone, and is not revenue.
     */
    ADJUSTMENT(0);

    /** The line that takes this one back: a sale's reversal, a refund's, a dispute's. */
    public LineType reversed() {
        return switch (this) {
            case SALE -> SALE_REVERSAL;
            case SALE_REVERSAL -> SALE;
            case REFUND -> REFUND_REVERSAL;
            case REFUND_REVERSAL -> REFUND;
            case DISPUTE_WITHDRAWAL -> DISPUTE_REINSTATEMENT;
            case DISPUTE_REINSTATEMENT -> DISPUTE_WITHDRAWAL;
            case ADJUSTMENT -> ADJUSTMENT;
        };
    }

    /** +1 when the line's amount is positive, -1 when negative (0: either). */
    public final int sign;

    LineType(int sign) {
        this.sign = sign;
    }
}
