package dev.revshare.domain;

/** What the agreement does with a ledger line. Only shared lines change the split. */
public enum Classification {
    SHARED, EXCLUDED, REVIEW
}
