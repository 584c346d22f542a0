package dev.revshare.ingest;

import dev.revshare.store.SetAsideEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What booking Stripe events needs of a store. The rules (exactly once, in any order) live in
 * {@link PaymentBook}; a store reads and writes as it is told and decides nothing.
 */
public interface BookingStore {

    /** The payment records any of these ids belong to, in key order (two when an event links two records). */
    List<PaymentRecord> payments(String agreementId, Collection<String> anyIds);

    /** The receipt of an event handled before. */
    Optional<EventReceipt> receipt(String eventId);

    /** Writes the booking all or nothing, under its conditions. */
    Written write(Booking booking);

    /** Keeps an event for a person (no agreement claims it); keeping it again is harmless. */
    void setAside(SetAsideEvent event);

    /** When the agreement's latest statement was closed: lines recorded up to then have been counted. */
    Optional<Instant> lastClosedAt(String agreementId);

    enum Written {
        WRITTEN,
        /** a condition failed: another delivery wrote first (or is writing now); nothing was written */
        CONFLICT
    }
}
