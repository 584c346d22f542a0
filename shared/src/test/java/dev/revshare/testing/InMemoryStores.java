package dev.revshare.testing;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.ingest.Booking;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventReceipt;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StatementStore;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * revshare's stores in memory, for the fast layer of tests: the same answers as the DynamoDB
 * repositories (BookingStoreContract runs against both), including the conditions of a booking and
 * DynamoDB's refusal of a transaction that touches one item twice.
 */
public final class InMemoryStores {
    private final Agreements agreements = new Agreements();
    private final Bookings bookings = new Bookings();
    private final Ledger ledger = new Ledger();
    private final Statements statements = new Statements();

    // one lock for all: a booking and the reads it races with see one state
    private final Object lock = new Object();
    private final Map<String, Agreement> agreementsById = new TreeMap<>();
    private final Map<String, Instant> firstApplied = new HashMap<>();
    private final Map<String, EventReceipt> receipts = new HashMap<>();
    /** "agreement#id" → a record (under its key) or a link (the key it points at) */
    private final Map<String, Object> payments = new HashMap<>();
    private final Map<String, Map<String, Instant>> waiting = new HashMap<>();
    /** agreement → "recordedAt#lineId" → line */
    private final Map<String, TreeMap<String, LedgerLine>> lines = new HashMap<>();
    private final Map<String, SetAsideEvent> setAside = new LinkedHashMap<>();
    private final Map<String, Map<String, ReviewResolution>> resolutions = new HashMap<>();
    private final Map<String, TreeMap<String, StatementStore.StoredStatement>> statementsByAgreement = new HashMap<>();
    private final Map<String, Instant> closing = new HashMap<>();
    private final Map<String, Instant> nothingLate = new HashMap<>();
    /** "agreement#yyyy-MM" → the proof of its reconciliation, as the RECONCILED# items (kept as their JSON) */
    private final Map<String, String> reconciliations = new HashMap<>();
    /** "agreement#yyyy-MM#nnn" → a payout, as the PAYOUT# items (kept as their JSON, in key order) */
    private final Map<String, String> payouts = new java.util.TreeMap<>();
    /** message id → {agreementId, period}, as the MESSAGE# items */
    private final Map<String, String[]> messages = new HashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Map<String, Instant> claimedAt = new HashMap<>();

    public AgreementStore agreements() {
        return agreements;
    }

    public BookingStore bookings() {
        return bookings;
    }

    public LedgerStore ledger() {
        return ledger;
    }

    public StatementStore statements() {
        return statements;
    }

    private static String paymentKey(String agreementId, String id) {
        return agreementId + "#" + id;
    }

    private static String lineKey(LedgerLine line) {
        return line.recordedAt() + "#" + line.lineId();
    }

    private final class Agreements implements AgreementStore {
        @Override
        public void put(Agreement agreement, Instant appliedAt) {
            synchronized (lock) {
                agreementsById.put(agreement.id(), agreement);
                firstApplied.putIfAbsent(agreement.id(), appliedAt);
            }
        }

        @Override
        public Optional<Agreement> find(String agreementId) {
            synchronized (lock) {
                return Optional.ofNullable(agreementsById.get(agreementId));
            }
        }

        @Override
        public List<Agreement> all() {
            synchronized (lock) {
                return List.copyOf(agreementsById.values());
            }
        }

        @Override
        public Optional<Instant> firstAppliedAt(String agreementId) {
            synchronized (lock) {
                return Optional.ofNullable(firstApplied.get(agreementId));
            }
        }
    }

    private final class Bookings implements BookingStore {
        @Override
        public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
            synchronized (lock) {
                Map<String, PaymentRecord> found = new TreeMap<>();
                for (String id : anyIds) {
                    Object item = payments.get(paymentKey(agreementId, id));
                    if (item instanceof String link) {
                        item = payments.get(paymentKey(agreementId, link));
                    }
                    if (item instanceof PaymentRecord record) {
                        found.put(record.key(), record);
                    }
                }
                return List.copyOf(found.values());
            }
        }

