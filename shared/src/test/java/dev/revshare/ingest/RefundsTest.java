package dev.revshare.ingest;

import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.TestLedger;
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
 * Refunds from both kinds of Stripe events, charge.refunded (the charge's refunded total) and refund.*
 * (each refund by id), counted once whichever arrive, in whatever order; a failed refund gives the money
 * back to the books.
 */
class RefundsTest {
    private static final String SECRET = "whsec_refunds";
    private static final String ACCOUNT = "acct_1SarahExample";
    private static final Instant SOLD_AT = Instant.parse("2026-10-01T10:00:00Z");
    private static final Instant REFUNDED_AT = Instant.parse("2026-10-05T10:00:00Z");
    private static final Instant FAILED_AT = Instant.parse("2026-10-07T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-08T12:00:00Z");

    private InMemoryStores store;
    private StripeWebhook ingestion;

    @BeforeEach
    void freshTable() {
        store = new InMemoryStores();
        store.agreements().put(TestAgreements.sarahCourse(ACCOUNT), NOW.minus(Duration.ofDays(300)));
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aRefundSeenByIdAndInTheChargesTotalIsBookedOnceEitherWayRound() {
        deliver(sale());
        assertThat(deliver(refund("evt_r1", "refund.created", "re_1", 1_000, "succeeded", REFUNDED_AT)).outcome())
                .isEqualTo(Outcome.RECORDED);
        assertThat(deliver(chargeRefunded("evt_c1", 1_000, REFUNDED_AT)).outcome()).isEqualTo(Outcome.DUPLICATE);

        freshTable();
        deliver(sale());
        assertThat(deliver(chargeRefunded("evt_c1", 1_000, REFUNDED_AT)).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliver(refund("evt_r1", "refund.created", "re_1", 1_000, "succeeded", REFUNDED_AT)).outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(refundLines()).containsExactly(-1_000L);
    }

    @Test
    void severalRefundsByIdAddUpAndTheChargeTotalAgreesWithThem() {
        deliver(sale());
        deliver(refund("evt_r1", "refund.created", "re_1", 500, "succeeded", REFUNDED_AT));
        deliver(refund("evt_r2", "refund.created", "re_2", 300, "succeeded", REFUNDED_AT.plusSeconds(60)));
        assertThat(deliver(chargeRefunded("evt_c2", 800, REFUNDED_AT.plusSeconds(60))).outcome()).isEqualTo(Outcome.DUPLICATE);

        assertThat(refundLines()).containsExactlyInAnyOrder(-500L, -300L);
        assertThat(TestLedger.refundedTotal(store.bookings(), "sarah-course", "pi_1")).isEqualTo(800);
    }

    @Test
    void aFailedRefundGivesTheMoneyBackToTheBooks() {
        deliver(sale());
        deliver(refund("evt_r1", "refund.created", "re_1", 1_000, "pending", REFUNDED_AT));
        deliver(chargeRefunded("evt_c1", 1_000, REFUNDED_AT));

        BookingResult failed = deliver(refund("evt_r2", "refund.failed", "re_1", 1_000, "failed", FAILED_AT));

        assertThat(failed.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines()).filteredOn(l -> l.type() != LineType.SALE)
                .extracting(LedgerLine::type, LedgerLine::amount)
                .containsExactly(tuple(LineType.REFUND, -1_000L),
                        tuple(LineType.REFUND_REVERSAL, 1_000L));
        assertThat(TestLedger.refundedTotal(store.bookings(), "sarah-course", "pi_1")).isZero();
    }

    @Test
    void aRefundFailingLaterEndsAtNothingRefundedInEveryDeliveryOrder() {
        List<String> events = List.of(sale(),
                refund("evt_r1", "refund.created", "re_1", 1_000, "pending", REFUNDED_AT),
                chargeRefunded("evt_c1", 1_000, REFUNDED_AT),
                refund("evt_r2", "refund.failed", "re_1", 1_000, "failed", FAILED_AT));
        for (List<String> order : DeliveryOrders.all(events)) {
            freshTable();
            for (String event : order) {
                for (int delivery = 0; delivery < 5; delivery++) { // Stripe redelivers: the same event five times
                    assertThat(deliver(event).outcome().retry).isFalse();
                }
            }
            assertThat(lines().stream().filter(l -> l.type() != LineType.SALE).mapToLong(LedgerLine::amount).sum())
                    .as("refunds booked, in the order %s", order.stream().map(DeliveryOrders::type).toList()).isZero();
            assertThat(lines()).filteredOn(l -> l.type() == LineType.SALE).hasSize(1);
        }
    }

    @Test
    void aRefundBeforeItsSaleIsKeptAndBookedWithTheSaleAtTheSalesTerms() {
        BookingResult early = deliver(refund("evt_r1", "refund.created", "re_1", 1_000, "succeeded", REFUNDED_AT));

        assertThat(early.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(lines()).isEmpty();
        assertThat(deliver(sale()).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliver(sale()).outcome()).isEqualTo(Outcome.DUPLICATE);

        assertThat(lines()).filteredOn(l -> l.type() == LineType.REFUND).singleElement().satisfies(refund -> {
            assertThat(refund.amount()).isEqualTo(-1_000);
            assertThat(refund.saleOccurredAt()).isEqualTo(SOLD_AT);
            assertThat(refund.category()).isEqualTo("course");
            assertThat(refund.occurredAt()).isEqualTo(REFUNDED_AT);
        });
    }

    @Test
    void aRefundOfAPaymentWhoseSaleEventWasIgnoredIsBookedWithTheSale() {
        // authorised first, captured later: the first charge event books nothing, the refund still counts
        String authorised = sale().replace("\"captured\":true", "\"captured\":false").replace("evt_sale", "evt_auth");
        assertThat(deliver(authorised).outcome()).isEqualTo(Outcome.IGNORED);

        assertThat(deliver(chargeRefunded("evt_c1", 1_000, REFUNDED_AT)).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(deliver(sale()).outcome()).isEqualTo(Outcome.DUPLICATE);

        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount)
                .containsExactlyInAnyOrder(tuple(LineType.SALE, 29_700L), tuple(LineType.REFUND, -1_000L));
    }

    @Test
    void aChargeAuthorisedThenCapturedIsBookedFromItsCapture() {
        String authorised = sale().replace("\"captured\":true", "\"captured\":false").replace("evt_sale", "evt_auth");
        String captured = sale().replace("charge.succeeded", "charge.captured").replace("evt_sale", "evt_capture");

        assertThat(deliver(authorised).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(deliver(captured).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount).containsExactly(tuple(LineType.SALE, 29_700L));
    }

    private BookingResult deliver(String body) {
        return ingestion.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }

    private static String sale() {
        return SampleStripeEvents.chargeSucceeded("evt_sale", ACCOUNT, "ch_1", "pi_1", 29_700, "usd", SOLD_AT, "course", "cus_1");
    }

    private static String chargeRefunded(String eventId, long refundedTotal, Instant at) {
        return SampleStripeEvents.chargeRefunded(eventId, ACCOUNT, "ch_1", "pi_1", 29_700, refundedTotal, "usd", SOLD_AT, at,
                "course", "cus_1");
    }

    private static String refund(String eventId, String type, String refundId, long amount, String status, Instant at) {
        return SampleStripeEvents.refund(eventId, type, ACCOUNT, refundId, "ch_1", "pi_1", amount, "usd", status, at);
    }


    private List<LedgerLine> lines() {
        return store.ledger().recordedBetween("sarah-course", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    private List<Long> refundLines() {
        return lines().stream().filter(l -> l.type() != LineType.SALE).map(LedgerLine::amount).toList();
    }

}
