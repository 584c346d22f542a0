package dev.revshare.ingest;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.PaymentLines.Changes;
import dev.revshare.ingest.PaymentLines.Sale;
import dev.revshare.ingest.PaymentRecord.Description;
import dev.revshare.ingest.PaymentRecord.RefundStep;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.UnreadableEventException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Books what an event tells of a payment, exactly once: read the payment's record (by any id the event
 * names), apply the event, work out the ledger lines the payment should now have, and write the record,
 * the difference in lines and the event's receipt in one conditional write. When another delivery wrote
 * first, read again and decide again: the answer then says what is stored (a duplicate, with the ids
 * this event adds), never "try later". Only a store that keeps failing is a failure.
 */
final class PaymentBook {
    /** DynamoDB refuses a transaction of more items. */
    static final int MAX_WRITE_ITEMS = 100;
    /** Deliveries of one payment racing each other settle within a few rounds; more means the store is failing. */
    private static final int MAX_ROUNDS = 12;

    private final BookingStore store;
    private final Clock clock;

    PaymentBook(BookingStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param firstNews true when the event most likely opens the payment (a sale event): write straight
     *                  away as if nothing were stored, and read only if that write finds otherwise
     */
    BookingResult book(StripeEvent event, Agreement agreement, PaymentChange change, boolean firstNews) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean optimistic = firstNews && round == 0;
            if (round > 0 && store.receipt(event.id()).isPresent()) {
                return new BookingResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
            }
            Attempt attempt = optimistic ? decide(event, agreement, change, List.of()) : readAndDecide(event, agreement, change);
            if (store.write(attempt.booking()) == BookingStore.Written.WRITTEN) {
                return attempt.result();
            }
            backOff(round);
        }
        throw new StoreUnavailableException("payment " + change.ids() + " kept changing under other deliveries", null);
    }

    /** An event that changes no payment (ignored, or nothing paid yet): its receipt alone, once. */
    BookingResult receiptOnly(StripeEvent event, Agreement agreement, Outcome outcome, String detail) {
        EventReceipt receipt = new EventReceipt(event.id(), event.type(), agreement.id(), outcome, detail, clock.instant());
        if (store.write(Booking.receiptOnly(receipt, List.of())) == BookingStore.Written.CONFLICT) {
            return new BookingResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
        }
        return new BookingResult(outcome, detail);
    }

    /** An event revshare cannot read: set aside for a person with its receipt, in one write, nothing booked. */
    BookingResult setAside(StripeEvent event, Agreement agreement, SetAsideEvent setAside) {
        String detail = "cannot read it (" + setAside.reason() + "); set aside for a person";
        EventReceipt receipt = new EventReceipt(event.id(), event.type(), agreement.id(), Outcome.UNREADABLE, detail,
                clock.instant());
        Booking booking = new Booking(receipt, List.of(), null, List.of(), List.of(), List.of(), null, setAside);
        if (store.write(booking) == BookingStore.Written.CONFLICT) {
            return new BookingResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
        }
        return new BookingResult(Outcome.UNREADABLE, detail);
    }

    private record Attempt(Booking booking, BookingResult result) {}

    /** Reads every record the event's ids, and the ids the event adds, belong to; then decides. */
    private Attempt readAndDecide(StripeEvent event, Agreement agreement, PaymentChange change) {
        Set<String> wanted = new LinkedHashSet<>(change.ids().all());
        while (true) {
            List<PaymentRecord> read = store.payments(agreement.id(), wanted);
            Attempt attempt = decide(event, agreement, change, read);
            PaymentRecord after = attempt.booking().record();
            if (after == null || wanted.containsAll(after.ids().all())) {
                return attempt;
            }
            wanted.addAll(after.ids().all()); // the event named ids of the payment not read yet: read them too
        }
    }

    private Attempt decide(StripeEvent event, Agreement agreement, PaymentChange change, List<PaymentRecord> read) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        PaymentRecord before = read.isEmpty() ? PaymentRecord.empty(agreement.id(), change.ids()) : merged(read);
        PaymentRecord after = change.change().apply(before.withIds(change.ids()));
        Optional<Description> best = PaymentLines.best(after.descriptions());
        if (best.isPresent()) {
            after = bookRefundedTotal(after, change, event);
        }
        after = after.withRefunds(after.refunds().countedFrom(before.refunds()));
        LineDecision decided = best.isPresent() ? lineChanges(agreement, after, best.get(), now, event.id())
                : new LineDecision(new Changes(List.of(), List.of(), after.booked()), null);
        Changes lines = decided.lines();
        Booking.Counted counted = decided.counted() == null && !lines.add().isEmpty()
                ? Booking.Counted.adding(agreement.id(), now) : decided.counted();
        after = after.withBooked(lines.after());
        // a refund or dispute with no sale yet waits, listed for a person under the payment's key; the sale ends it
        boolean waits = best.isEmpty() && hasMoney(after);
        after = !waits ? after.waitingSince(null) : after.waitingSince() == null ? after.waitingSince(now) : after;
        String key = after.key();
        boolean listed = read.stream().anyMatch(r -> r.key().equals(key) && r.waitingSince() != null);
        Boolean waiting = waits == listed ? null : waits;

        // a payment not stored yet is stored: it carries at least the ids the event linked
        boolean changed = read.isEmpty() || read.size() > 1 || !sameContent(before, after);
        Outcome outcome = !lines.none() ? Outcome.RECORDED
                : !changed || after.described() ? Outcome.DUPLICATE
                : hasMoney(after) ? Outcome.PENDING : Outcome.LINKED;
        String detail = detail(outcome, change, after, lines);
        EventReceipt receipt = new EventReceipt(event.id(), event.type(), agreement.id(), outcome, detail, now);
        Booking booking = changed ? write(receipt, read, after, lines, waiting, counted)
                : Booking.receiptOnly(receipt, read);
        return new Attempt(booking, new BookingResult(outcome, detail));
    }

    /**
     * The record under its key one version above the one read there, links from its ids that do not lead
     * to it yet (a record read under another key is absorbed: its key becomes a link by itself), the lines.
     */
    private static Booking write(EventReceipt receipt, List<PaymentRecord> read, PaymentRecord after, Changes lines,
                                 Boolean waiting, Booking.Counted counted) {
        String key = after.key();
        PaymentRecord sameKey = read.stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
        PaymentRecord stored = after.withVersion(sameKey == null ? 1 : sameKey.version() + 1);
        Set<String> readKeys = read.stream().map(PaymentRecord::key).collect(Collectors.toSet());
        List<String> links = stored.ids().all().stream().filter(id -> !id.equals(key) && !readKeys.contains(id)
                && (sameKey == null || read.size() > 1 || !sameKey.ids().contains(id))).toList();
        Booking booking = new Booking(receipt, read, stored, links, lines.add(), lines.remove(), waiting, null, counted);
        if (booking.size() > MAX_WRITE_ITEMS) {
            throw new UnreadableEventException("booking payment " + key + " takes " + booking.size()
                    + " writes at once, more than the " + MAX_WRITE_ITEMS + " DynamoDB allows in one transaction");
        }
        return booking;
    }

    /** Records of one payment found apart (an invoice booked before anything linked it): one record. */
    private static PaymentRecord merged(List<PaymentRecord> read) {
        List<PaymentRecord> records = new ArrayList<>(read);
        records.sort(Comparator.comparing(PaymentRecord::key));
        PaymentRecord merged = records.get(0);
        for (PaymentRecord other : records.subList(1, records.size())) {
            merged = merged.absorb(other);
        }
        return merged;
    }

    /** Books the difference between the refunded total known and the total booked, once the sale is known. */
    private static PaymentRecord bookRefundedTotal(PaymentRecord record, PaymentChange change, StripeEvent event) {
        RefundState refunds = record.refunds();
        if (refunds.target() == refunds.booked()) {
            return record;
        }
        boolean refundNews = change.refundStripeId() != null;
        Instant at = refundNews ? change.eventTime() : Instant.ofEpochSecond(refunds.latestAt());
        return record.withRefundStep(new RefundStep(Math.toIntExact(refunds.version() + 1), refunds.booked(), refunds.target(), at,
                refundNews ? change.refundStripeId() : record.key(), event.id()));
    }

    /**
     * The lines to write. A booked line a statement has already counted is never taken out: when a
     * better description changes a payment's lines after its statement went out, the counted lines are
     * reversed and the better ones added, so the next statement carries the correction.
     */
    private LineDecision lineChanges(Agreement agreement, PaymentRecord record, Description best, Instant now, String eventId) {
        Sale sale = PaymentLines.sale(agreement, record.ids(), best, now);
        Changes changes = PaymentLines.changes(record.booked(), PaymentLines.expected(agreement, record, sale, now));
        if (changes.remove().isEmpty()) {
            return new LineDecision(changes, null);
        }
        Optional<Instant> closed = store.lastClosedAt(agreement.id());
        Booking.Counted counted = new Booking.Counted(agreement.id(), now, true, closed.orElse(null));
        List<LedgerLine> issued = closed.map(at -> changes.remove().stream().filter(line -> !line.recordedAt().isAfter(at))
                .toList()).orElse(List.of());
        return new LineDecision(issued.isEmpty() ? changes
                : PaymentLines.reversing(changes, issued, record.version() + 1, eventId, now), counted);
    }

    /** The lines to write, and the statements' close they were judged against when they take lines out. */
    private record LineDecision(Changes lines, Booking.Counted counted) {}

    private static boolean hasMoney(PaymentRecord record) {
        return record.refunds().target() != 0 || !record.refunds().refunds().isEmpty() || !record.disputes().isEmpty();
    }

    private static boolean sameContent(PaymentRecord a, PaymentRecord b) {
        return a.ids().equals(b.ids()) && a.descriptions().equals(b.descriptions()) && a.refunds().equals(b.refunds())
                && a.refundSteps().equals(b.refundSteps()) && a.disputes().equals(b.disputes())
                && a.booked().equals(b.booked()) && java.util.Objects.equals(a.waitingSince(), b.waitingSince());
    }

    private static String detail(Outcome outcome, PaymentChange change, PaymentRecord after, Changes lines) {
        String payment = change.what() + " " + after.key();
        return switch (outcome) {
            case RECORDED -> "recorded " + payment + ": " + lines.add().size() + " line(s)"
                    + (lines.remove().isEmpty() ? "" : ", replacing " + lines.remove().size() + " provisional line(s)");
            case PENDING -> payment + " kept until its payment arrives";
            case LINKED -> "ids " + after.ids() + " of one payment noted; nothing to book yet";
            default -> payment + ": nothing new";
        };
    }

    private static void backOff(int round) {
        if (round < 2) {
            return;
        }
        try {
            Thread.sleep(Math.min(200, 5L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while another delivery of the payment was being written", e);
        }
    }
}