        @Override
        public Optional<EventReceipt> receipt(String eventId) {
            synchronized (lock) {
                return Optional.ofNullable(receipts.get(eventId));
            }
        }

        @Override
        public Written write(Booking booking) {
            synchronized (lock) {
                refuseTwoOperationsOnOneItem(booking);
                if (!conditionsHold(booking)) {
                    return Written.CONFLICT;
                }
                apply(booking);
                return Written.WRITTEN;
            }
        }

        private boolean conditionsHold(Booking booking) {
            if (booking.receipt() != null && receipts.containsKey(booking.receipt().eventId())) {
                return false;
            }
            if (booking.counted() != null && !closeAllows(booking.counted())) {
                return false;
            }
            PaymentRecord record = booking.record();
            boolean keyWasRead = false;
            Set<String> allowedTargets = new HashSet<>();
            for (PaymentRecord read : booking.expected()) {
                Object stored = payments.get(paymentKey(read.agreementId(), read.key()));
                if (!(stored instanceof PaymentRecord current) || current.version() != read.version()) {
                    return false;
                }
                keyWasRead |= record != null && read.key().equals(record.key());
                allowedTargets.add(read.key());
            }
            if (record == null) {
                return true;
            }
            allowedTargets.add(record.key());
            if (!keyWasRead && payments.containsKey(paymentKey(record.agreementId(), record.key()))) {
                return false;
            }
            for (String id : booking.linkIds()) {
                Object stored = payments.get(paymentKey(record.agreementId(), id));
                if (stored != null && !(stored instanceof String link && allowedTargets.contains(link))) {
                    return false;
                }
            }
            return !Boolean.TRUE.equals(booking.waiting())
                    || !waiting.getOrDefault(record.agreementId(), Map.of()).containsKey(record.key());
        }

        private void apply(Booking booking) {
            if (booking.receipt() != null) {
                receipts.put(booking.receipt().eventId(), booking.receipt());
            }
            PaymentRecord record = booking.record();
            if (record != null) {
                for (PaymentRecord read : booking.expected()) {
                    if (!read.key().equals(record.key())) {
                        payments.put(paymentKey(read.agreementId(), read.key()), record.key());
                        if (read.waitingSince() != null) {
                            waiting.getOrDefault(read.agreementId(), new HashMap<>()).remove(read.key());
                        }
                    }
                }
                payments.put(paymentKey(record.agreementId(), record.key()), record);
                booking.linkIds().forEach(id -> payments.put(paymentKey(record.agreementId(), id), record.key()));
                if (booking.waiting() != null) {
                    Map<String, Instant> agreementWaiting = waiting.computeIfAbsent(record.agreementId(), k -> new HashMap<>());
                    if (booking.waiting()) {
                        agreementWaiting.put(record.key(), record.waitingSince());
                    } else {
                        agreementWaiting.remove(record.key());
                    }
                }
            }
            for (LedgerLine line : booking.add()) {
                lines.computeIfAbsent(line.agreementId(), k -> new TreeMap<>()).put(lineKey(line), line);
            }
            for (LedgerLine line : booking.remove()) {
                lines.getOrDefault(line.agreementId(), new TreeMap<>()).remove(lineKey(line));
            }
            if (booking.setAside() != null) {
                setAside.put(booking.setAside().eventId(), booking.setAside());
            }
        }

        /** As DynamoDbBookings' condition on the agreement's closing mark. */
        private boolean closeAllows(Booking.Counted counted) {
            Instant closingAt = closing.get(counted.agreementId());
            boolean beforeTheLines = closingAt == null || closingAt.isBefore(counted.linesRecordedAt());
            return counted.takesOut() ? Objects.equals(closingAt, counted.lastClosedAt()) && beforeTheLines : beforeTheLines;
        }

