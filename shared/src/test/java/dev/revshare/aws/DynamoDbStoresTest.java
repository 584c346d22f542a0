package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.BookingStore.Written;
import dev.revshare.ingest.EventReceipt;
import dev.revshare.testing.TestLedger;
import dev.revshare.testing.LocalDynamoDb;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DynamoDB ledger and agreements on DynamoDB Local (statements: StatementStoreContract). */
class DynamoDbStoresTest {

    private DynamoDbStores store;

    @BeforeEach
    void freshTable() {
        store = LocalDynamoDb.newStore();
    }

    @Test
    void linesAreReadBackByRecordingTimeAcrossMonthPartitionsInOrder() {
        record("last-of-january", Instant.parse("2026-01-31T23:59:59.999Z"));
        record("first-of-february", Instant.parse("2026-02-01T00:00:00.000Z"));
        record("before-the-range", Instant.parse("2026-01-30T23:59:59.999Z"));
        record("after-the-range", Instant.parse("2026-02-02T00:00:00.001Z"));

        List<LedgerLine> lines = store.ledger().recordedBetween("a",
                Instant.parse("2026-01-31T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));

        assertThat(lines).extracting(LedgerLine::lineId).containsExactly("last-of-january", "first-of-february");
        assertThat(lines).extracting(LedgerLine::recordedAt).containsExactly(
                Instant.parse("2026-01-31T23:59:59.999Z"), Instant.parse("2026-02-01T00:00:00Z"));
    }

    @Test
    void rangeBoundsAreInclusiveToTheMillisecond() {
        record("at-from", Instant.parse("2026-03-01T00:00:00.000Z"));
        record("at-to", Instant.parse("2026-03-31T23:59:59.999Z"));

        assertThat(store.ledger().recordedBetween("a", Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-31T23:59:59.999Z")))
                .extracting(LedgerLine::lineId).containsExactly("at-from", "at-to");
    }

    @Test
    void ledgerLineRoundTripsEveryField() {
        LedgerLine refund = new LedgerLine("a", "pi_1:refunded-to:500", "ch_1", LineType.REFUND, -500, "usd",
                Instant.parse("2026-04-02T10:00:00Z"), Instant.parse("2026-03-30T09:00:00Z"),
                Instant.parse("2026-04-02T10:00:01.250Z"), "course", "cus_1", "evt_r");
        TestLedger.record(store.bookings(), refund);

        assertThat(store.ledger().recordedBetween("a", Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-04-03T00:00:00Z")))
                .containsExactly(refund);
    }

    @Test
    void moreLinesThanOnePageInOnePartitionAreAllReturned() {
        int count = Table.PAGE_SIZE + 50;
        Instant start = Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            record("line-" + i, start.plusSeconds(i));
        }

        List<LedgerLine> lines = store.ledger().recordedBetween("a", start, Instant.parse("2026-05-31T23:59:59.999Z"));

        assertThat(lines).hasSize(count);
        assertThat(lines).extracting(LedgerLine::recordedAt).isSorted();
        assertThat(lines).extracting(LedgerLine::lineId).doesNotHaveDuplicates();
    }

    @Test
    void sameEventTwiceIsAConflictAndWritesNothingOfItsSecondBooking() {
        LedgerLine line = line("pi_1", Instant.parse("2026-06-01T10:00:00Z"));

        assertThat(store.bookings().write(booking(receipt("evt_1"), line))).isEqualTo(Written.WRITTEN);
        assertThat(store.bookings().write(booking(receipt("evt_1"), line("pi_2", Instant.parse("2026-06-01T11:00:00Z")))))
                .isEqualTo(Written.CONFLICT);
        assertThat(store.bookings().receipt("evt_1")).get().extracting(EventReceipt::outcome).isEqualTo(Outcome.RECORDED);
        assertThat(store.ledger().recordedBetween("a", Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-06-02T00:00:00Z")))
                .hasSize(1);
    }

    @Test
    void agreementIsStoredWholeAndKeepsItsFirstAppliedTime() {
        Agreement agreement = new Agreement("a", "Sarah x Acme",
                new Agreement.Party("Sarah", List.of("sarah@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example", "ops@acme.example")),
                "acct_1", "usd", ZoneId.of("America/Los_Angeles"), LocalDate.of(2026, 1, 1), LocalDate.of(2027, 12, 31),
                List.of(new Agreement.SplitStep(1, new BigDecimal("25")), new Agreement.SplitStep(2, new BigDecimal("20.5"))),
                null);

        store.agreements().put(agreement, Instant.parse("2026-01-01T00:00:00Z"));
        store.agreements().put(agreement, Instant.parse("2026-03-01T00:00:00Z"));

        assertThat(store.agreements().find("a")).contains(agreement);
        assertThat(store.agreements().all()).containsExactly(agreement);
        assertThat(store.agreements().firstAppliedAt("a")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(store.agreements().find("b")).isEmpty();
    }

    private void record(String lineId, Instant recordedAt) {
        assertThat(store.bookings().write(booking(receipt("evt_" + lineId), line(lineId, recordedAt)))).isEqualTo(Written.WRITTEN);
    }

    private static Booking booking(EventReceipt receipt, LedgerLine line) {
        return new Booking(receipt, List.of(), null, List.of(), List.of(line), List.of(), null, null);
    }

    private static LedgerLine line(String lineId, Instant recordedAt) {
        return new LedgerLine("a", lineId, "ch_" + lineId, LineType.SALE, 1_000, "usd", recordedAt, recordedAt,
                recordedAt, "course", null, "evt_" + lineId);
    }

    private static EventReceipt receipt(String eventId) {
        return new EventReceipt(eventId, "charge.succeeded", "a", Outcome.RECORDED, null, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
