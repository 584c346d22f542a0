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
 * not know is looked for in the store at once, so a newly applied agreement claims its events straight
 * away; a changed one is seen within {@link #FRESH_FOR}.
 */
final class AgreementCache {
    static final Duration FRESH_FOR = Duration.ofMinutes(1);

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
        boolean fresh = readAt != null && !now.isAfter(readAt.plus(FRESH_FOR)) && !now.isBefore(readAt);
        if (fresh) {
            Optional<Agreement> found = agreements.stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        agreements = store.all();
        readAt = now;
        return agreements.stream().filter(wanted).findFirst();
    }
}