        /** DynamoDB refuses a transaction that names one item twice (a ValidationException): so does this. */
        private void refuseTwoOperationsOnOneItem(Booking booking) {
            Set<String> items = new HashSet<>();
            List<String> named = new ArrayList<>();
            if (booking.record() != null) {
                String agreement = booking.record().agreementId();
                named.add("payment " + paymentKey(agreement, booking.record().key()));
                booking.expected().stream().filter(r -> !r.key().equals(booking.record().key()))
                        .forEach(r -> named.add("payment " + paymentKey(agreement, r.key())));
                booking.linkIds().forEach(id -> named.add("payment " + paymentKey(agreement, id)));
            }
            booking.add().forEach(line -> named.add("line " + line.agreementId() + lineKey(line)));
            booking.remove().forEach(line -> named.add("line " + line.agreementId() + lineKey(line)));
            for (String item : named) {
                if (!items.add(item)) {
                    throw new IllegalStateException("a booking may not name one item twice: " + item);
                }
            }
            if (booking.size() > 100) {
                throw new IllegalStateException("a booking of " + booking.size() + " items is more than a transaction holds");
            }
        }

        @Override
        public void setAside(SetAsideEvent event) {
            synchronized (lock) {
                setAside.put(event.eventId(), event);
            }
        }

