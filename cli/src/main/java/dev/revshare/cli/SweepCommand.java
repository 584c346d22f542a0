package dev.revshare.cli;

import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.reconcile.SweepReport;
import dev.revshare.reconcile.SweepReport.AccountSweep;
import dev.revshare.reconcile.SweepReport.Disposition;
import dev.revshare.reconcile.SweepReport.EndpointCheck;
import dev.revshare.reconcile.SweepReport.SweptEvent;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"The daily sweep, by hand: the events Stripe could not deliver to revshare's webhook (Stripe's events "
                + "with delivery_success=false, within the 30 days Stripe keeps them) are booked through the webhook's own "
                + "booking path, so a later delivery of one, or another sweep, books nothing twice; and Stripe's webhook "
                + "endpoints are checked: revshare's must be there, and enabled.",
                "Every agreement with a read-only Stripe API key is swept (locally STRIPE_API_KEY; with --stack the SSM "
                        + "parameters the stack's webhook reads): a Connect platform's key on behalf of each agreement's account.",
                "Exit status: 0 swept, and revshare's endpoints enabled (or not checked); 1 an endpoint is disabled or "
                        + "missing; 2 a mistake in the command; 3 Stripe or the store failed for an account or an event: run it "
                        + "again (nothing is booked twice)."})
final class SweepCommand implements Callable<Integer> {
    static final int ENDPOINT_PROBLEM = 1;
    static final int FAILED = 3;
    /** Events listed by name for each account; the rest are counted. */
    private static final int EVENTS_SHOWN = 20;

