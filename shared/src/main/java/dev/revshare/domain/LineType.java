package dev.revshare.domain;

/** The kind of money movement a ledger line records; its sign follows from it. */
public enum LineType {
    /** A payment received: positive. */
    SALE,
    /** Money given back to the customer: negative. */
    REFUND
}
