package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.json.Json;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FlakyBookingStore;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.StripeObjects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Deliveries of one payment racing each other in several handler instances over one store, as concurrent
 * Lambda invocations do: each race is decided by the store's conditions and a fresh read, never bounced
 * back to Stripe as a failure; the sale is booked once, a dispute's withdrawal once, and every receipt
 * says what its own delivery answered.
 */
class ConcurrentDeliveriesTest {
    private static final String SECRET = "whsec_concurrent";
    private static final String ACCOUNT = "acct_1SalesCoach";
    private static final Agreement AGREEMENT = AgreementFile.parse(SalesTest.AGREEMENT, "sales-coach.yaml");
    private static final Instant SOLD_AT = Instant.parse("2026-09-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T12:00:00Z");
    private static final int HANDLERS = 8;
    /** Every wait is bounded: a delivery that hangs fails the test instead of blocking the build. */
    private static final long WAIT_SECONDS = 30;

    /** The stores a race runs over. */
    private record Stores(AgreementStore agreements, BookingStore bookings, LedgerStore ledger) {
        /** In memory, with a store's latency between a read and the write it decides: stale reads, as DynamoDB has them. */
        static Stores inMemory() {
            InMemoryStores stores = new InMemoryStores();
            return new Stores(stores.agreements(), new ReadLatency(stores.bookings()), stores.ledger()).withAgreement();
        }

        static Stores dynamoDbLocal() {
            DynamoDbStores stores = LocalDynamoDb.newStore();
            return new Stores(stores.agreements(), stores.bookings(), stores.ledger()).withAgreement();
        }

        private Stores withAgreement() {
            agreements.put(AGREEMENT, NOW.minus(Duration.ofDays(300)));
            return this;
        }

        /** Handler instances as concurrent Lambda invocations hold them: each its own, over the one store. */
        List<StripeWebhook> handlers() {
            return IntStream.range(0, HANDLERS).mapToObj(i -> StripeWebhook.of(agreements, bookings, () -> SECRET,
                    StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC))).toList();
        }

