package dev.revshare.testing;

import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventReceipt;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StoreUnavailableException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A booking store that fails some writes, as a real one does: the write is refused before anything is
 * written, or it is written and the answer is lost on the way back (the caller sees a failure either
 * way). Which writes fail follows from a seeded {@link Random}; after {@code budget} failures it fails no
 * more, so that every delivery eventually gets through.
 */
public final class FlakyBookingStore implements BookingStore {
    private final BookingStore store;
    private final Random random;
    private final double failureRate;
    // atomic: concurrent handler instances share one flaky store in the race tests
    private final AtomicInteger budget;
    private final AtomicInteger failedBefore = new AtomicInteger();
    private final AtomicInteger failedAfter = new AtomicInteger();

    public FlakyBookingStore(BookingStore store, Random random, double failureRate, int budget) {
        this.store = store;
        this.random = random;
        this.failureRate = failureRate;
        this.budget = new AtomicInteger(budget);
    }

    @Override
    public Written write(Booking booking) {
        if (random.nextDouble() >= failureRate || budget.getAndUpdate(left -> Math.max(0, left - 1)) == 0) {
            return store.write(booking);
        }
        if (random.nextBoolean()) {
            failedBefore.incrementAndGet();
            throw injected("the write was refused, nothing written");
        }
        Written written = store.write(booking);
        failedAfter.incrementAndGet();
        throw injected("the write was " + written + " but its answer was lost");
    }

    /** Without a stack trace: the router logs each failure with its trace, and thousands of them only slow the tests. */
    private static StoreUnavailableException injected(String what) {
        StoreUnavailableException failure = new StoreUnavailableException("injected failure: " + what, null);
        failure.setStackTrace(new StackTraceElement[0]);
        return failure;
    }

    @Override
    public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
        return store.payments(agreementId, anyIds);
    }

    @Override
    public Optional<EventReceipt> receipt(String eventId) {
        return store.receipt(eventId);
    }

    @Override
    public void setAside(SetAsideEvent event) {
        store.setAside(event);
    }

    @Override
    public Optional<Instant> lastClosedAt(String agreementId) {
        return store.lastClosedAt(agreementId);
    }

    /** How many writes failed so far (refused, and written with the answer lost). */
    public int failures() {
        return failedBefore.get() + failedAfter.get();
    }

    @Override
    public String toString() {
        return failedBefore.get() + " write(s) refused, " + failedAfter.get() + " written with the answer lost";
    }
}
