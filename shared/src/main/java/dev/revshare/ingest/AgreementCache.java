package dev.revshare.ingest;

import dev.revshare.domain.Agreement;
import dev.revshare.store.AgreementStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The applied agreements, read once a minute rather than on every delivery. An agreement the cache does
 * not know is looked for in the store again, but at most once per {@link #MISS_RECHECK_AFTER}: a flood of
 * events from a Stripe account no agreement claims (or for a path naming no agreement) reads the
 * agreements a handful of times a minute, not once per delivery. So a newly applied agreement claims its
 * events within {@link #MISS_RECHECK_AFTER} of being applied (an event it missed is set aside as unclaimed,
 * and Stripe's resend of it is booked); a changed one is seen within {@link #FRESH_FOR}.
 */
final class AgreementCache {
    static final Duration FRESH_FOR = Duration.ofMinutes(1);
    static final Duration MISS_RECHECK_AFTER = Duration.ofSeconds(10);

    private final AgreementStore store;
    private final Clock clock;
    private List<Agreement> agreements;
    private Instant readAt;

    AgreementCache(AgreementStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Optional<Agreement> withId(String agreementId) {
        return find(a -> a.id().equals(agreementId));
    }

    /** The agreement whose Stripe account the event came from. */
    Optional<Agreement> claiming(String account) {
        return find(a -> a.stripeAccount() != null && a.stripeAccount().equals(account));
    }

    private synchronized Optional<Agreement> find(Predicate<Agreement> wanted) {
        Instant now = clock.instant();
        if (readAt == null || olderThan(FRESH_FOR, now)) {
            read(now);
            return agreements.stream().filter(wanted).findFirst();
        }
        Optional<Agreement> found = agreements.stream().filter(wanted).findFirst();
        if (found.isEmpty() && olderThan(MISS_RECHECK_AFTER, now)) {
            read(now);
            return agreements.stream().filter(wanted).findFirst();
        }
        return found;
    }

    private void read(Instant now) {
        agreements = store.all();
        readAt = now;
    }

    /** Also true when the clock went back: a read "in the future" is not trusted. */
    private boolean olderThan(Duration age, Instant now) {
        return now.isAfter(readAt.plus(age)) || now.isBefore(readAt);
    }
}
