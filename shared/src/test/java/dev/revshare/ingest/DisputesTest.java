package dev.revshare.ingest;

import dev.revshare.stripe.StripeLookup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.DeliveryOrders;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Disputes: the money the bank takes back and, when the dispute is won, gives back, each booked once by
 * its balance transaction, whichever dispute events carry it and in whatever order they come, even
 * before the disputed payment itself.
 */
class DisputesTest {
    private static final String SECRET = "whsec_disputes";
    private static final String ACCOUNT = "acct_1SarahExample";
    private static final Instant SOLD_AT = Instant.parse("2026-09-10T10:00:00Z");
    private static final Instant DISPUTED_AT = Instant.parse("2026-10-02T08:00:00Z");
    private static final Instant WON_AT = Instant.parse("2026-10-20T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-21T12:00:00Z");

    private InMemoryStores store;
    private StripeWebhook ingestion;

    @BeforeEach
    void freshTable() {
        store = new InMemoryStores();
        store.agreements().put(TestAgreements.sarahCourse(ACCOUNT), NOW.minus(Duration.ofDays(300)));
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void lostDisputeBooksTheWithdrawalOnceAtTheSalesTermsAndTheCloseAddsNothing() {
        assertThat(deliver(sale()).outcome()).isEqualTo(Outcome.RECORDED);

        assertThat(deliver(dispute("evt_d1", "charge.dispute.created", "needs_response", false, false, DISPUTED_AT)).outcome())
                .isEqualTo(Outcome.IGNORED); // no money moved yet
        assertThat(deliver(dispute("evt_d2", "charge.dispute.funds_withdrawn", "needs_response", true, false, DISPUTED_AT))
                .outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliver(dispute("evt_d3", "charge.dispute.closed", "lost", true, false, WON_AT)).outcome())
                .isEqualTo(Outcome.DUPLICATE);

        List<LedgerLine> lines = lines();
        assertThat(lines).extracting(LedgerLine::type, LedgerLine::amount)
                .containsExactlyInAnyOrder(tuple(LineType.SALE, 29_700L),
                        tuple(LineType.DISPUTE_WITHDRAWAL, -29_700L));
        LedgerLine withdrawal = lines.stream().filter(l -> l.type() == LineType.DISPUTE_WITHDRAWAL).findFirst().orElseThrow();
        assertThat(withdrawal.saleOccurredAt()).isEqualTo(SOLD_AT); // the sale's rate and agreement year apply
        assertThat(withdrawal.category()).isEqualTo("course");
        assertThat(withdrawal.stripeId()).isEqualTo("dp_1");
    }

    @Test
    void wonDisputeCountsOnceInEveryOrderOfItsEventsEvenBeforeItsPayment() {
        List<String> events = List.of(sale(),
                dispute("evt_d2", "charge.dispute.funds_withdrawn", "under_review", true, false, DISPUTED_AT),
                dispute("evt_d3", "charge.dispute.funds_reinstated", "won", true, true, WON_AT),
                dispute("evt_d4", "charge.dispute.closed", "won", true, true, WON_AT));
        for (List<String> order : DeliveryOrders.all(events)) {
            freshTable();
            for (String event : order) {
                for (int delivery = 0; delivery < 5; delivery++) { // Stripe redelivers: the same event five times
                    assertThat(deliver(event).outcome().retry).isFalse();
                }
            }
            assertThat(lines()).as("delivered in the order %s", order.stream().map(DeliveryOrders::type).toList())
                    .extracting(LedgerLine::type, LedgerLine::amount)
                    .containsExactlyInAnyOrder(tuple(LineType.SALE, 29_700L),
                            tuple(LineType.DISPUTE_WITHDRAWAL, -29_700L),
                            tuple(LineType.DISPUTE_REINSTATEMENT, 29_700L));
            assertThat(store.ledger().waiting("sarah-course")).isEmpty();
        }
    }

    @Test
    void disputeBeforeItsPaymentIsKeptAndBookedWhenThePaymentArrives() {
        BookingResult early = deliver(dispute("evt_d2", "charge.dispute.funds_withdrawn", "needs_response", true, false,
                DISPUTED_AT));

        assertThat(early.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(lines()).isEmpty();
        assertThat(deliver(sale()).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines()).extracting(LedgerLine::type).containsExactlyInAnyOrder(LineType.SALE, LineType.DISPUTE_WITHDRAWAL);
    }

    @Test
    void aDisputeWaitingForItsPaymentIsListedForAPersonOnceADayHasPassedAndNoLongerWhenThePaymentArrives() {
        deliver(dispute("evt_d2", "charge.dispute.funds_withdrawn", "needs_response", true, false, DISPUTED_AT));

        assertThat(store.ledger().waiting("sarah-course")).singleElement().satisfies(waiting -> {
            assertThat(waiting.paymentKey()).isEqualTo("pi_1");
            assertThat(waiting.overdue(NOW.plus(Duration.ofHours(23)))).isFalse();
            assertThat(waiting.overdue(NOW.plus(Duration.ofHours(25)))).isTrue();
        });
        deliver(sale());
        assertThat(store.ledger().waiting("sarah-course")).isEmpty();
    }

    private BookingResult deliver(String body) {
        return ingestion.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }

    private static String sale() {
        return SampleStripeEvents.chargeSucceeded("evt_sale", ACCOUNT, "ch_1", "pi_1", 29_700, "usd", SOLD_AT, "course", "cus_1");
    }

    private static String dispute(String eventId, String type, String status, boolean withdrawn, boolean reinstated,
                                  Instant at) {
        return SampleStripeEvents.dispute(eventId, type, ACCOUNT, "dp_1", "ch_1", "pi_1", 29_700, "usd", at, status,
                withdrawn, reinstated);
    }


    private List<LedgerLine> lines() {
        return store.ledger().recordedBetween("sarah-course", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

}
