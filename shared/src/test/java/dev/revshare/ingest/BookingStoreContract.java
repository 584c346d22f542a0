package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.BookingStore.Written;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StatementStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BookingStore} must do, whatever it stores in: write a booking all or nothing, under
 * exactly its conditions, and read back what it wrote. The DynamoDB repositories and the in-memory
 * stores of the fast tests both pass it, so a booking rule proven on one holds on the other.
 */
abstract class BookingStoreContract {
    static final String AGREEMENT = "contract-coach";
    static final Instant AT = Instant.parse("2026-10-01T10:00:00Z");

    /** The stores under test, fresh and empty. */
    record Ports(BookingStore bookings, LedgerStore ledger, StatementStore statements) {}

    abstract Ports freshStores();

    private BookingStore store;
    private LedgerStore ledger;
    private StatementStore statements;

    @BeforeEach
    void fresh() {
        Ports ports = freshStores();
        store = ports.bookings();
        ledger = ports.ledger();
        statements = ports.statements();
    }

    @Test
    void aReceiptIsWrittenOnceAndReadBack() {
        assertThat(store.write(Booking.receiptOnly(receipt("evt_1"), List.of()))).isEqualTo(Written.WRITTEN);
        assertThat(store.write(Booking.receiptOnly(receipt("evt_1"), List.of()))).isEqualTo(Written.CONFLICT);

        assertThat(store.receipt("evt_1")).contains(receipt("evt_1"));
        assertThat(store.receipt("evt_2")).isEmpty();
    }

    @Test
    void aNewPaymentIsFoundByEachOfItsIdsAndASecondNewOneUnderTheSameKeyWritesNothing() {
        PaymentRecord record = record(new PaymentIds("pi_1", "ch_1", null, "cs_1"), 1);
        assertThat(store.write(create("evt_1", record, List.of("ch_1", "cs_1"), line("pi_1", 1_000)))).isEqualTo(Written.WRITTEN);

        for (String id : List.of("pi_1", "ch_1", "cs_1")) {
            assertThat(store.payments(AGREEMENT, List.of(id))).as(id).containsExactly(record);
        }
        assertThat(store.payments(AGREEMENT, List.of("pi_1", "ch_1"))).containsExactly(record);
        assertThat(store.payments("another-agreement", List.of("pi_1"))).isEmpty();

        assertThat(store.write(create("evt_2", record(PaymentIds.of("pi_1", null), 1), List.of(), line("pi_1#2", 5))))
                .isEqualTo(Written.CONFLICT);
        assertThat(store.receipt("evt_2")).isEmpty();
        assertThat(lines()).extracting(LedgerLine::lineId).containsExactly("pi_1");
    }

    @Test
    void aPaymentIsReplacedOnlyAtTheVersionItWasReadAt() {
        PaymentRecord first = record(PaymentIds.of("pi_1", "ch_1"), 1);
        store.write(create("evt_1", first, List.of("ch_1"), line("pi_1", 1_000)));
        PaymentRecord second = first.withBooked(List.of(line("pi_1", 1_000))).withVersion(2);

        Booking update = new Booking(receipt("evt_2"), List.of(first), second, List.of(), List.of(), List.of(), null, null);
        assertThat(store.write(update)).isEqualTo(Written.WRITTEN);
        Booking stale = new Booking(receipt("evt_3"), List.of(first), second.withVersion(2), List.of(), List.of(), List.of(), null, null);
        assertThat(store.write(stale)).isEqualTo(Written.CONFLICT);

        assertThat(store.payments(AGREEMENT, List.of("ch_1"))).containsExactly(second);
        assertThat(store.receipt("evt_3")).isEmpty();
    }

