package dev.revshare.stripe;

/** An event of a type revshare books lacks what booking it needs; it is kept for a person to inspect. */
public final class UnreadableEventException extends RuntimeException {
    public UnreadableEventException(String message) {
        super(message);
    }
}