        List<LedgerLine> lines() {
            return ledger.recordedBetween(AGREEMENT.id(), NOW.minusSeconds(1), NOW.plusSeconds(1));
        }
    }

    /**
     * The in-memory store answers in microseconds, so a delivery's read and its write would hardly ever have
     * another delivery's write between them; up to half a millisecond after each read, they do.
     */
    private record ReadLatency(BookingStore store) implements BookingStore {
        @Override
        public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
            List<PaymentRecord> read = store.payments(agreementId, anyIds);
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(500_000));
            return read;
        }

        @Override
        public Optional<EventReceipt> receipt(String eventId) {
            return store.receipt(eventId);
        }

        @Override
        public Written write(Booking booking) {
            return store.write(booking);
        }

        @Override
        public void setAside(SetAsideEvent event) {
            store.setAside(event);
        }

        @Override
        public Optional<Instant> lastClosedAt(String agreementId) {
            return store.lastClosedAt(agreementId);
        }
    }

    /** One delivery and what it was answered. */
    private record Answer(String eventId, BookingResult result) {}

    /** How many deliveries were in a handler at once, at most: proof that they raced. */
    private static final class Overlap {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        Answer deliver(StripeWebhook handler, String body) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                return new Answer(eventId(body), ConcurrentDeliveriesTest.deliver(handler, body));
            } finally {
                now.decrementAndGet();
            }
        }
    }

    @Test
    void eachPaymentsSaleEventsDeliveredTwiceAtOnceBookOneSaleAndNoDeliveryIsAskedToRetry() throws Exception {
        saleEventsRace(Stores.inMemory(), 50);
    }

    @Test
    void onDynamoDbLocalTheSameRaceEndsTheSameWay() throws Exception {
        saleEventsRace(Stores.dynamoDbLocal(), 20);
    }

    @Test
    void aDisputeWithdrawalDeliveredTwiceAtOnceIsBookedOnceByTheDeliveryItsReceiptNames() throws Exception {
        AtomicInteger races = new AtomicInteger();
        for (int round = 0; round < 50; round++) {
            disputeRace(Stores.inMemory(), round, races);
        }
        assertThat(races.get()).as("rounds whose two deliveries were in the handlers at once").isPositive();
    }

    @Test
    void onDynamoDbLocalTheDisputeRaceEndsTheSameWay() throws Exception {
        AtomicInteger races = new AtomicInteger();
        for (int round = 0; round < 10; round++) {
            disputeRace(Stores.dynamoDbLocal(), round, races);
        }
        assertThat(races.get()).as("rounds whose two deliveries were in the handlers at once").isPositive();
    }

    @Test
    void everyMoneyMovementOfManyPaymentsRacingWhileTheStoreFailsIsBookedExactlyOnce() throws Exception {
        movementsRace(Stores.inMemory(), 40);
    }

    @Test
    void onDynamoDbLocalTheMovementsRaceEndsTheSameWay() throws Exception {
        movementsRace(Stores.dynamoDbLocal(), 12);
    }

    // ---------------------------------------------------------------- the races

    /**
     * Each payment's three sale events, each delivered twice: the six deliveries of a payment start together
     * (a barrier), spread over the handler instances, on a pool of {@link #HANDLERS} threads, so that one
     * payment's deliveries race each other and the next payment's.
     */
    private static void saleEventsRace(Stores stores, int payments) throws Exception {
        List<StripeWebhook> handlers = stores.handlers();
        Overlap overlap = new Overlap();
        List<Callable<Answer>> deliveries = new ArrayList<>();
        for (int p = 0; p < payments; p++) {
            CyclicBarrier together = new CyclicBarrier(6);
            for (String body : saleEvents(p)) {
                for (int copy = 0; copy < 2; copy++) {
                    StripeWebhook handler = handlers.get(deliveries.size() % HANDLERS);
                    deliveries.add(() -> {
                        together.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        return overlap.deliver(handler, body);
                    });
                }
            }
        }

        List<Answer> answers = runOnPool(deliveries, HANDLERS);

        assertThat(overlap.most.get()).as("deliveries in handlers at once").isGreaterThan(1);
        assertThat(answers).hasSize(payments * 6).allSatisfy(answer ->
                assertThat(answer.result().outcome()).as("%s: %s", answer.eventId(), answer.result().message())
                        .isIn(Outcome.RECORDED, Outcome.DUPLICATE));
        assertThat(stores.lines()).extracting(LedgerLine::saleId, LedgerLine::lineId, LedgerLine::type, LedgerLine::amount,
                        LedgerLine::category)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, payments)
                        .mapToObj(p -> tuple(paymentIntent(p), paymentIntent(p), LineType.SALE, amount(p), "course")).toList());
        assertReceiptsTellWhatTheirDeliveriesDid(stores.bookings(), answers);
    }

    /**
     * Every event of each payment, each delivered twice, all ten starting together (a barrier) on different
     * handler instances: the sale's three events; a partial refund told by both refund.created and
     * charge.refunded, or (every third payment) a dispute's creation and its funds_withdrawn. One store write in
     * five fails (refused, or written with the answer lost); whatever was answered "deliver again" is delivered
     * again, concurrently, as Stripe would, until nothing is. Then each payment has exactly one sale, one refund
     * or one withdrawal, and the ledger's total is the payments' exact total.
     */
    private static void movementsRace(Stores stores, int payments) throws Exception {
        FlakyBookingStore flaky = new FlakyBookingStore(stores.bookings(), new Random(payments), 0.2, payments * 5);
        List<StripeWebhook> handlers = new Stores(stores.agreements(), flaky, stores.ledger()).handlers();
        Overlap overlap = new Overlap();
        Map<String, String> bodies = new HashMap<>();
        List<Callable<Answer>> deliveries = new ArrayList<>();
        for (int p = 0; p < payments; p++) {
            List<String> events = movements(p);
            CyclicBarrier together = new CyclicBarrier(events.size() * 2);
            for (String body : events) {
                bodies.put(eventId(body), body);
                for (int copy = 0; copy < 2; copy++) {
                    StripeWebhook handler = handlers.get(deliveries.size() % HANDLERS);
                    deliveries.add(() -> {
                        together.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        return overlap.deliver(handler, body);
                    });
                }
            }
        }

        List<Answer> answers = runOnPool(deliveries, MOVEMENTS_PER_PAYMENT * 2);
        int redelivered = 0;
        for (int round = 1; answers.stream().anyMatch(answer -> answer.result().outcome().retry); round++) {
            assertThat(round).as("rounds of redelivery (each failure is budgeted: they end)").isLessThan(50);
            List<Callable<Answer>> again = new ArrayList<>();
            List<Answer> settled = new ArrayList<>();
            for (Answer answer : answers) {
                if (!answer.result().outcome().retry) {
                    settled.add(answer);
                    continue;
                }
                String body = bodies.get(answer.eventId());
                StripeWebhook handler = handlers.get(again.size() % HANDLERS);
                again.add(() -> overlap.deliver(handler, body));
            }
            redelivered += again.size();
            settled.addAll(runOnPool(again, HANDLERS));
            answers = settled;
        }

        assertThat(overlap.most.get()).as("deliveries in handlers at once").isGreaterThan(1);
        assertThat(flaky.failures()).as("store failures injected").isPositive();
        assertThat(redelivered).as("deliveries answered 'deliver again' and delivered again").isPositive();
        assertThat(answers).hasSize(payments * MOVEMENTS_PER_PAYMENT * 2).allSatisfy(answer ->
                assertThat(answer.result().outcome()).as("%s: %s", answer.eventId(), answer.result().message())
                        .isIn(Outcome.RECORDED, Outcome.PENDING, Outcome.DUPLICATE, Outcome.IGNORED));
        List<org.assertj.core.groups.Tuple> expected = new ArrayList<>();
        long total = 0;
        for (int p = 0; p < payments; p++) {
            expected.add(tuple(paymentIntent(p), LineType.SALE, amount(p)));
            expected.add(disputed(p) ? tuple(paymentIntent(p), LineType.DISPUTE_WITHDRAWAL, -amount(p))
                    : tuple(paymentIntent(p), LineType.REFUND, -refunded(p)));
            total += amount(p) - (disputed(p) ? amount(p) : refunded(p));
        }
        List<LedgerLine> lines = stores.lines();
        assertThat(lines).extracting(LedgerLine::saleId, LedgerLine::type, LedgerLine::amount)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lines.stream().mapToLong(LedgerLine::amount).sum()).as("the ledger's total").isEqualTo(total);
    }

    /** How many events {@link #movements} gives a payment. */
    private static final int MOVEMENTS_PER_PAYMENT = 5;

    /** The sale's three events, then a partial refund (two events) or, every third payment, a dispute (two). */
    private static List<String> movements(int p) {
        List<String> events = new ArrayList<>(saleEvents(p));
        Instant later = SOLD_AT.plus(Duration.ofDays(2));
        if (disputed(p)) {
            events.add(SampleStripeEvents.dispute("evt_dc_" + p, "charge.dispute.created", ACCOUNT, "dp_" + p, charge(p),
                    paymentIntent(p), amount(p), "usd", later, "needs_response", false, false));
            events.add(SampleStripeEvents.dispute("evt_dw_" + p, "charge.dispute.funds_withdrawn", ACCOUNT, "dp_" + p,
                    charge(p), paymentIntent(p), amount(p), "usd", later.plusSeconds(5), "needs_response", true, false));
        } else {
            events.add(SampleStripeEvents.refund("evt_re_" + p, "refund.created", ACCOUNT, "re_" + p, charge(p),
                    paymentIntent(p), refunded(p), "usd", "succeeded", later));
            events.add(SampleStripeEvents.chargeRefunded("evt_cr_" + p, ACCOUNT, charge(p), paymentIntent(p), amount(p),
                    refunded(p), "usd", SOLD_AT, later, null, null));
        }
        return events;
    }

    private static boolean disputed(int p) {
        return p % 3 == 0;
    }

    private static long refunded(int p) {
        return amount(p) / 4;
    }

    /**
     * A booked payment's funds_withdrawn, delivered twice at once to two handler instances.
     *
     * @param races counts the rounds whose deliveries overlapped
     */
    private static void disputeRace(Stores stores, int round, AtomicInteger races) throws Exception {
        List<StripeWebhook> handlers = stores.handlers();
        String sale = saleEvents(round).get(0);
        assertThat(deliver(handlers.get(0), sale).outcome()).isEqualTo(Outcome.RECORDED);
        String withdrawn = SampleStripeEvents.dispute("evt_dp_" + round, "charge.dispute.funds_withdrawn", ACCOUNT,
                "dp_" + round, charge(round), paymentIntent(round), amount(round), "usd", SOLD_AT.plus(Duration.ofDays(3)),
                "needs_response", true, false);
        CyclicBarrier together = new CyclicBarrier(2);
        Overlap overlap = new Overlap();
        List<Callable<Answer>> deliveries = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            StripeWebhook handler = handlers.get(1 + copy);
            deliveries.add(() -> {
                together.await(WAIT_SECONDS, TimeUnit.SECONDS);
                return overlap.deliver(handler, withdrawn);
            });
        }

        List<Answer> answers = runOnPool(deliveries, HANDLERS);

        races.accumulateAndGet(overlap.most.get() > 1 ? 1 : 0, Integer::sum);
        assertThat(answers).extracting(answer -> answer.result().outcome()).as("round %d: %s", round, answers)
                .containsExactlyInAnyOrder(Outcome.RECORDED, Outcome.DUPLICATE);
        assertThat(stores.bookings().receipt(eventId(withdrawn))).get().extracting(EventReceipt::outcome)
                .isEqualTo(Outcome.RECORDED);
        assertThat(stores.lines()).filteredOn(line -> line.type() != LineType.SALE).as("round %d", round)
                .extracting(LedgerLine::type, LedgerLine::amount)
                .containsExactly(tuple(LineType.DISPUTE_WITHDRAWAL, -amount(round)));
    }

    /**
     * Of an event's deliveries, the one that wrote the receipt answered what the receipt says, and every other
     * answered DUPLICATE: so as many deliveries answered RECORDED as receipts say RECORDED, event by event.
     */
    private static void assertReceiptsTellWhatTheirDeliveriesDid(BookingStore bookings, List<Answer> answers) {
        Map<String, List<Outcome>> byEvent = answers.stream().collect(Collectors.groupingBy(Answer::eventId,
                Collectors.mapping(answer -> answer.result().outcome(), Collectors.toList())));
        byEvent.forEach((eventId, outcomes) -> {
            Outcome receipt = bookings.receipt(eventId).map(EventReceipt::outcome).orElse(null);
            assertThat(receipt).as("receipt of %s", eventId).isNotNull();
            assertThat(outcomes.stream().filter(outcome -> outcome == Outcome.RECORDED).count())
                    .as("deliveries of %s answered RECORDED, its receipt says %s", eventId, receipt)
                    .isEqualTo(receipt == Outcome.RECORDED ? 1 : 0);
            List<Outcome> expected = new ArrayList<>(List.of(receipt));
            expected.addAll(Collections.nCopies(outcomes.size() - 1, Outcome.DUPLICATE));
            assertThat(outcomes).as("answers to %s", eventId).containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    /**
     * Runs the deliveries on a pool of threads, started in the order given; every wait bounded. A barrier's
     * parties must all fit on the pool at once.
     */
    private static List<Answer> runOnPool(List<Callable<Answer>> deliveries, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Answer>> running = deliveries.stream().map(pool::submit).toList();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> delivery : running) {
                answers.add(delivery.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).as("deliveries stopped").isTrue();
        }
    }

    // ---------------------------------------------------------------- the events

    /** The charge names no category; the payment intent and the session do: the later ones make it richer. */
    private static List<String> saleEvents(int p) {
        String pi = paymentIntent(p);
        return List.of(
                SampleStripeEvents.event("evt_ch_" + p, "charge.succeeded", ACCOUNT, SOLD_AT,
                        StripeObjects.charge(charge(p), pi, amount(p), "usd", SOLD_AT, null, null, 0)),
                SampleStripeEvents.event("evt_pi_" + p, "payment_intent.succeeded", ACCOUNT, SOLD_AT.plusSeconds(1),
                        StripeObjects.paymentIntent(pi, charge(p), amount(p), "usd", SOLD_AT.minusSeconds(60), "course")),
                SampleStripeEvents.event("evt_cs_" + p, "checkout.session.completed", ACCOUNT, SOLD_AT.plusSeconds(2),
                        StripeObjects.checkoutSession("cs_" + p, pi, null, amount(p), "usd", SOLD_AT.minusSeconds(300),
                                "course")));
    }

    private static String paymentIntent(int p) {
        return "pi_" + p;
    }

    private static String charge(int p) {
        return "ch_" + p;
    }

    private static long amount(int p) {
        return 10_000 + 7L * p;
    }

    private static String eventId(String body) {
        return Json.read(body, JsonNode.class).path("id").asText();
    }

    private static BookingResult deliver(StripeWebhook handler, String body) {
        return handler.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }
}