    @Test
    void aReceiptAloneIsRefusedWhenAPaymentItWasDecidedOnHasMovedOn() {
        PaymentRecord first = record(PaymentIds.of("pi_1", null), 1);
        store.write(create("evt_1", first, List.of()));
        store.write(new Booking(receipt("evt_2"), List.of(first), first.withVersion(2), List.of(), List.of(), List.of(), null, null));

        assertThat(store.write(Booking.receiptOnly(receipt("evt_3"), List.of(first)))).isEqualTo(Written.CONFLICT);
        assertThat(store.write(Booking.receiptOnly(receipt("evt_3"), List.of(first.withVersion(2))))).isEqualTo(Written.WRITTEN);
    }

    @Test
    void anIdThatBelongsToAnotherPaymentCannotBeTaken() {
        store.write(create("evt_1", record(PaymentIds.of("pi_1", "ch_1"), 1), List.of("ch_1")));

        assertThat(store.write(create("evt_2", record(PaymentIds.of("pi_2", "ch_1"), 1), List.of("ch_1")))).isEqualTo(Written.CONFLICT);
        assertThat(store.payments(AGREEMENT, List.of("pi_2"))).isEmpty();
    }

    @Test
    void twoRecordsOfOnePaymentBecomeOneAndTheAbsorbedKeyLeadsToIt() {
        PaymentRecord invoice = record(new PaymentIds(null, null, "in_1", null), 1);
        PaymentRecord intent = record(PaymentIds.of("pi_1", "ch_1"), 1);
        store.write(create("evt_in", invoice, List.of(), line("in_1", 4_900)));
        store.write(create("evt_ch", intent, List.of("ch_1"), line("pi_1", 4_900)));
        assertThat(store.payments(AGREEMENT, List.of("in_1", "ch_1"))).containsExactly(invoice, intent);

        PaymentRecord merged = record(new PaymentIds("pi_1", "ch_1", "in_1", null), 2);
        Booking link = new Booking(receipt("evt_link"), List.of(invoice, intent), merged, List.of("ch_1"), List.of(),
                List.of(line("in_1", 4_900)), null, null);
        assertThat(store.write(link)).isEqualTo(Written.WRITTEN);

        for (String id : List.of("in_1", "pi_1", "ch_1")) {
            assertThat(store.payments(AGREEMENT, List.of(id))).as(id).containsExactly(merged);
        }
        assertThat(lines()).extracting(LedgerLine::lineId).containsExactly("pi_1");
    }

    @Test
    void linesAddedAndTakenOutAreWhatTheLedgerReads() {
        PaymentRecord record = record(PaymentIds.of("pi_1", null), 1);
        store.write(create("evt_1", record, List.of(), line("pi_1", 1_000)));
        Booking replace = new Booking(receipt("evt_2"), List.of(record), record.withVersion(2), List.of(),
                List.of(line("pi_1#1", 800), line("pi_1#2", 200)), List.of(line("pi_1", 1_000)), null, null);

        assertThat(store.write(replace)).isEqualTo(Written.WRITTEN);
        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pi_1#1", 800L), org.assertj.core.groups.Tuple.tuple("pi_1#2", 200L));
    }

    @Test
    void takingOutALineIsRefusedOnceAStatementBeganClosingSinceItWasJudgedUncounted() {
        PaymentRecord record = record(PaymentIds.of("pi_1", null), 1);
        store.write(create("evt_1", record, List.of(), line("pi_1", 1_000)));
        assertThat(store.lastClosedAt(AGREEMENT)).isEmpty();
        Booking replaceUncounted = new Booking(receipt("evt_2"), List.of(record), record.withVersion(2), List.of(),
                List.of(line("pi_1#1", 1_000)), List.of(line("pi_1", 1_000)), null, null, new Booking.Counted(AGREEMENT, AT.plusSeconds(90), true, null));

        statements.beginClosing(AGREEMENT, AT.plusSeconds(60));
        statements.beginClosing(AGREEMENT, AT.plusSeconds(30)); // an earlier close changes nothing
        assertThat(store.lastClosedAt(AGREEMENT)).contains(AT.plusSeconds(60));
        assertThat(store.write(replaceUncounted)).isEqualTo(Written.CONFLICT);
        assertThat(lines()).extracting(LedgerLine::lineId).containsExactly("pi_1");

        Booking judgedAfterTheClose = new Booking(receipt("evt_2"), List.of(record), record.withVersion(2), List.of(),
                List.of(line("pi_1#1", 1_000)), List.of(), null, null, new Booking.Counted(AGREEMENT, AT.plusSeconds(90), true, AT.plusSeconds(60)));
        assertThat(store.write(judgedAfterTheClose)).isEqualTo(Written.WRITTEN);
    }