    @ParentCommand
    ReconcileCommand reconcile;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30",
            description = "How far back to look for undelivered events: 1 to 30 days (Stripe keeps events 30 days; "
                    + "default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--dry-run", description = "List and check only: book nothing; each undelivered event is said to be "
            + "booked already or not received yet.")
    boolean dryRun;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "The stack's WebhookUrl output, which revshare's "
            + "endpoints start with (<URL>stripe for a Connect platform, <URL>stripe/<agreementId> for an expert's own "
            + "account). With --stack it is read from the stack. Without one, the endpoints are not checked.")
    String webhookUrl;

    @Override
    public Integer call() {
        if (reconcile.agreementId != null || reconcile.period != null) {
            throw new RevshareCommand.UserError("the sweep covers every agreement: leave out --agreement and --period");
        }
        if (days < 1 || days > DeliverySweep.STRIPE_KEEPS_EVENTS.toDays()) {
            throw new RevshareCommand.UserError("--days must be 1 to 30 (Stripe keeps events 30 days), was " + days);
        }
        if (webhookUrl != null) {
            checkUrl(webhookUrl);
        }
        Clock clock = Clock.systemUTC();
        try (Backend backend = reconcile.root.backend(clock)) {
            String url = webhookUrl != null ? webhookUrl : backend.webhookUrl();
            DeliverySweep sweep = DeliverySweep.withStripeApi(backend.store().agreements(), backend.store().bookings(),
                    backend.stripeApiKeys(), System.getenv("STRIPE_API_BASE"), url, clock);
            System.err.printf("Sweeping Stripe's undelivered events of the last %d day(s) (%s)...%n", days, backend.where());
            SweepReport report = sweep.sweep(clock.instant(), Duration.ofDays(days), dryRun, new ProgressOnStderr(System.err));
            if (report.problem() != null) {
                System.err.println("revshare: the sweep failed: " + report.problem());
                return FAILED;
            }
            System.out.print(text(report, backend, url));
            if (report.failures() > 0) {
                return FAILED;
            }
            return report.endpointProblems() > 0 ? ENDPOINT_PROBLEM : 0;
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return;
            }
        } catch (IllegalArgumentException notAUri) {
            // said below
        }
        throw new RevshareCommand.UserError("--webhook-url must be the stack's WebhookUrl, as https://<id>.lambda-url.<region>"
                + ".on.aws/, was '" + url + "'");
    }

    /** Each account's listing a page at a time, then its events as they are booked. */
    private record ProgressOnStderr(PrintStream err) implements DeliverySweep.Progress {
        @Override
        public void sweeping(List<String> agreementIds, String account) {
            err.printf("  %s%s%n", String.join(", ", agreementIds), account == null ? "" : " (" + account + ")");
        }

        @Override
        public void listed(int pages, int events) {
            if (pages == 1 || pages % 10 == 0) {
                err.printf("    listed %,d undelivered event(s) (%d page%s)%n", events, pages, pages == 1 ? "" : "s");
            }
        }

        @Override
        public void routed(int done, int of) {
            if (done == of || done % 100 == 0) {
                err.printf("    %,d of %,d handled%n", done, of);
            }
        }
    }

    static String text(SweepReport report, Backend backend, String url) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Delivery sweep%s: Stripe's undelivered events since %s%n", report.dryRun() ? " (dry run)" : "",
                report.since()));
        for (AccountSweep account : report.accounts()) {
            String who = String.join(", ", account.agreementIds()) + (account.account() == null ? "" : " (account " + account.account() + ")");
            if (account.failed()) {
                out.append(String.format("  %s: Stripe failed: %s%n", who, account.problem()));
                continue;
            }
            out.append(String.format("  %s: %d undelivered event(s): %s%n", who, account.events().size(), counts(account, report.dryRun())));
            List<SweptEvent> shown = account.events().stream()
                    .filter(e -> e.disposition() != Disposition.DUPLICATE && e.disposition() != Disposition.IGNORED).toList();
            shown.stream().limit(EVENTS_SHOWN).forEach(event -> out.append(String.format("      %s  %-28s %-34s -> %s%n",
                    Objects.toString(event.created(), "-"), Objects.toString(event.eventId(), "(unreadable)"),
                    Objects.toString(event.type(), "-"), outcome(event))));
            if (shown.size() > EVENTS_SHOWN) {
                out.append(String.format("      ... and %d more%n", shown.size() - EVENTS_SHOWN));
            }
        }
        for (String agreementId : report.notConfigured()) {
            out.append(String.format("  %s: not swept, no Stripe API key: %s%n", agreementId, backend.stripeApiKeysFrom(agreementId)));
        }
        out.append("Webhook endpoints:\n");
        if (url == null) {
            out.append("  not checked: give --webhook-url URL (the stack's WebhookUrl output; --stack reads it)\n");
        } else {
            for (EndpointCheck check : report.endpoints()) {
                if (check.expectedUrl() == null) {
                    continue;
                }
                out.append(String.format("  %s (%s): %s%n", check.expectedUrl(), String.join(", ", check.agreementIds()),
                        endpoint(check)));
            }
        }
        out.append(report.headline()).append('\n');
        if (report.failures() > 0) {
            out.append("Some accounts or events failed (see above): run it again; nothing is booked twice.\n");
        }
        return out.toString();
    }

    private static String counts(AccountSweep account, boolean dryRun) {
        if (dryRun) {
            return String.format("%d not received yet, %d already booked%s", account.count(Disposition.NOT_RECEIVED),
                    account.count(Disposition.DUPLICATE), failedCount(account));
        }
        return String.format("%d booked, %d duplicate(s), %d ignored, %d set aside, %d failed", account.count(Disposition.BOOKED),
                account.count(Disposition.DUPLICATE), account.count(Disposition.IGNORED), account.count(Disposition.SET_ASIDE),
                account.count(Disposition.FAILED));
    }

    private static String failedCount(AccountSweep account) {
        long failed = account.count(Disposition.FAILED);
        return failed == 0 ? "" : ", " + failed + " failed";
    }

    private static String outcome(SweptEvent event) {
        if (event.outcome() == null) {
            return event.message();
        }
        String outcome = event.outcome().name().toLowerCase(Locale.ROOT);
        return event.disposition() == Disposition.FAILED || event.disposition() == Disposition.SET_ASIDE
                ? outcome + " (" + event.message() + ")" : outcome;
    }

    private static String endpoint(EndpointCheck check) {
        return switch (check.status()) {
            case ENABLED -> "enabled (" + check.endpointId() + ")" + (check.notSubscribed().isEmpty() ? ""
                    : "; not subscribed to " + check.notSubscribed().size() + " type(s) revshare books: "
                    + String.join(", ", check.notSubscribed()));
            case DISABLED -> "DISABLED: " + check.detail();
            case MISSING -> "MISSING: " + check.detail();
            case FAILED -> "not checked, Stripe failed: " + check.detail();
            case NOT_CHECKED -> "not checked";
        };
    }
}