        @Override
        public Optional<Instant> lastClosedAt(String agreementId) {
            synchronized (lock) {
                return Optional.ofNullable(closing.get(agreementId));
            }
        }
    }

    private final class Ledger implements LedgerStore {
        @Override
        public List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to) {
            synchronized (lock) {
                List<LedgerLine> found = new ArrayList<>();
                for (LedgerLine line : lines.getOrDefault(agreementId, new TreeMap<>()).values()) {
                    if (!line.recordedAt().isBefore(from) && !line.recordedAt().isAfter(to)) {
                        found.add(line);
                    }
                }
                found.sort(Comparator.comparing(LedgerLine::recordedAt).thenComparing(LedgerLine::lineId));
                return found;
            }
        }

        @Override
        public void resolve(ReviewResolution resolution) {
            synchronized (lock) {
                resolutions.computeIfAbsent(resolution.agreementId(), k -> new TreeMap<>()).put(resolution.saleId(), resolution);
            }
        }

        @Override
        public List<ReviewResolution> resolutions(String agreementId) {
            synchronized (lock) {
                return List.copyOf(resolutions.getOrDefault(agreementId, Map.of()).values());
            }
        }

        @Override
        public List<SetAsideEvent> setAside() {
            synchronized (lock) {
                List<SetAsideEvent> events = new ArrayList<>(setAside.values());
                events.sort(Comparator.comparing(SetAsideEvent::receivedAt));
                return events;
            }
        }

        @Override
        public List<WaitingPayment> waiting(String agreementId) {
            synchronized (lock) {
                List<WaitingPayment> found = new ArrayList<>();
                waiting.getOrDefault(agreementId, Map.of()).forEach((key, since) -> found.add(new WaitingPayment(agreementId, key, since)));
                found.sort(Comparator.comparing(WaitingPayment::since).thenComparing(WaitingPayment::paymentKey));
                return found;
            }
        }
    }

    private final class Statements implements StatementStore {
        @Override
        public Optional<StoredStatement> find(String agreementId, YearMonth period) {
            synchronized (lock) {
                return Optional.ofNullable(statementsByAgreement.getOrDefault(agreementId, new TreeMap<>()).get(period.toString()));
            }
        }

        /** As the DynamoDB store: the header alone, so that code reading it cannot rely on lines it does not carry. */
        @Override
        public Optional<StoredStatement> findWithoutLines(String agreementId, YearMonth period) {
            return find(agreementId, period).map(s -> {
                Statement header = s.statement().withLines(List.of());
                return new StoredStatement(header, s.status(), s.messages(), s.sentAt(), s.attempts(), s.error(), s.announced(),
                        s.deliveries(), s.resends());
            });
        }

        @Override
        public List<StoredStatement> unfinished(String agreementId) {
            synchronized (lock) {
                List<StoredStatement> unfinished = new ArrayList<>();
                for (String period : statementsByAgreement.getOrDefault(agreementId, new TreeMap<>()).keySet()) {
                    StoredStatement header = findWithoutLines(agreementId, YearMonth.parse(period)).orElseThrow();
                    if (header.status() != Status.SENT || !header.announced()) {
                        unfinished.add(header);
                    }
                }
                return unfinished;
            }
        }

        @Override
        public Optional<StoredStatement> latestAfter(String agreementId, YearMonth month) {
            synchronized (lock) {
                var later = statementsByAgreement.getOrDefault(agreementId, new TreeMap<>()).tailMap(month.toString(), false);
                return later.isEmpty() ? Optional.empty() : findWithoutLines(agreementId, YearMonth.parse(later.lastKey()));
            }
        }

        @Override
        public Optional<Instant> nothingLateUntil(String agreementId) {
            synchronized (lock) {
                return Optional.ofNullable(nothingLate.get(agreementId));
            }
        }

        @Override
        public void noteNothingLateUntil(String agreementId, Instant until) {
            synchronized (lock) {
                nothingLate.merge(agreementId, until, (was, now) -> now.isAfter(was) ? now : was);
            }
        }

        @Override
        public void storeReconciliation(String agreementId, YearMonth month, Statement.Reconciliation proof) {
            synchronized (lock) {
                reconciliations.put(agreementId + "#" + month, Json.write(proof));
            }
        }

        @Override
        public Optional<Statement.Reconciliation> reconciliation(String agreementId, YearMonth month) {
            synchronized (lock) {
                return Optional.ofNullable(reconciliations.get(agreementId + "#" + month))
                        .map(json -> Json.read(json, Statement.Reconciliation.class));
            }
        }

        @Override
        public List<Payout> payouts(String agreementId) {
            synchronized (lock) {
                return payouts.entrySet().stream().filter(e -> e.getKey().startsWith(agreementId + "#"))
                        .map(e -> Json.read(e.getValue(), Payout.class)).toList();
            }
        }

        @Override
        public boolean recordPayout(Payout payout) {
            synchronized (lock) {
                return payouts.putIfAbsent(payoutKey(payout), Json.write(payout)) == null;
            }
        }

        @Override
        public boolean settlePayout(Payout settled) {
            synchronized (lock) {
                String stored = payouts.get(payoutKey(settled));
                if (stored == null || Json.read(stored, Payout.class).status() != Payout.Status.SUBMITTED) {
                    return false;
                }
                payouts.put(payoutKey(settled), Json.write(settled));
                return true;
            }
        }

        private static String payoutKey(Payout payout) {
            return payout.agreementId() + "#" + payout.period() + "#" + String.format("%03d", payout.number());
        }

        @Override
        public void beginClosing(String agreementId, Instant closedAt) {
            synchronized (lock) {
                closing.merge(agreementId, closedAt, (was, now) -> now.isAfter(was) ? now : was);
            }
        }

        @Override
        public boolean create(Statement statement) {
            synchronized (lock) {
                TreeMap<String, StoredStatement> stored = statementsByAgreement.computeIfAbsent(statement.agreementId(),
                        k -> new TreeMap<>());
                String period = statement.period().toString();
                if (stored.containsKey(period)) {
                    return false;
                }
                stored.put(period, new StoredStatement(statement, Status.COMPUTED, null, null, 0, null, false));
                return true;
            }
        }

        @Override
        public boolean claimForSending(String agreementId, YearMonth period, String claimId, Instant now, Duration lease) {
            synchronized (lock) {
                StoredStatement s = find(agreementId, period).orElse(null);
                String at = agreementId + "#" + period;
                boolean free = s != null && (s.status() == Status.COMPUTED || s.status() == Status.FAILED
                        || s.status() == Status.SENDING && claimedAt.get(at).isBefore(now.minus(lease)));
                if (!free) {
                    return false;
                }
                claims.put(at, claimId);
                claimedAt.put(at, now);
                replace(new StoredStatement(s.statement(), Status.SENDING, s.messages(), s.sentAt(), s.attempts() + 1,
                        s.error(), s.announced(), s.deliveries(), s.resends()));
                return true;
            }
        }

        @Override
        public boolean markPartySent(String agreementId, YearMonth period, String claimId, Side side, String messageId) {
            synchronized (lock) {
                messages.put(messageId, new String[] {agreementId, period.toString()});
                StoredStatement s = claimed(agreementId, period, claimId);
                if (s == null) {
                    return false;
                }
                replace(new StoredStatement(s.statement(), s.status(), s.messages().with(side, messageId), s.sentAt(),
                        s.attempts(), s.error(), s.announced(), s.deliveries(), s.resends()));
                return true;
            }
        }

        @Override
        public boolean markSent(String agreementId, YearMonth period, String claimId, Instant sentAt) {
            synchronized (lock) {
                StoredStatement s = claimed(agreementId, period, claimId);
                if (s == null) {
                    return false;
                }
                replace(new StoredStatement(s.statement(), Status.SENT, s.messages(), sentAt, s.attempts(), null, s.announced(),
                        s.deliveries(), s.resends()));
                return true;
            }
        }

        @Override
        public boolean markAnnounced(String agreementId, YearMonth period, Instant announcedAt) {
            synchronized (lock) {
                StoredStatement s = find(agreementId, period).orElse(null);
                if (s == null || s.status() != Status.SENT || s.announced()) {
                    return false;
                }
                replace(new StoredStatement(s.statement(), s.status(), s.messages(), s.sentAt(), s.attempts(), s.error(), true,
                        s.deliveries(), s.resends()));
                return true;
            }
        }

        @Override
        public boolean markFailed(String agreementId, YearMonth period, String claimId, String error, Instant failedAt) {
            synchronized (lock) {
                StoredStatement s = claimed(agreementId, period, claimId);
                if (s == null) {
                    return false;
                }
                replace(new StoredStatement(s.statement(), Status.FAILED, s.messages(), s.sentAt(), s.attempts(),
                        error == null ? "unknown error" : error, s.announced(), s.deliveries(), s.resends()));
                return true;
            }
        }

        @Override
        public DeliveryRecording recordDelivery(Delivery delivery) {
            synchronized (lock) {
                String[] statement = messages.get(delivery.messageId());
                if (statement == null) {
                    return DeliveryRecording.UNKNOWN_MESSAGE;
                }
                StoredStatement s = find(statement[0], YearMonth.parse(statement[1])).orElseThrow();
                if (s.deliveries().stream().anyMatch(d -> d.eventId().equals(delivery.eventId()))) {
                    return DeliveryRecording.DUPLICATE;
                }
                List<Delivery> deliveries = new ArrayList<>(s.deliveries());
                deliveries.add(delivery);
                replace(new StoredStatement(s.statement(), s.status(), s.messages(), s.sentAt(), s.attempts(), s.error(),
                        s.announced(), deliveries, s.resends()));
                return DeliveryRecording.RECORDED;
            }
        }

        @Override
        public boolean recordResend(String agreementId, YearMonth period, Resend resend) {
            synchronized (lock) {
                messages.put(resend.messageId(), new String[] {agreementId, period.toString()});
                StoredStatement s = find(agreementId, period).orElse(null);
                if (s == null || s.status() != Status.SENT) {
                    return false;
                }
                List<Resend> resends = new ArrayList<>(s.resends());
                resends.add(resend);
                replace(new StoredStatement(s.statement(), s.status(), s.messages(), s.sentAt(), s.attempts(), s.error(),
                        s.announced(), s.deliveries(), resends));
                return true;
            }
        }

        private StoredStatement claimed(String agreementId, YearMonth period, String claimId) {
            StoredStatement s = find(agreementId, period).orElse(null);
            return s != null && s.status() == Status.SENDING && claimId.equals(claims.get(agreementId + "#" + period)) ? s : null;
        }

        private void replace(StoredStatement statement) {
            statementsByAgreement.get(statement.statement().agreementId()).put(statement.statement().period().toString(), statement);
        }
    }
}
