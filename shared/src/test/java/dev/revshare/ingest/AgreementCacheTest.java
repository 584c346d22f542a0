package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.store.AgreementStore;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How often the agreements are read: once a minute, and for unknown accounts at most once per recheck period. */
class AgreementCacheTest {
    private static final Instant START = Instant.parse("2026-10-14T09:30:00Z");

    private final CountingAgreements store = new CountingAgreements(new InMemoryStores().agreements());
    private final MovingClock clock = new MovingClock(START);
    private final AgreementCache cache = new AgreementCache(store, clock);

    @Test
    void aFloodOfDeliveriesFromAnAccountNoAgreementClaimsReadsTheAgreementsABoundedNumberOfTimes() {
        store.put(TestAgreements.sarahMindfulness(), START.minus(Duration.ofDays(30)));

        // 1,000 deliveries, 50 ms apart (50 seconds), from accounts no agreement claims
        for (int delivery = 0; delivery < 1_000; delivery++) {
            assertThat(cache.claiming("acct_1Stranger" + delivery % 7)).isEmpty();
            clock.advance(Duration.ofMillis(50));
        }

        long bound = Duration.ofSeconds(50).dividedBy(AgreementCache.MISS_RECHECK_AFTER) + 1;
        assertThat(store.reads).isBetween(1, (int) bound);
    }

    @Test
    void aPathNamingNoAgreementIsNotLookedUpOnEveryDelivery() {
        for (int delivery = 0; delivery < 1_000; delivery++) {
            assertThat(cache.withId("no-such-agreement")).isEmpty();
        }

        assertThat(store.reads).isEqualTo(1);
    }

    @Test
    void aNewlyAppliedAgreementClaimsItsAccountWithinTheRecheckPeriod() {
        assertThat(cache.claiming("acct_1SarahExample")).isEmpty();

        store.put(TestAgreements.sarahMindfulness(), START);
        clock.advance(AgreementCache.MISS_RECHECK_AFTER.plusMillis(1));

        assertThat(cache.claiming("acct_1SarahExample")).map(Agreement::id).contains("sarah-mindfulness");
        assertThat(store.reads).isEqualTo(2);
    }

    @Test
    void aKnownAccountIsReadOnceAMinute() {
        store.put(TestAgreements.sarahMindfulness(), START.minus(Duration.ofDays(30)));

        for (int second = 0; second <= 120; second++) {
            assertThat(cache.claiming("acct_1SarahExample")).isPresent();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(store.reads).isEqualTo(2); // at 0 s, and at 61 s once the first read is over a minute old
    }

    private static final class CountingAgreements implements AgreementStore {
        private final AgreementStore delegate;
        int reads;

        CountingAgreements(AgreementStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(Agreement agreement, Instant appliedAt) {
            delegate.put(agreement, appliedAt);
        }

        @Override
        public Optional<Agreement> find(String agreementId) {
            reads++;
            return delegate.find(agreementId);
        }

        @Override
        public List<Agreement> all() {
            reads++;
            return delegate.all();
        }

        @Override
        public Optional<Instant> firstAppliedAt(String agreementId) {
            return delegate.firstAppliedAt(agreementId);
        }
    }

    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
