package dev.revshare.store;

/** The store could not be reached or refused the write for a transient reason: try again later. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
