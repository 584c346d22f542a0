package dev.revshare.reconcile;

import dev.revshare.ingest.BookingResult;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a daily sweep of Stripe's undelivered events found and did, account by account, and how the webhook
 * endpoints stand. A handler reads its counts for metrics ({@link #eventsBooked()}, {@link #failures()},
 * {@link #endpointProblems()}) and logs {@link #headline()}.
 *
 * @param since         the oldest events listed
 * @param problem       what stopped the whole sweep (the agreements could not be read), or null
 * @param accounts      each account swept: the agreements it serves, its undelivered events and what became of them
 * @param endpoints     each webhook endpoint revshare expects, and how Stripe says it stands
 * @param notConfigured agreements without a Stripe API key: not swept
 */
public record SweepReport(Instant sweptAt, Instant since, boolean dryRun, String problem, List<AccountSweep> accounts,
                          List<EndpointCheck> endpoints, List<String> notConfigured) {

    public SweepReport {
        accounts = List.copyOf(accounts);
        endpoints = List.copyOf(endpoints);
        notConfigured = List.copyOf(notConfigured);
    }

    /** What became of one undelivered event. */
    public enum Disposition {
        /** written through the webhook's booking path: new lines, a refund or dispute kept for its payment, or a link */
        BOOKED,
        /** the ledger had it already (its webhook came after all, or an earlier sweep booked it): nothing new */
        DUPLICATE,
        /** an event type revshare does not book, or nothing paid yet; its receipt is kept, as the webhook does */
        IGNORED,
        /** no agreement claims its account, or it cannot be read: set aside for a person, as the webhook does */
        SET_ASIDE,
        /** not booked (the store or Stripe failed, or a fault in revshare): the next sweep tries it again */
        FAILED,
        /** dry run: no receipt of it yet, so a sweep would book it */
        NOT_RECEIVED;

        static Disposition of(BookingResult.Outcome outcome) {
            return switch (outcome) {
                case RECORDED, PENDING, LINKED -> BOOKED;
                case DUPLICATE -> DUPLICATE;
                case IGNORED -> IGNORED;
                case UNCLAIMED, UNREADABLE -> SET_ASIDE;
                case REJECTED, UNKNOWN_AGREEMENT, STORE_FAILED, STRIPE_UNAVAILABLE, NOT_CONFIGURED, FAILED -> FAILED;
            };
        }
    }

    /**
     * One undelivered event.
     *
     * @param outcome the booking path's answer; null in a dry run, or when the event could not be read
     * @param message the booking path's message, or why it was not booked
     */
    public record SweptEvent(String eventId, String type, Instant created, Disposition disposition,
                             BookingResult.Outcome outcome, String message) {}

    /**
     * One Stripe account's undelivered events, listed once for every agreement it serves.
     *
     * @param account the connected account listed on behalf of (a Connect platform's key), or null for a key of the
     *                agreement's own account
     * @param problem what failed (Stripe's listing, the key), in a sentence; nothing was booked; null when listed
     * @param pages   pages Stripe answered
     */
    public record AccountSweep(List<String> agreementIds, String account, String problem, int pages, List<SweptEvent> events) {
        public AccountSweep {
            agreementIds = List.copyOf(agreementIds);
            events = List.copyOf(events);
        }

        public boolean failed() {
            return problem != null;
        }

        public long count(Disposition disposition) {
            return events.stream().filter(event -> event.disposition() == disposition).count();
        }
    }

    /** How Stripe says a webhook endpoint revshare expects stands. */
    public enum EndpointStatus {
        /** an endpoint with revshare's URL is enabled */
        ENABLED,
        /** the endpoints with revshare's URL are all disabled: Stripe sends nothing */
        DISABLED,
        /** no endpoint of the account has revshare's URL: Stripe sends nothing */
        MISSING,
        /** Stripe did not list the endpoints */
        FAILED,
        /** no webhook URL was given to look for */
        NOT_CHECKED
    }

    /**
     * @param expectedUrl   revshare's URL for these agreements ({@code <WebhookUrl>stripe} for a Connect platform,
     *                      {@code <WebhookUrl>stripe/<agreementId>} for an expert's own account); null when not checked
     * @param endpointId    the endpoint found with that URL, or null
     * @param notSubscribed event types revshare books that the endpoint found is not subscribed to
     * @param detail        in a sentence: what is wrong and what to do, or what failed; null when enabled
     */
    public record EndpointCheck(List<String> agreementIds, String expectedUrl, EndpointStatus status, String endpointId,
                                List<String> notSubscribed, String detail) {
        public EndpointCheck {
            agreementIds = List.copyOf(agreementIds);
            notSubscribed = List.copyOf(notSubscribed);
        }

        /** Disabled or missing: Stripe delivers nothing to revshare, and a person must act. */
        public boolean problem() {
            return status == EndpointStatus.DISABLED || status == EndpointStatus.MISSING;
        }
    }

    /** Undelivered events Stripe listed, in all accounts. */
    public int eventsFound() {
        return accounts.stream().mapToInt(account -> account.events().size()).sum();
    }

    public long count(Disposition disposition) {
        return accounts.stream().mapToLong(account -> account.count(disposition)).sum();
    }

    /** Events the sweep booked (in a dry run: none). */
    public long eventsBooked() {
        return count(Disposition.BOOKED);
    }

    /** Events not booked because the store, Stripe or revshare failed: the next sweep tries them again. */
    public long eventsFailed() {
        return count(Disposition.FAILED);
    }

    /** Stripe listings that failed (an account's events, an account's endpoints), and the sweep's own failure. */
    public long stripeFailures() {
        return accounts.stream().filter(AccountSweep::failed).count()
                + endpoints.stream().filter(check -> check.status() == EndpointStatus.FAILED).count();
    }

    /** Everything that failed: Stripe's listings, events not booked, the sweep itself. */
    public long failures() {
        return stripeFailures() + eventsFailed() + (problem == null ? 0 : 1);
    }

    /** Webhook endpoints disabled or missing. */
    public long endpointProblems() {
        return endpoints.stream().filter(EndpointCheck::problem).count();
    }

    /** Nothing failed and every endpoint is enabled (or not checked). */
    public boolean ok() {
        return failures() == 0 && endpointProblems() == 0;
    }

    /** One line for a log: what was found, booked and failed, and how the endpoints stand. */
    public String headline() {
        if (problem != null) {
            return "delivery sweep failed: " + problem;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "delivery sweep%s: %d undelivered event(s) in %d account(s) since %s: ", dryRun ? " (dry run)" : "",
                eventsFound(), accounts.size(), since));
        if (dryRun) {
            line.append(String.format(Locale.ROOT, "%d not received yet, %d already booked", count(Disposition.NOT_RECEIVED),
                    count(Disposition.DUPLICATE)));
        } else {
            line.append(String.format(Locale.ROOT, "%d booked, %d duplicate(s), %d ignored, %d set aside, %d failed",
                    eventsBooked(), count(Disposition.DUPLICATE), count(Disposition.IGNORED), count(Disposition.SET_ASIDE),
                    eventsFailed()));
        }
        long listingsFailed = accounts.stream().filter(AccountSweep::failed).count();
        if (listingsFailed > 0) {
            line.append(String.format(Locale.ROOT, "; Stripe failed for %d account(s)", listingsFailed));
        }
        if (!notConfigured.isEmpty()) {
            line.append(String.format(Locale.ROOT, "; %d agreement(s) without a key, not swept", notConfigured.size()));
        }
        Map<EndpointStatus, Long> byStatus = new EnumMap<>(EndpointStatus.class);
        endpoints.forEach(check -> byStatus.merge(check.status(), 1L, Long::sum));
        line.append("; webhook endpoints: ").append(byStatus.isEmpty() ? "none to check" : byStatus.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", ")));
        return line.toString();
    }
}
