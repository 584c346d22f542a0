package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Allocation;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StatementStore;
import dev.revshare.time.SettableClock;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FlakyBookingStore;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.StripeObjects;
import dev.revshare.testing.StripeObjects.Settlement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The booking rules against a reference model of the money that moved. Random histories of one agreement's
 * payments (each announced by some of its sale events, an invoice among them of an older API version or of
 * one that needs invoice_payment.paid to link it; paid in usd or eur; refunded in parts or in a charge's
 * total, some refunds failing; disputes lost or won) are delivered as Stripe delivers them: every event, in
 * any order, some more than once, with the store failing writes half-way (refused, or written with the
 * answer lost) and each failed delivery delivered again later. Whatever happened on the way, each payment's
 * ledger lines add up to its sale, its final refunded total and its disputes, once.
 */
class BookingPropertiesTest {
    private static final String ACCOUNT = "acct_1SalesCoach";
    static final Agreement AGREEMENT = AgreementFile.parse(SalesTest.AGREEMENT, "sales-coach.yaml");
    private static final Instant FIRST_SALE = Instant.parse("2026-09-01T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-10-01T12:00:00Z");
    /** Invoices that name their payment intent and charge: API versions before 2025-03-31. */
    private static final String OLD_API_VERSION = "2024-06-20";
    /** What an event may finally be answered with: it was booked, kept, linked, already booked, or moved no money. */
    private static final Set<Outcome> SETTLED = EnumSet.of(Outcome.RECORDED, Outcome.PENDING, Outcome.LINKED,
            Outcome.DUPLICATE, Outcome.IGNORED);
    private static final double WRITE_FAILURE_RATE = 0.2;

    @Property(tries = 2000)
    void eachPaymentsLinesAddUpToWhatItsMoneyDidWhateverTheDeliveries(@ForAll("histories") List<PaymentStory> payments,
                                                                       @ForAll long seed) {
        InMemoryStores stores = new InMemoryStores();
        stores.agreements().put(AGREEMENT, NOW.minus(Duration.ofDays(300)));

        Replay replay = deliver(payments, seed, stores.agreements(), stores.bookings(), stores.ledger(), stores.statements(),
                false);

        check(payments, replay, stores.bookings(), stores.ledger());
    }

    /**
     * The same with the agreement's statements closing now and then between deliveries (each delivery a second
     * after the one before): a line a statement counted is never taken out but reversed, so each payment's
     * lines still add up to the model in the currency it is booked in, and to nothing in any other.
     */
    @Property(tries = 300)
    void withStatementsClosingOnTheWayCountedLinesAreReversedAndTheSumsHold(
            @ForAll("histories") List<PaymentStory> payments, @ForAll long seed) {
        InMemoryStores stores = new InMemoryStores();
        stores.agreements().put(AGREEMENT, NOW.minus(Duration.ofDays(300)));

        Replay replay = deliver(payments, seed, stores.agreements(), stores.bookings(), stores.ledger(), stores.statements(),
                true);

        check(payments, replay, stores.bookings(), stores.ledger());
    }

    // ---------------------------------------------------------------- delivering, as Stripe does

    /** One Stripe event of the history. */
    record StripeDelivery(String eventId, String body) {}

