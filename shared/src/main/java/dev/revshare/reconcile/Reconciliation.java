package dev.revshare.reconcile;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventRouter;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.reconcile.Comparison.Difference;
import dev.revshare.reconcile.ReconciliationReport.Booked;
import dev.revshare.reconcile.ReconciliationReport.Status;
import dev.revshare.reconcile.ReconciliationReport.Timings;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.stripe.BalanceTransaction;
import dev.revshare.stripe.BalanceTransactions;
import dev.revshare.stripe.ListingFailedException;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an agreement's month with Stripe: lists what Stripe recorded for the agreement's account
 * ({@link BalanceTransactions}), compares it with the ledger ({@link LedgerMatcher}), books what the ledger lacks
 * through the webhook's own booking path ({@link EventRouter}, with the event the webhook would have delivered,
 * {@link MissedDeliveries}), and keeps for a person what the ledger has and Stripe does not, or with another
 * amount: those lines are never deleted or changed.
 *
 * <p>Nothing is booked until Stripe's whole listing is in: a listing that fails part-way books nothing, and the
 * next run starts again. Each movement booked is one booking, complete or not written at all, under the same
 * exactly-once keys as its webhook: a run stopped half-way, a second run, and the late webhook itself add nothing
 * twice. The single entry point is {@link #reconcile}, for the command line now and the statement run later.
 */
public final class Reconciliation {
    /** Stripe's balance transaction and the event booked for it can straddle midnight by a few seconds. */
    static final Duration LISTED_BEFORE = Duration.ofDays(1);
    /** A card payment is captured up to a week after it was authorised (its ledger line is dated at authorisation). */
    static final Duration LISTED_AFTER = Duration.ofDays(7);
    /** Lines are recorded after they happen; read from a day before the month as the statements do. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    /** DynamoDB's BatchGetItem takes at most 100 keys. */
    static final int PAYMENTS_PER_READ = 100;
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final LedgerStore ledger;
    private final BookingStore payments;
    private final EventRouter router;
    private final BalanceTransactions stripe;
    private final Clock clock;

    /**
     * @param router the booking path of the webhook, wired as the webhook's (with its Stripe lookups)
     * @param stripe what Stripe recorded, read with the agreement's read-only key
     */
    public Reconciliation(LedgerStore ledger, BookingStore payments, EventRouter router, BalanceTransactions stripe,
                          Clock clock) {
        this.ledger = ledger;
        this.payments = payments;
        this.router = router;
        this.stripe = stripe;
        this.clock = clock;
    }

    /**
     * Reconciliation as revshare runs it: Stripe read with the agreement's read-only key, and what is missing booked
     * by a router wired as the webhook's (the same key completes what an event lacks, as the webhook's lookups do).
     *
     * @param apiBase Stripe's API, or another that speaks it (stripe-mock, a fake); null for Stripe's
     */
    public static Reconciliation withStripeApi(AgreementStore agreements, BookingStore bookings, LedgerStore ledger,
                                               StripeApiKeys keys, String apiBase, Clock clock) {
        EventRouter router = new EventRouter(agreements, bookings, new StripeApiLookup(keys, apiBase), clock);
        return new Reconciliation(ledger, bookings, router, new StripeApiBalanceTransactions(keys, apiBase), clock);
    }

    /** Told how a long reconciliation is going. */
    public interface Progress extends BalanceTransactions.Progress {
        @Override
        default void listed(int pages, int transactions) {}

        default void booked(int done, int of) {}

        Progress NONE = new Progress() {};
    }

    public ReconciliationReport reconcile(Agreement agreement, YearMonth month, boolean dryRun) {
        return reconcile(agreement, month, dryRun, Progress.NONE);
    }

    /**
     * @param dryRun compare only: book nothing, keep nothing
     */
    public ReconciliationReport reconcile(Agreement agreement, YearMonth month, boolean dryRun, Progress progress) {
        Instant at = clock.instant();
        if (!stripe.enabledFor(agreement)) {
            return new ReconciliationReport(agreement.id(), month, at, dryRun, Status.NOT_CONFIGURED,
                    "no Stripe API key is set up for agreement " + agreement.id() + ": its books are not checked against Stripe",
                    0, 0, null, List.of(), null, List.of(), Timings.NONE);
        }
        Instant from = agreement.monthStart(month);
        Instant to = agreement.monthEndExclusive(month);

        long started = System.nanoTime();
        int[] pages = {0};
        int[] transactions = {0};
        List<BalanceTransaction> listed;
        try {
            listed = stripe.list(agreement, from.minus(LISTED_BEFORE), to.plus(LISTED_AFTER), (p, count) -> {
                pages[0] = p;
                transactions[0] = count;
                progress.listed(p, count);
            });
        } catch (ListingFailedException e) {
            log.error("reconciling {} {}: {}; nothing booked", agreement.id(), month, e.getMessage(), e);
            return failed(agreement, month, at, dryRun, pages[0], transactions[0], e.getMessage(),
                    new Timings(Duration.ofNanos(System.nanoTime() - started), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        }
        Duration listing = Duration.ofNanos(System.nanoTime() - started);

        Timer timer = new Timer(listing);
        Comparison found;
        try {
            found = compare(agreement, from, to, listed, timer);
        } catch (StoreUnavailableException e) {
            log.error("reconciling {} {}: the store failed while reading the ledger; nothing booked", agreement.id(), month, e);
            return failed(agreement, month, at, dryRun, pages[0], listed.size(), "the store failed while reading the ledger ("
                    + e.getMessage() + "); nothing was booked", timer.timings());
        }
        if (dryRun) {
            return new ReconciliationReport(agreement.id(), month, at, true, status(found), null, pages[0], listed.size(), found, List.of(),
                    null, List.of(), timer.timings());
        }

        long bookingStarted = System.nanoTime();
        List<Booked> booked = book(agreement, found.differences(Difference.Kind.MISSING_IN_LEDGER), progress);
        timer.booking = timer.booking.plus(Duration.ofNanos(System.nanoTime() - bookingStarted));
        Comparison after = null;
        String problem = null;
        List<String> held = List.of();
        try {
            after = booked.isEmpty() ? null : compare(agreement, from, to, listed, timer);
            held = hold(agreement, month, after != null ? after : found);
        } catch (StoreUnavailableException e) {
            log.error("reconciling {} {}: the store failed after booking", agreement.id(), month, e);
            problem = "the store failed after booking (" + e.getMessage() + "): the differences were not kept for a person;"
                    + " run it again";
        }
        Comparison result = after != null ? after : found;
        Status status = problem == null ? status(result) : Status.DIFFERENCES;
        log.info("reconciled {} {} with Stripe: {} movement(s), {} booked, {} difference(s) left", agreement.id(), month,
                found.stripeMovements(), booked.stream().filter(b -> b.outcome() == BookingResult.Outcome.RECORDED).count(),
                result.differences().size());
        return new ReconciliationReport(agreement.id(), month, at, false, status, problem, pages[0], listed.size(), found, booked, after,
                held, timer.timings());
    }

    private static Status status(Comparison comparison) {
        return comparison.differences().isEmpty() ? Status.RECONCILED : Status.DIFFERENCES;
    }

    private static ReconciliationReport failed(Agreement agreement, YearMonth month, Instant at, boolean dryRun, int pages,
                                               int listed, String problem, Timings timings) {
        return new ReconciliationReport(agreement.id(), month, at, dryRun, Status.FAILED, problem, pages, listed, null, List.of(),
                null, List.of(), timings);
    }

    /** Reads the ledger around the month and the records of every payment involved, then compares. */
    private Comparison compare(Agreement agreement, Instant from, Instant to, List<BalanceTransaction> listed, Timer timer) {
        long started = System.nanoTime();
        List<LedgerLine> lines = ledger.recordedBetween(agreement.id(), from.minus(CLOCK_SKEW), clock.instant()).stream()
                .filter(line -> !line.occurredAt().isBefore(from) && line.occurredAt().isBefore(to)).toList();
        // a payment's record is kept under its payment intent when it has one: one read finds it; its charge (a link
        // to the record) is read only for a payment not found so, or without a payment intent
        Map<String, PaymentRecord> byId = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        List<BalanceTransaction> revenue = listed.stream().filter(transaction -> MovementKind.of(transaction) != null).toList();
        for (BalanceTransaction transaction : revenue) {
            addIfPresent(ids, transaction.paymentIntent() != null ? transaction.paymentIntent() : transaction.charge());
        }
        lines.forEach(line -> ids.add(line.saleId()));
        read(agreement, ids, byId);
        Set<String> charges = new LinkedHashSet<>();
        for (BalanceTransaction transaction : revenue) {
            if (transaction.charge() != null && !byId.containsKey(transaction.charge())
                    && (transaction.paymentIntent() == null || !byId.containsKey(transaction.paymentIntent()))) {
                charges.add(transaction.charge());
            }
        }
        read(agreement, charges, byId);
        long read = System.nanoTime();
        Comparison comparison = LedgerMatcher.compare(from, to, listed, lines, byId::get);
        timer.ledger = timer.ledger.plus(Duration.ofNanos(read - started));
        timer.comparison = timer.comparison.plus(Duration.ofNanos(System.nanoTime() - read));
        return comparison;
    }

    private void read(Agreement agreement, Set<String> ids, Map<String, PaymentRecord> byId) {
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += PAYMENTS_PER_READ) {
            for (PaymentRecord record : payments.payments(agreement.id(), all.subList(i, Math.min(all.size(), i + PAYMENTS_PER_READ)))) {
                record.ids().all().forEach(id -> byId.put(id, record));
            }
        }
    }

    /** Sales first, so that refunds and disputes find their payment booked; then in the order the money moved. */
    private List<Booked> book(Agreement agreement, List<Difference> missing, Progress progress) {
        List<Difference> ordered = missing.stream().sorted(Comparator.comparing((Difference d) -> d.movement().ordinal())
                .thenComparing(Difference::at).thenComparing(Difference::balanceTransaction)).toList();
        List<Booked> booked = new ArrayList<>();
        for (Difference difference : ordered) {
            BalanceTransaction transaction = difference.transaction();
            String eventId = MissedDeliveries.eventId(transaction);
            try {
                StripeEvent event = MissedDeliveries.event(agreement, difference.movement(), transaction);
                BookingResult result = router.route(agreement.id(), event);
                booked.add(new Booked(difference, eventId, result.outcome(), result.message()));
            } catch (IllegalArgumentException | StripeEvent.MalformedEventException e) {
                log.warn("reconciling {}: balance transaction {} cannot be booked: {}", agreement.id(), transaction.id(),
                        e.getMessage());
                booked.add(new Booked(difference, eventId, null, "cannot be booked: " + e.getMessage()));
            } catch (RuntimeException e) {
                // a fault in revshare itself: this movement is not booked (its booking is one write), the others go on
                log.error("reconciling {}: booking balance transaction {} failed", agreement.id(), transaction.id(), e);
                booked.add(new Booked(difference, eventId, BookingResult.Outcome.FAILED, "failed: " + e.getMessage()));
            }
            progress.booked(booked.size(), ordered.size());
        }
        return booked;
    }

    /**
     * What the ledger has and Stripe does not, or with another amount: kept for a person, under an id of its own
     * (keeping it again on the next run is harmless); the ledger's lines stay as they are and keep counting.
     */
    private List<String> hold(Agreement agreement, YearMonth month, Comparison comparison) {
        List<String> held = new ArrayList<>();
        for (Difference difference : comparison.differences()) {
            if (difference.kind() == Difference.Kind.MISSING_IN_LEDGER) {
                continue; // booked above, or reported with why it could not be
            }
            String movement = difference.balanceTransaction() != null ? difference.balanceTransaction() : difference.stripeId();
            String id = "reconciliation-" + agreement.id() + "-" + month + "-" + movement;
            boolean ledgerSide = difference.ledgerAmount() != null;
            String kind = difference.kind().name().toLowerCase(Locale.ROOT);
            payments.setAside(new SetAsideEvent(id, "reconciliation." + kind, agreement.stripeAccount(), difference.at(),
                    clock.instant(), difference.stripeId(), ledgerSide ? difference.ledgerAmount() : difference.stripeAmount(),
                    ledgerSide ? difference.ledgerCurrency() : difference.stripeCurrency(),
                    "reconciling " + agreement.id() + " " + month + " with Stripe: " + difference.movement().label + " "
                            + difference.stripeId() + ": " + difference.detail() + "; the ledger was not changed"));
            held.add(id);
        }
        return held;
    }

    private static void addIfPresent(Set<String> ids, String id) {
        if (id != null) {
            ids.add(id);
        }
    }

    /** Time spent, by step, across both comparisons of a run. */
    private static final class Timer {
        private final Duration listing;
        private Duration ledger = Duration.ZERO;
        private Duration comparison = Duration.ZERO;
        private Duration booking = Duration.ZERO;

        Timer(Duration listing) {
            this.listing = listing;
        }

        Timings timings() {
            return new Timings(listing, ledger, comparison, booking);
        }
    }
}