    @Test
    void linesRecordedAtOrBeforeACloseThatHasBegunAreRefusedSoThatNoStatementMissesThem() {
        statements.beginClosing(AGREEMENT, AT.plusSeconds(60));
        PaymentRecord record = record(PaymentIds.of("pi_1", null), 1);

        Booking before = new Booking(receipt("evt_1"), List.of(), record, List.of(), List.of(line("pi_1", 1_000)), List.of(),
                null, null, Booking.Counted.adding(AGREEMENT, AT.plusSeconds(60)));
        assertThat(store.write(before)).isEqualTo(Written.CONFLICT);
        Booking after = new Booking(receipt("evt_1"), List.of(), record, List.of(), List.of(line("pi_1", 1_000)), List.of(),
                null, null, Booking.Counted.adding(AGREEMENT, AT.plusSeconds(61)));
        assertThat(store.write(after)).isEqualTo(Written.WRITTEN);
    }

    @Test
    void aPaymentWaitingForItsSaleIsListedUntilItIsDescribed() {
        PaymentRecord waiting = record(PaymentIds.of("pi_1", "ch_1"), 1).waitingSince(AT);
        store.write(new Booking(receipt("evt_1"), List.of(), waiting, List.of("ch_1"), List.of(), List.of(), Boolean.TRUE, null));
        assertThat(ledger.waiting(AGREEMENT)).containsExactly(new LedgerStore.WaitingPayment(AGREEMENT, "pi_1", AT));

        PaymentRecord described = waiting.waitingSince(null).withVersion(2);
        store.write(new Booking(receipt("evt_2"), List.of(waiting), described, List.of(), List.of(), List.of(), Boolean.FALSE, null));
        assertThat(ledger.waiting(AGREEMENT)).isEmpty();
    }

    @Test
    void eventsSetAsideAreListedOnceOldestFirst() {
        SetAsideEvent unreadable = setAside("evt_2", AT.plusSeconds(60));
        SetAsideEvent unclaimed = setAside("evt_1", AT);
        store.write(new Booking(receipt("evt_2"), List.of(), null, List.of(), List.of(), List.of(), null, unreadable));
        store.setAside(unclaimed);
        store.setAside(unclaimed);

        assertThat(ledger.setAside()).containsExactly(unclaimed, unreadable);
    }

    // ---------------------------------------------------------------- helpers

    private List<LedgerLine> lines() {
        return ledger.recordedBetween(AGREEMENT, AT.minusSeconds(1), AT.plusSeconds(3600));
    }

    static EventReceipt receipt(String eventId) {
        return new EventReceipt(eventId, "charge.succeeded", AGREEMENT, Outcome.RECORDED, "booked", AT);
    }

    static PaymentRecord record(PaymentIds ids, long version) {
        return PaymentRecord.empty(AGREEMENT, ids).withVersion(version);
    }

    static Booking create(String eventId, PaymentRecord record, List<String> links, LedgerLine... lines) {
        return new Booking(receipt(eventId), List.of(), record, links, List.of(lines), List.of(), null, null);
    }

    static LedgerLine line(String lineId, long amount) {
        return new LedgerLine(AGREEMENT, lineId, "ch_1", LineType.SALE, amount, "usd", AT, AT, AT, "course", "cus_1",
                "evt_1", lineId.replaceAll("#.*", ""));
    }

    static SetAsideEvent setAside(String eventId, Instant at) {
        return new SetAsideEvent(eventId, "charge.succeeded", "acct_1Nobody", AT, at, "ch_9", 5_000L, "usd",
                "no agreement claims Stripe account acct_1Nobody");
    }

}
