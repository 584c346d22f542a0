package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.LedgerLine;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import dev.revshare.time.SettableClock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A sale booked while a statement closes: the statement reads the ledger without it, so the line must be
 * recorded after that close, in the next statement, never at a time the closed one claims to cover.
 */
class StatementRaceTest {
    private static final String SECRET = "whsec_race";
    private static final String ACCOUNT = "acct_1SarahExample";

    @Test
    void aSaleWrittenJustAfterAStatementBeganClosingIsRecordedAfterThatClose() {
        InMemoryStores stores = new InMemoryStores();
        stores.agreements().put(TestAgreements.sarahCourse(ACCOUNT), Instant.parse("2026-01-01T00:00:00Z"));
        SettableClock clock = new SettableClock(Instant.parse("2026-11-03T05:59:59.900Z"));
        Instant closedAt = Instant.parse("2026-11-03T06:00:00Z");
        BookingStore racing = new BookingStore() {
            private boolean raced;

            @Override
            public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
                return stores.bookings().payments(agreementId, anyIds);
            }

            @Override
            public Optional<EventReceipt> receipt(String eventId) {
                return stores.bookings().receipt(eventId);
            }

            @Override
            public Written write(Booking booking) {
                if (!raced && !booking.add().isEmpty()) {
                    raced = true; // the statement run begins closing and reads the ledger, then the clock moves on
                    stores.statements().beginClosing("sarah-course", closedAt);
                    clock.set(closedAt.plusMillis(5));
                }
                return stores.bookings().write(booking);
            }

            @Override
            public void setAside(SetAsideEvent event) {
                stores.bookings().setAside(event);
            }

            @Override
            public Optional<Instant> lastClosedAt(String agreementId) {
                return stores.bookings().lastClosedAt(agreementId);
            }
        };
        StripeWebhook webhook = StripeWebhook.of(stores.agreements(), racing, () -> SECRET, StripeLookup.NONE, clock);
        String sale = SampleStripeEvents.chargeSucceeded("evt_late", ACCOUNT, "ch_1", "pi_1", 29_700, "usd",
                Instant.parse("2026-10-31T23:59:00Z"), "course", "cus_1");

        BookingResult result = webhook.receive("/stripe", SampleStripeEvents.signatureHeader(sale, SECRET, clock.instant()), sale);

        assertThat(result.outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        assertThat(stores.ledger().recordedBetween("sarah-course", Instant.EPOCH, clock.instant()))
                .singleElement().extracting(LedgerLine::recordedAt).satisfies(at -> assertThat(at).isAfter(closedAt));
    }
}