    /**
     * What each event's deliveries were answered, in order; what the store did on the way; when statements
     * closed (none: every delivery at {@link #NOW}).
     */
    record Replay(Map<String, List<BookingResult>> answers, FlakyBookingStore store, List<Close> closes) {
        @Override
        public String toString() {
            return store + (closes.isEmpty() ? "" : "; statements closed at " + closes.stream().map(Close::at).toList())
                    + "; answers: "
                    + answers.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().stream().map(r -> r.outcome().name()).toList())
                    .collect(Collectors.joining(", "));
        }
    }

    /** A statement closed: when, and the lines it counted (all those recorded by then). */
    record Close(Instant at, List<LedgerLine> counted) {}

    /** A booking store whose agreement's statements close when the test says so. */
    private static final class StatementsClosing implements BookingStore {
        private final BookingStore store;
        private final LedgerStore ledger;
        private final StatementStore statements;
        private final List<Close> closes = new ArrayList<>();

        StatementsClosing(BookingStore store, LedgerStore ledger, StatementStore statements) {
            this.store = store;
            this.ledger = ledger;
            this.statements = statements;
        }

        /** As the monthly run closes: it notes the close, then reads the ledger. */
        void close(Instant closedAt) {
            statements.beginClosing(AGREEMENT.id(), closedAt);
            closes.add(new Close(closedAt, ledger.recordedBetween(AGREEMENT.id(), NOW.minusSeconds(1), closedAt)));
        }

        @Override
        public Optional<Instant> lastClosedAt(String agreementId) {
            return store.lastClosedAt(agreementId);
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
        public Written write(Booking booking) {
            return store.write(booking);
        }

        @Override
        public void setAside(SetAsideEvent event) {
            store.setAside(event);
        }
    }

    /**
     * Every event of the history 1 to 3 times, in an order drawn from {@code seed}; the store fails a fifth of
     * the writes until it has failed once per event. A delivery answered "retry" goes back in the queue at a
     * random place, until it is answered otherwise.
     *
     * @param statementsClosing false: every delivery at {@link #NOW} (a fixed clock), no statement closed;
     *                          true: each delivery a second after the one before, and before one in four a
     *                          statement closes (half a second earlier)
     */
    static Replay deliver(List<PaymentStory> payments, long seed, AgreementStore agreements, BookingStore store,
                          LedgerStore ledger, StatementStore statementStore, boolean statementsClosing) {
        Random plan = new Random(seed);
        List<StripeDelivery> events = new ArrayList<>();
        for (int p = 0; p < payments.size(); p++) {
            events.addAll(payments.get(p).events(p));
        }
        // each event's copies and their places follow from the seed and the event alone: a smaller history
        // (shrinking) keeps the order of the events it keeps
        record Placed(long place, StripeDelivery delivery) {}
        List<Placed> placed = new ArrayList<>();
        for (StripeDelivery event : events) {
            Random own = new Random(seed ^ event.eventId().hashCode());
            for (int copy = 1 + own.nextInt(3); copy > 0; copy--) {
                placed.add(new Placed(own.nextLong(), event));
            }
        }
        placed.sort(Comparator.comparingLong(Placed::place));
        List<StripeDelivery> queue = new ArrayList<>(placed.stream().map(Placed::delivery).toList());
        FlakyBookingStore flaky = new FlakyBookingStore(store, new Random(~seed), WRITE_FAILURE_RATE, events.size());
        StatementsClosing statements = new StatementsClosing(flaky, ledger, statementStore);
        SettableClock ticking = new SettableClock(NOW); // the deliveries move it on, a second each
        // as Stripe's EventBridge destination delivers: the rules behind the webhook, without its signature
        EventRouter router = new EventRouter(agreements, statements, StripeLookup.NONE,
                statementsClosing ? ticking : Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, List<BookingResult>> answers = new LinkedHashMap<>();
        events.forEach(event -> answers.put(event.eventId(), new ArrayList<>()));
        Replay replay = new Replay(answers, flaky, statements.closes);
        int bound = queue.size() + events.size();
        for (int step = 0; !queue.isEmpty(); step++) {
            if (step > bound) {
                fail("deliveries still asked for a retry after the store stopped failing: " + replay);
            }
            if (statementsClosing) {
                ticking.set(ticking.instant().plusSeconds(1));
                if (plan.nextInt(4) == 0) {
                    statements.close(ticking.instant().minusMillis(500));
                }
            }
            StripeDelivery delivery = queue.removeFirst();
            int failuresBefore = flaky.failures();
            BookingResult answer = router.receiveTrusted(delivery.body());
            answers.get(delivery.eventId()).add(answer);
            if (answer.outcome().retry) {
                if (flaky.failures() == failuresBefore) {
                    fail(delivery.eventId() + " was answered " + answer + " though the store did not fail: "
                            + replay);
                }
                queue.add(plan.nextInt(queue.size() + 1), delivery); // Stripe delivers it again, later
            }
        }
        return replay;
    }

    // ---------------------------------------------------------------- the reference model and the checks

    static void check(List<PaymentStory> payments, Replay replay, BookingStore bookings, LedgerStore ledger) {
        replay.answers().forEach((eventId, answers) -> {
            assertThat(answers).as("answers to %s; %s", eventId, replay)
                    .filteredOn(answer -> !answer.outcome().retry)
                    .isNotEmpty()
                    .allSatisfy(answer -> assertThat(answer.outcome()).as("%s: %s", eventId, answer.message())
                            .isIn(SETTLED));
            assertThat(bookings.receipt(eventId)).as("receipt of %s", eventId).isPresent();
        });

        // every line is recorded at NOW, or a second for each delivery after it
        List<LedgerLine> lines = ledger.recordedBetween(AGREEMENT.id(), NOW.minusSeconds(1), NOW.plus(Duration.ofHours(1)));
        Map<String, List<LedgerLine>> bySale = lines.stream().collect(Collectors.groupingBy(LedgerLine::saleId));
        Set<String> keys = IntStream.range(0, payments.size()).mapToObj(PaymentStory::paymentIntent).collect(Collectors.toSet());
        for (Close close : replay.closes()) {
            assertThat(lines).as("a statement counted them (closed at %s): they stay; %s", close.at(), replay)
                    .containsAll(close.counted());
            // and none escapes it: a line recorded by its close was there when it read the ledger
            assertThat(close.counted()).as("lines recorded by the close at %s; %s", close.at(), replay)
                    .containsAll(lines.stream().filter(line -> !line.recordedAt().isAfter(close.at())).toList());
        }
        if (replay.closes().isEmpty()) {
            assertThat(bySale.keySet()).as("sales booked; %s", replay).isEqualTo(keys);
        } else { // an invoice's own sale, counted before its payment was linked, is reversed under its own key
            assertThat(bySale.keySet()).as("sales booked; %s", replay).containsAll(keys)
                    .allMatch(key -> keys.contains(key) || key.startsWith("in_P"));
        }

        for (int p = 0; p < payments.size(); p++) {
            PaymentStory payment = payments.get(p);
            Expected expected = payment.expected();
            String key = PaymentStory.paymentIntent(p);
            List<LedgerLine> own = new ArrayList<>(bySale.get(key));
            own.addAll(bySale.getOrDefault(PaymentStory.invoice(p), List.of()));
            Told as = new Told(key, payment, expected, own, replay);

            assertThat(own.stream().map(line -> String.valueOf(line.category())).distinct()).as("category: %s", as)
                    .containsExactly(String.valueOf(payment.category()));
            if (replay.closes().isEmpty()) {
                assertExactly(key, own, expected, as);
            } else {
                assertNetted(own, expected, as);
            }

            List<PaymentRecord> records = bookings.payments(AGREEMENT.id(), List.of(key));
            assertThat(records.stream().map(record -> record.key() + " refunded " + record.refunds().booked()))
                    .as("the payment's record, with the refunded total booked: %s", as)
                    .containsExactly(key + " refunded " + expected.refundedPaid());
        }
        assertThat(ledger.waiting(AGREEMENT.id())).as("payments waiting for their sale").isEmpty();
    }

    /** No statement counted any line: the payment's lines are one sale, its refunds and its disputes, in one currency. */
    private static void assertExactly(String key, List<LedgerLine> own, Expected expected, Told as) {
        assertThat(own.stream().map(LedgerLine::currency).distinct()).as("currency: %s", as)
                .containsExactly(expected.currency());
        List<String> saleLines = own.stream().filter(line -> line.type() == LineType.SALE).map(LedgerLine::lineId)
                .sorted().toList();
        assertThat(saleLines).as("one sale: %s", as).isIn(List.of(key),
                IntStream.rangeClosed(1, saleLines.size()).mapToObj(n -> key + "#" + n).toList());
        assertThat(sum(own, LineType.SALE)).as("sale: %s", as).isEqualTo(expected.revenue());
        assertThat(sum(own, LineType.REFUND, LineType.REFUND_REVERSAL)).as("refunds: %s", as)
                .isEqualTo(-expected.refunded());
        assertThat(sum(own, LineType.DISPUTE_WITHDRAWAL)).as("withdrawn: %s", as).isEqualTo(-expected.withdrawn());
        assertThat(sum(own, LineType.DISPUTE_REINSTATEMENT)).as("reinstated: %s", as).isEqualTo(expected.reinstated());
        assertThat(own).as("no sale taken back while no statement counted it: %s", as)
                .noneMatch(line -> line.type() == LineType.SALE_REVERSAL);
    }

    /**
     * Statements counted some lines, and a better description replaced them with reversals and new lines: each
     * kind of money, with its reversals, adds up to the model in the payment's currency, to nothing in another
     * (a payment first booked in eur, then converted).
     */
    private static void assertNetted(List<LedgerLine> own, Expected expected, Told as) {
        assertThat(own).as("in its currency: %s", as).anyMatch(line -> line.currency().equals(expected.currency()));
        for (String currency : own.stream().map(LedgerLine::currency).distinct().toList()) {
            List<LedgerLine> in = own.stream().filter(line -> line.currency().equals(currency)).toList();
            boolean booked = currency.equals(expected.currency());
            assertThat(sum(in, LineType.SALE, LineType.SALE_REVERSAL)).as("sale in %s: %s", currency, as)
                    .isEqualTo(booked ? expected.revenue() : 0);
            assertThat(sum(in, LineType.REFUND, LineType.REFUND_REVERSAL)).as("refunds in %s: %s", currency, as)
                    .isEqualTo(booked ? -expected.refunded() : 0);
            assertThat(sum(in, LineType.DISPUTE_WITHDRAWAL, LineType.DISPUTE_REINSTATEMENT))
                    .as("disputes in %s: %s", currency, as)
                    .isEqualTo(booked ? expected.reinstated() - expected.withdrawn() : 0);
        }
    }

    /** A payment's story as a failure tells it (only then: it is long). */
    private record Told(String key, PaymentStory payment, Expected expected, List<LedgerLine> lines, Replay replay) {
        @Override
        public String toString() {
            return "payment " + key + " " + payment + "\nexpected " + expected + "\nlines " + lines + "\n" + replay;
        }
    }

    private static long sum(List<LedgerLine> lines, LineType... types) {
        Set<LineType> wanted = new HashSet<>(Arrays.asList(types));
        return lines.stream().filter(line -> wanted.contains(line.type())).mapToLong(LedgerLine::amount).sum();
    }

    /**
     * What one payment's lines must add up to, in {@code currency}: its revenue, what was refunded and what
     * disputes withdrew and reinstated, each converted at the sale's rate.
     *
     * @param refundedPaid the final refunded total in the currency paid
     */
    record Expected(String currency, long revenue, long refunded, long withdrawn, long reinstated, long refundedPaid) {}

    // ---------------------------------------------------------------- histories

    /** The sale events that announce a payment: charge.succeeded, payment_intent.succeeded, checkout.session.completed (paid), invoice.paid. */
    enum Source { CHARGE, PAYMENT_INTENT, CHECKOUT_SESSION, INVOICE }

    enum Money {
        USD,
        /** paid in eur; the charge's balance transaction gives the usd Stripe settled it at */
        EUR_SETTLED,
        /** paid in eur, no settled amount known: booked in eur */
        EUR
    }

    /** How the customer paid; {@code usdPerThousandEur} the settlement rate, when Stripe gives one. */
    record Paid(Money money, int usdPerThousandEur) {}

    /**
     * A refund of {@code permille} ‰ of the payment, {@code failsMinutesLater} (null: never) failing after it
     * was made.
     */
    record RefundSpec(int permille, Integer failsMinutesLater) {}

    /**
     * A charge.refunded event: with refunds by id, sent when refund {@code atRefund} (modulo their number)
     * was made, or a second later, with the charge's cumulative total then; without, of {@code permille} ‰.
     */
    record ChargeRefundedSpec(int atRefund, boolean aSecondLater, int permille) {}

    /**
     * The invoice of a payment an invoice announces: its lines' weights; whether it names its payment intent and
     * charge (API versions before 2025-03-31), or names neither and an invoice_payment.paid links them.
     */
    record InvoiceSpec(List<Integer> lineWeights, boolean namesItsPayment) {}

    enum DisputeEnd { NONE, LOST, WON }

    /** A dispute of {@code permille} ‰ of the payment. */
    record DisputeSpec(DisputeEnd end, int permille) {}

    /**
     * One payment and everything Stripe tells of it.
     *
     * @param announcedBy  the sale events that describe it (at least one)
     * @param invoice      the invoice, when one announces the payment
     */
    record PaymentStory(long amount, Paid paid, String category, Set<Source> announcedBy, InvoiceSpec invoice,
                        List<RefundSpec> refunds, ChargeRefundedSpec chargeRefunded, DisputeSpec dispute) {

        static String paymentIntent(int p) {
            return "pi_P" + p;
        }

        static String charge(int p) {
            return "ch_P" + p;
        }

        static String invoice(int p) {
            return "in_P" + p;
        }

        String currency() {
            return paid.money() == Money.USD ? "usd" : "eur";
        }

        Settlement settlement() {
            return paid.money() == Money.EUR_SETTLED
                    ? new Settlement(Math.max(1, Math.round(amount * paid.usdPerThousandEur() / 1000.0)), "usd") : null;
        }

        long refundAmount(int j) {
            return part(refunds.get(j).permille());
        }

        long part(int permille) {
            return Math.max(1, amount * permille / 1000);
        }

        Instant soldAt(int p) {
            return FIRST_SALE.plus(Duration.ofDays(p));
        }

        Instant refundedAt(int p, int j) {
            return soldAt(p).plus(Duration.ofHours(j + 1));
        }

        /** Never the same second as a refund or a charge.refunded. */
        Instant failedAt(int p, int j) {
            return refundedAt(p, j).plusSeconds(refunds.get(j).failsMinutesLater() * 60L + 7);
        }

        Instant chargeRefundedAt(int p) {
            if (refunds.isEmpty()) {
                return soldAt(p).plus(Duration.ofHours(1));
            }
            Instant refunded = refundedAt(p, chargeRefunded.atRefund() % refunds.size());
            return chargeRefunded.aSecondLater() ? refunded.plusSeconds(1) : refunded;
        }

        /** The charge's amount_refunded at {@code at}: the refunds made by then, less those failed by then. */
        long refundedBy(int p, Instant at) {
            if (refunds.isEmpty()) {
                return part(chargeRefunded.permille());
            }
            long total = 0;
            for (int j = 0; j < refunds.size(); j++) {
                boolean failed = refunds.get(j).failsMinutesLater() != null && !failedAt(p, j).isAfter(at);
                if (!refundedAt(p, j).isAfter(at) && !failed) {
                    total += refundAmount(j);
                }
            }
            return total;
        }

        /** The reference model: what the money did, in the currency the agreement books it in. */
        Expected expected() {
            boolean chargeSeen = announcedBy.contains(Source.CHARGE) || chargeRefunded != null;
            boolean converted = paid.money() == Money.EUR_SETTLED && chargeSeen;
            long net = converted ? settlement().amount() : amount;
            long refundedPaid = 0;
            if (!refunds.isEmpty()) {
                for (int j = 0; j < refunds.size(); j++) {
                    refundedPaid += refunds.get(j).failsMinutesLater() == null ? refundAmount(j) : 0;
                }
            } else if (chargeRefunded != null) {
                refundedPaid = part(chargeRefunded.permille());
            }
            long disputed = dispute.end() == DisputeEnd.NONE ? 0
                    : Allocation.convert(part(dispute.permille()), net, amount);
            return new Expected(converted ? "usd" : currency(), net, Allocation.convert(refundedPaid, net, amount),
                    disputed, dispute.end() == DisputeEnd.WON ? disputed : 0, refundedPaid);
        }

        /** Every Stripe event of the payment, the {@code p}-th of its history. */
        List<StripeDelivery> events(int p) {
            String pi = paymentIntent(p);
            String ch = charge(p);
            String invoice = announcedBy.contains(Source.INVOICE) ? invoice(p) : null;
            String prefix = "evt_P" + p + "_";
            Instant sold = soldAt(p);
            List<StripeDelivery> events = new ArrayList<>();
            for (Source source : Source.values()) {
                if (!announcedBy.contains(source)) {
                    continue;
                }
                events.add(switch (source) {
                    case CHARGE -> event(prefix + "charge", "charge.succeeded", sold,
                            StripeObjects.charge(ch, pi, amount, currency(), sold, category, settlement(), 0));
                    case PAYMENT_INTENT -> event(prefix + "pi", "payment_intent.succeeded", sold.plusSeconds(1),
                            StripeObjects.paymentIntent(pi, ch, amount, currency(), sold.minusSeconds(60), category));
                    case CHECKOUT_SESSION -> event(prefix + "cs", "checkout.session.completed", sold.plusSeconds(2),
                            StripeObjects.checkoutSession("cs_P" + p, pi, invoice, amount, currency(), sold.minusSeconds(300),
                                    category));
                    case INVOICE -> this.invoice.namesItsPayment()
                            ? new StripeDelivery(prefix + "in", StripeObjects.event(prefix + "in", "invoice.paid", ACCOUNT,
                                    sold.plusSeconds(3), StripeObjects.invoice(invoice, pi, ch, invoiceLineAmounts(),
                                            currency(), sold, category), OLD_API_VERSION))
                            : event(prefix + "in", "invoice.paid", sold.plusSeconds(3), StripeObjects.invoice(invoice,
                                    null, null, invoiceLineAmounts(), currency(), sold, category));
                });
            }
            if (invoice != null && !this.invoice.namesItsPayment()) {
                events.add(event(prefix + "inpay", "invoice_payment.paid", sold.plusSeconds(4),
                        StripeObjects.invoicePayment("inpay_P" + p, invoice, pi)));
            }
            for (int j = 0; j < refunds.size(); j++) {
                String refund = "re_P" + p + "_" + j;
                events.add(refund(prefix + "re" + j, "refund.created", refund, p, j, "succeeded", refundedAt(p, j)));
                if (refunds.get(j).failsMinutesLater() != null) {
                    events.add(refund(prefix + "re" + j + "_failed", "refund.failed", refund, p, j, "failed",
                            failedAt(p, j)));
                }
            }
            if (chargeRefunded != null) {
                Instant at = chargeRefundedAt(p);
                events.add(event(prefix + "refunded", "charge.refunded", at,
                        StripeObjects.charge(ch, pi, amount, currency(), sold, category, settlement(), refundedBy(p, at))));
            }
            if (dispute.end() != DisputeEnd.NONE) {
                boolean won = dispute.end() == DisputeEnd.WON;
                Instant disputed = sold.plus(Duration.ofHours(10));
                events.add(dispute(prefix + "dp_created", "charge.dispute.created", p, disputed, "needs_response",
                        false, false));
                events.add(dispute(prefix + "dp_withdrawn", "charge.dispute.funds_withdrawn", p, disputed.plusSeconds(60),
                        "needs_response", true, false));
                if (won) {
                    events.add(dispute(prefix + "dp_reinstated", "charge.dispute.funds_reinstated", p,
                            disputed.plus(Duration.ofHours(2)), "won", true, true));
                }
                events.add(dispute(prefix + "dp_closed", "charge.dispute.closed", p, disputed.plus(Duration.ofHours(3)),
                        won ? "won" : "lost", true, won));
            }
            return events;
        }

        private List<Long> invoiceLineAmounts() {
            long[] parts = Allocation.spread(amount,
                    invoice.lineWeights().stream().mapToLong(Integer::longValue).toArray());
            return Arrays.stream(parts).boxed().toList();
        }

        private StripeDelivery refund(String eventId, String type, String refundId, int p, int j, String status, Instant at) {
            return new StripeDelivery(eventId, SampleStripeEvents.refund(eventId, type, ACCOUNT, refundId, charge(p),
                    paymentIntent(p), refundAmount(j), currency(), status, at));
        }

        private StripeDelivery dispute(String eventId, String type, int p, Instant at, String status, boolean withdrawn,
                                       boolean reinstated) {
            return new StripeDelivery(eventId, SampleStripeEvents.dispute(eventId, type, ACCOUNT, "dp_P" + p, charge(p),
                    paymentIntent(p), part(dispute.permille()), currency(), at, status, withdrawn, reinstated));
        }

        private static StripeDelivery event(String eventId, String type, Instant at, ObjectNode object) {
            return new StripeDelivery(eventId, SampleStripeEvents.event(eventId, type, ACCOUNT, at, object));
        }
    }

    // ---------------------------------------------------------------- generators

    /**
     * Mostly one or two payments, sometimes up to six: a payment's own events are what interleave and race,
     * and thousands of small histories run in seconds.
     */
    @Provide
    Arbitrary<List<PaymentStory>> histories() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, payments().list().ofSize(1)),
                Tuple.of(5, payments().list().ofSize(2)),
                Tuple.of(3, payments().list().ofMinSize(3).ofMaxSize(6)));
    }

    /** One payment of a history and everything Stripe tells of it. */
    static Arbitrary<PaymentStory> payments() {
        Arbitrary<Paid> paid = Combinators.combine(Arbitraries.of(Money.class), Arbitraries.integers().between(500, 2000))
                .as(Paid::new);
        Arbitrary<String> category = Arbitraries.of("course", "membership", "booking", "in_person", "tip").injectNull(0.3);
        Arbitrary<Set<Source>> announcedBy = Arbitraries.of(Source.class).set().ofMinSize(1).ofMaxSize(4);
        Arbitrary<InvoiceSpec> invoice = Combinators.combine(
                Arbitraries.integers().between(1, 100).list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                .as(InvoiceSpec::new);
        Arbitrary<RefundSpec> refund = Combinators.combine(Arbitraries.integers().between(1, 333),
                Arbitraries.integers().between(1, 300).injectNull(0.6)).as(RefundSpec::new);
        Arbitrary<ChargeRefundedSpec> chargeRefunded = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, true), Arbitraries.integers().between(1, 1000))
                .as(ChargeRefundedSpec::new).injectNull(0.5);
        Arbitrary<DisputeSpec> dispute = Combinators.combine(Arbitraries.of(DisputeEnd.class),
                Arbitraries.integers().between(1, 1000)).as(DisputeSpec::new);
        return Combinators.combine(Arbitraries.longs().between(100, 500_000), paid, category, announcedBy, invoice,
                refund.list().ofMaxSize(3), chargeRefunded, dispute).as(PaymentStory::new)
                .withoutEdgeCases(); // jqwik's edge cases (one-cent parts, the least of everything) would fill most tries
    }
}
