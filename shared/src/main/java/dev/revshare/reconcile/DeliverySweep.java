package dev.revshare.reconcile;

import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.EventRouter;
import dev.revshare.reconcile.SweepReport.AccountSweep;
import dev.revshare.reconcile.SweepReport.Disposition;
import dev.revshare.reconcile.SweepReport.EndpointCheck;
import dev.revshare.reconcile.SweepReport.EndpointStatus;
import dev.revshare.reconcile.SweepReport.SweptEvent;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.stripe.EventDeliveries;
import dev.revshare.stripe.ListingFailedException;
import dev.revshare.stripe.StripeApiEvents;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiKeys.ApiKey;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The daily sweep: the events Stripe failed to deliver ({@code delivery_success=false}, within the 30 days Stripe
 * keeps them) are booked through the webhook's own booking path ({@link EventRouter}): the same event, parsed as
 * the webhook parses it, so the same classification and the same exactly-once keys (the event's id is the
 * webhook's: a later delivery of it is a duplicate, and sweeping again books nothing twice). And the webhook
 * endpoints are checked: one with revshare's URL that Stripe disabled, or none at all, means nothing is delivered.
 *
 * <p>An account's events are listed once, for every agreement it serves, with their key: a Connect platform's key on
 * behalf of each connected account (routed by the event's account, as the platform's endpoint routes them), an
 * expert's own key for their account (routed to their agreement, as their own endpoint does). A listing is all or
 * nothing: one that fails books nothing for its account, is reported, and the other accounts go on.
 */
public final class DeliverySweep {
    /** Stripe keeps events for 30 days: older ones are not listed. */
    public static final Duration STRIPE_KEEPS_EVENTS = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(DeliverySweep.class);

    private final AgreementStore agreements;
    private final BookingStore bookings;
    private final EventRouter router;
    private final StripeApiKeys keys;
    private final EventDeliveries stripe;
    private final String webhookUrl;
    private final Clock clock;

    /**
     * @param router     the booking path of the webhook, wired as the webhook's (with its Stripe lookups)
     * @param webhookUrl the stack's WebhookUrl (the endpoints are {@code <it>stripe} and {@code <it>stripe/<agreementId>}),
     *                   or null: the endpoints are not checked
     */
    public DeliverySweep(AgreementStore agreements, BookingStore bookings, EventRouter router, StripeApiKeys keys,
                         EventDeliveries stripe, String webhookUrl, Clock clock) {
        this.agreements = agreements;
        this.bookings = bookings;
        this.router = router;
        this.keys = keys;
        this.stripe = stripe;
        this.webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null
                : webhookUrl.strip().endsWith("/") ? webhookUrl.strip() : webhookUrl.strip() + "/";
        this.clock = clock;
    }

    /**
     * The sweep as revshare runs it: Stripe read with each agreement's read-only key, what was not delivered booked
     * by a router wired as the webhook's (the same key completes what an event lacks, as the webhook's lookups do).
     *
     * @param apiBase    Stripe's API, or another that speaks it (stripe-mock, a fake); null for Stripe's
     * @param webhookUrl the stack's WebhookUrl output, or null: the endpoints are not checked
     */
    public static DeliverySweep withStripeApi(AgreementStore agreements, BookingStore bookings, StripeApiKeys keys,
                                              String apiBase, String webhookUrl, Clock clock) {
        EventRouter router = new EventRouter(agreements, bookings, new StripeApiLookup(keys, apiBase), clock);
        return new DeliverySweep(agreements, bookings, router, keys, new StripeApiEvents(apiBase), webhookUrl, clock);
    }

    /** Told how a long sweep is going. */
    public interface Progress {
        /** An account's listing begins. */
        default void sweeping(List<String> agreementIds, String account) {}

        default void listed(int pages, int events) {}

        default void routed(int done, int of) {}

        Progress NONE = new Progress() {};
    }

    /** Everything Stripe keeps (30 days back from {@code now}). */
    public SweepReport sweep(Instant now, boolean dryRun, Progress progress) {
        return sweep(now, STRIPE_KEEPS_EVENTS, dryRun, progress);
    }

    /**
     * @param lookBack how far back to list undelivered events: more than nothing, at most Stripe's 30 days
     * @param dryRun   list and check only: book nothing (an event is said to be booked already when it has a receipt)
     */
    public SweepReport sweep(Instant now, Duration lookBack, boolean dryRun, Progress progress) {
        if (lookBack.isNegative() || lookBack.isZero() || lookBack.compareTo(STRIPE_KEEPS_EVENTS) > 0) {
            throw new IllegalArgumentException("the sweep looks back more than nothing and at most "
                    + STRIPE_KEEPS_EVENTS.toDays() + " days (Stripe keeps events that long), not " + lookBack);
        }
        Instant since = now.minus(lookBack).truncatedTo(ChronoUnit.SECONDS); // Stripe's created[gte] is in seconds
        List<Agreement> all;
        try {
            all = agreements.all();
        } catch (StoreUnavailableException e) {
            log.error("delivery sweep: the agreements could not be read; nothing swept", e);
            return new SweepReport(clock.instant(), since, dryRun, "the store failed while reading the agreements ("
                    + e.getMessage() + "); nothing was swept", List.of(), List.of(), List.of());
        }

        // one listing per account: agreements sharing a key and an account share it
        Map<ApiKey, List<Agreement>> byKey = new LinkedHashMap<>();
        List<String> notConfigured = new ArrayList<>();
        List<AccountSweep> accounts = new ArrayList<>();
        for (Agreement agreement : all) {
            ApiKey key;
            try {
                key = keys.keyFor(agreement);
            } catch (RuntimeException e) { // SSM failed: this agreement's key is unknown, the others go on
                log.error("delivery sweep: the Stripe API key of agreement {} could not be read", agreement.id(), e);
                accounts.add(new AccountSweep(List.of(agreement.id()), agreement.stripeAccount(),
                        "its Stripe API key could not be read (" + e.getMessage() + "); nothing was swept", 0, List.of()));
                continue;
            }
            if (key == null) {
                notConfigured.add(agreement.id());
            } else {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(agreement);
            }
        }
        byKey.forEach((key, served) -> accounts.add(sweepAccount(key, served, since, dryRun, progress)));
        List<EndpointCheck> endpoints = checkEndpoints(byKey);

        SweepReport report = new SweepReport(clock.instant(), since, dryRun, null, accounts, endpoints, notConfigured);
        if (report.ok()) {
            log.info(report.headline());
        } else {
            log.warn(report.headline());
        }
        return report;
    }

    private AccountSweep sweepAccount(ApiKey key, List<Agreement> served, Instant since, boolean dryRun, Progress progress) {
        List<String> ids = served.stream().map(Agreement::id).toList();
        progress.sweeping(ids, key.onBehalfOf());
        int[] pages = {0};
        List<String> undelivered;
        try {
            undelivered = stripe.undelivered(key, since, (p, count) -> {
                pages[0] = p;
                progress.listed(p, count);
            });
        } catch (ListingFailedException e) {
            log.error("delivery sweep of {}: {}; nothing booked", ids, e.getMessage(), e);
            return new AccountSweep(ids, key.onBehalfOf(), e.getMessage() + "; nothing was booked", pages[0], List.of());
        }
        // a platform's key: routed by the event's account, as the platform's endpoint does; an own key: to its agreement
        String routeTo = key.onBehalfOf() != null ? null : ids.get(0);
        List<SweptEvent> events = new ArrayList<>();
        for (String json : undelivered) {
            events.add(dryRun ? look(json) : book(routeTo, json));
            progress.routed(events.size(), undelivered.size());
        }
        return new AccountSweep(ids, key.onBehalfOf(), null, pages[0], events);
    }

    /** Through the webhook's booking path, parsed as the webhook parses a delivery. */
    private SweptEvent book(String routeTo, String json) {
        StripeEvent event;
        try {
            event = StripeEvent.parse(json);
        } catch (StripeEvent.MalformedEventException e) {
            log.warn("delivery sweep: Stripe listed an event the webhook would refuse: {}", e.getMessage());
            return new SweptEvent(null, null, null, Disposition.FAILED, null, "not booked: " + e.getMessage());
        }
        try {
            BookingResult result = router.route(routeTo, event);
            return new SweptEvent(event.id(), event.type(), event.created(), Disposition.of(result.outcome()), result.outcome(),
                    result.message());
        } catch (RuntimeException e) {
            // a fault in revshare itself: this event is not booked (a booking is one write), the others go on
            log.error("delivery sweep: booking event {} ({}) failed", event.id(), event.type(), e);
            return new SweptEvent(event.id(), event.type(), event.created(), Disposition.FAILED, BookingResult.Outcome.FAILED,
                    "failed: " + e.getMessage());
        } finally {
            MDC.remove(EventRouter.LOG_EVENT_ID);
            MDC.remove(EventRouter.LOG_EVENT_TYPE);
            MDC.remove(EventRouter.LOG_AGREEMENT_ID);
        }
    }

    /** A dry run: whether the ledger has the event's receipt (its webhook came, or a sweep booked it). */
    private SweptEvent look(String json) {
        StripeEvent event;
        try {
            event = StripeEvent.parse(json);
        } catch (StripeEvent.MalformedEventException e) {
            return new SweptEvent(null, null, null, Disposition.FAILED, null, "cannot be booked: " + e.getMessage());
        }
        try {
            boolean received = bookings.receipt(event.id()).isPresent();
            return new SweptEvent(event.id(), event.type(), event.created(),
                    received ? Disposition.DUPLICATE : Disposition.NOT_RECEIVED, null,
                    received ? "already booked" : "not received yet: a sweep books it");
        } catch (StoreUnavailableException e) {
            log.error("delivery sweep (dry run): the receipt of event {} could not be read", event.id(), e);
            return new SweptEvent(event.id(), event.type(), event.created(), Disposition.FAILED, null,
                    "the store failed: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- webhook endpoints

    /**
     * A Connect platform's key: its endpoints are the platform's, and revshare's is {@code <WebhookUrl>stripe}, for every
     * agreement read with that key. An expert's own key: revshare's is {@code <WebhookUrl>stripe/<agreementId>}.
     * Each key's endpoints are listed once.
     */
    private List<EndpointCheck> checkEndpoints(Map<ApiKey, List<Agreement>> byKey) {
        Map<ApiKey, List<String>> platforms = new LinkedHashMap<>();
        Map<ApiKey, List<String>> own = new LinkedHashMap<>();
        byKey.forEach((key, served) -> {
            List<String> ids = served.stream().map(Agreement::id).toList();
            if (key.onBehalfOf() != null) {
                platforms.computeIfAbsent(new ApiKey(key.secret(), null), k -> new ArrayList<>()).addAll(ids);
            } else {
                own.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ids);
            }
        });
        List<EndpointCheck> checks = new ArrayList<>();
        Map<ApiKey, Listed> listed = new LinkedHashMap<>();
        platforms.forEach((key, ids) -> checks.add(check(ids, "stripe", key, listed)));
        own.forEach((key, ids) -> ids.forEach(id -> checks.add(check(List.of(id), "stripe/" + id, key, listed))));
        return checks;
    }

    /** A key's endpoints, or what failed. */
    private record Listed(List<EventDeliveries.Endpoint> endpoints, String problem) {}

    private EndpointCheck check(List<String> ids, String path, ApiKey key, Map<ApiKey, Listed> listed) {
        if (webhookUrl == null) {
            return new EndpointCheck(ids, null, EndpointStatus.NOT_CHECKED, null, List.of(),
                    "no webhook URL to look for: the endpoints were not checked");
        }
        String expected = webhookUrl + path;
        Listed listing = listed.computeIfAbsent(key, this::endpoints);
        if (listing.problem() != null) {
            return new EndpointCheck(ids, expected, EndpointStatus.FAILED, null, List.of(), listing.problem());
        }
        List<EventDeliveries.Endpoint> ours = listing.endpoints().stream().filter(e -> sameUrl(e.url(), expected)).toList();
        EventDeliveries.Endpoint enabled = ours.stream().filter(EventDeliveries.Endpoint::enabled).findFirst().orElse(null);
        if (enabled != null) {
            List<String> notSubscribed = EventRouter.bookedTypes().stream().filter(type -> !enabled.receives(type)).toList();
            return new EndpointCheck(ids, expected, EndpointStatus.ENABLED, enabled.id(), notSubscribed, null);
        }
        if (!ours.isEmpty()) {
            return new EndpointCheck(ids, expected, EndpointStatus.DISABLED, ours.get(0).id(), List.of(), "Stripe's endpoint "
                    + ours.get(0).id() + " for " + expected + " is disabled: Stripe delivers nothing to revshare. Enable it in "
                    + "the Stripe Dashboard (Developers > Webhooks); meanwhile the sweep books what Stripe could not deliver");
        }
        return new EndpointCheck(ids, expected, EndpointStatus.MISSING, null, List.of(), "no Stripe webhook endpoint of "
                + "this account has revshare's URL " + expected + " (" + listing.endpoints().size() + " other endpoint(s)): "
                + "Stripe delivers nothing to revshare. Add it in the Stripe Dashboard (Developers > Webhooks)");
    }

    private Listed endpoints(ApiKey key) {
        try {
            return new Listed(stripe.webhookEndpoints(key), null);
        } catch (ListingFailedException e) {
            log.error("delivery sweep: {}", e.getMessage(), e);
            return new Listed(List.of(), e.getMessage());
        }
    }

    private static boolean sameUrl(String listed, String expected) {
        return trimmed(listed).equalsIgnoreCase(trimmed(expected));
    }

    private static String trimmed(String url) {
        return url.strip().replaceAll("/+$", "");
    }
}
