package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.cli.Launcher.Run;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.EventRouter;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./revshare reconcile sweep} on the local store, as a person runs it: of the last days' four events of
 * sarah-mindfulness's account, Stripe (a fake speaking its API, reached through STRIPE_API_BASE with STRIPE_API_KEY)
 * could deliver one; a dry run says which were not received, the sweep books them, the next finds them booked; a
 * disabled or missing endpoint, Stripe limiting requests and a mistake in the command are said, with their exit status.
 * And {@code ./revshare invoke DeliverySweepFunction} on events/delivery-sweep/scheduled.json: the deployed handler, here.
 */
class SweepCommandIT {
    private static final Path REPO = Launcher.REPO;
    private static final String ACCOUNT = "acct_1SarahExample";
    private static final String URL = "https://abc123xyz.lambda-url.eu-west-1.on.aws/";

    @Test
    void booksWhatStripeCouldNotDeliverOnceAndSaysHowTheEndpointsStand(@TempDir Path data) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String saleA = SampleStripeEvents.chargeSucceeded("evt_3CliSaleA", ACCOUNT, "ch_3CliSaleA", "pi_3CliSaleA", 29_700, "usd",
                now.minus(Duration.ofDays(5)), "course", "cus_CliA");
        String saleB = SampleStripeEvents.chargeSucceeded("evt_3CliSaleB", ACCOUNT, "ch_3CliSaleB", "pi_3CliSaleB", 4_900, "usd",
                now.minus(Duration.ofDays(4)), "course", "cus_CliB");
        String refundB = SampleStripeEvents.chargeRefunded("evt_3CliRefundB", ACCOUNT, "ch_3CliSaleB", "pi_3CliSaleB", 4_900, 4_900,
                "usd", now.minus(Duration.ofDays(4)), now.minus(Duration.ofDays(2)), "course", "cus_CliB");
        String customer = SampleStripeEvents.customerCreated("evt_3CliCustomer", ACCOUNT, "cus_CliC", now.minus(Duration.ofDays(3)));
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            local.store().agreements().put(AgreementFile.parse(Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml")),
                    "sarah-mindfulness.yaml"), Instant.parse("2025-10-20T12:00:00Z"));
            assertThat(new EventRouter(local.store().agreements(), local.store().bookings(), StripeLookup.NONE, Clock.systemUTC())
                    .receiveTrusted(saleA).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        }
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.addEvent(saleA, true).addEvent(saleB, false).addEvent(refundB, false).addEvent(customer, false);
            stripe.addWebhookEndpoint("we_3Revshare", URL + "stripe", true, "*");
            stripe.addWebhookEndpoint("we_3OldStack", "https://old.lambda-url.eu-west-1.on.aws/stripe", false, "*");

            Run dryRun = revshare(data, stripe, "reconcile", "sweep", "--dry-run", "--webhook-url", URL);
            assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("Delivery sweep (dry run): Stripe's undelivered events since",
                    "sarah-mindfulness (account " + ACCOUNT + "): 3 undelivered event(s): 3 not received yet, 0 already booked",
                    "evt_3CliSaleB", "not received yet: a sweep books it",
                    URL + "stripe (sarah-mindfulness): enabled (we_3Revshare)");
            assertThat(dryRun.err()).contains("sarah-mindfulness (" + ACCOUNT + ")", "listed 3 undelivered event(s) (1 page)");
            assertThat(lines(data)).hasSize(1);

            Run swept = revshare(data, stripe, "reconcile", "sweep", "--webhook-url", URL);
            assertThat(swept.exitCode()).as(swept.err()).isZero();
            assertThat(swept.out()).contains("sarah-mindfulness (account " + ACCOUNT + "): 3 undelivered event(s): 2 booked, "
                    + "0 duplicate(s), 1 ignored, 0 set aside, 0 failed", "evt_3CliRefundB", "charge.refunded", "-> recorded",
                    "delivery sweep: 3 undelivered event(s) in 1 account(s)");
            assertThat(swept.out()).doesNotContain("evt_3CliCustomer"); // ignored: counted, not listed
            assertThat(swept.err()).contains("3 of 3 handled");
            assertThat(lines(data)).hasSize(3).extracting(LedgerLine::stripeId).contains("ch_3CliSaleA", "ch_3CliSaleB");

            Run again = revshare(data, stripe, "reconcile", "sweep", "--webhook-url", URL, "--days", "7");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("0 booked, 3 duplicate(s)");
            assertThat(lines(data)).hasSize(3);

            Run disabled = revshare(data, stripe, "reconcile", "sweep", "--webhook-url", "https://old.lambda-url.eu-west-1.on.aws");
            assertThat(disabled.exitCode()).isEqualTo(1);
            assertThat(disabled.out()).contains("https://old.lambda-url.eu-west-1.on.aws/stripe (sarah-mindfulness): DISABLED: "
                    + "Stripe's endpoint we_3OldStack", "webhook endpoints: 1 disabled");

            Run missing = revshare(data, stripe, "reconcile", "sweep", "--webhook-url", "https://new.lambda-url.eu-west-1.on.aws/");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.out()).contains("MISSING: no Stripe webhook endpoint of this account has revshare's URL");

            Run unchecked = revshare(data, stripe, "reconcile", "sweep");
            assertThat(unchecked.exitCode()).isZero();
            assertThat(unchecked.out()).contains("not checked: give --webhook-url URL");

            stripe.failAlways(FakeStripeBalance.rateLimited(120));
            Run limited = revshare(data, stripe, "reconcile", "sweep", "--webhook-url", URL);
            assertThat(limited.exitCode()).isEqualTo(3);
            assertThat(limited.out()).contains("sarah-mindfulness (account " + ACCOUNT + "): Stripe failed: listing undelivered "
                    + "events failed after 0 page(s)", "429, Retry-After 120 s", "nothing was booked",
                    "run it again; nothing is booked twice");
            stripe.failAlways(null);
        }
        Run tooFar = Launcher.revshare(data, Map.of(), "reconcile", "sweep", "--days", "31");
        assertThat(tooFar.exitCode()).isEqualTo(2);
        assertThat(tooFar.err()).contains("--days must be 1 to 30 (Stripe keeps events 30 days), was 31");
        Run badUrl = Launcher.revshare(data, Map.of(), "reconcile", "sweep", "--webhook-url", "stripe");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--webhook-url must be the stack's WebhookUrl");
        Run neither = Launcher.revshare(data, Map.of(), "reconcile");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("reconcile needs --agreement ID and --period YYYY-MM", "reconcile sweep");
        Run help = Launcher.revshare(data, Map.of(), "reconcile", "sweep", "--help");
        assertThat(help.out()).contains("--days=N", "--dry-run", "--webhook-url=URL", "delivery_success=false", "Exit status");
        assertThat(Launcher.revshare(data, Map.of(), "reconcile", "--help").out()).contains("--agreement=ID", "--period=YYYY-MM", "sweep");
    }

    /** The deployed function's handler on the event file the schedule sends, as `sam local invoke` would run it. */
    @Test
    void invokeDeliverySweepFunctionRunsTheDailySweepOnTheLocalStore(@TempDir Path data) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String saleA = SampleStripeEvents.chargeSucceeded("evt_3InvSaleA", ACCOUNT, "ch_3InvSaleA", "pi_3InvSaleA", 29_700, "usd",
                now.minus(Duration.ofDays(5)), "course", "cus_InvA");
        String saleB = SampleStripeEvents.chargeSucceeded("evt_3InvSaleB", ACCOUNT, "ch_3InvSaleB", "pi_3InvSaleB", 4_900, "usd",
                now.minus(Duration.ofDays(4)), "course", "cus_InvB");
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            local.store().agreements().put(AgreementFile.parse(Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml")),
                    "sarah-mindfulness.yaml"), Instant.parse("2025-10-20T12:00:00Z"));
            assertThat(new EventRouter(local.store().agreements(), local.store().bookings(), StripeLookup.NONE, Clock.systemUTC())
                    .receiveTrusted(saleA).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        }
        String event = "events/delivery-sweep/scheduled.json";
        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.addEvent(saleA, true).addEvent(saleB, false);
            stripe.addWebhookEndpoint("we_3Revshare", URL + "stripe", true, "*");

            Run swept = revshare(data, stripe, Map.of("WEBHOOK_URL", URL), "invoke", "DeliverySweepFunction", "--event", event);
            assertThat(swept.exitCode()).as(swept.err()).isZero();
            assertThat(swept.out()).contains("\"undeliveredFound\" : 1", "\"undeliveredBooked\" : 1", "\"failures\" : 0",
                    "\"endpointProblems\" : 0", "webhook endpoints: 1 enabled");
            assertThat(lines(data)).extracting(LedgerLine::stripeId).containsExactlyInAnyOrder("ch_3InvSaleA", "ch_3InvSaleB");

            Run again = revshare(data, stripe, Map.of("WEBHOOK_URL", URL), "invoke", "DeliverySweepFunction", "--event", event);
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("\"undeliveredBooked\" : 0", "1 duplicate(s)");
            assertThat(lines(data)).hasSize(2);

            Run disabled = revshare(data, stripe, Map.of("WEBHOOK_URL", "https://old.lambda-url.eu-west-1.on.aws/"), "invoke",
                    "DeliverySweepFunction", "--event", event);
            assertThat(disabled.exitCode()).isEqualTo(1);
            assertThat(disabled.out()).contains("\"endpointProblems\" : 1", "no Stripe webhook endpoint of this account has "
                    + "revshare's URL https://old.lambda-url.eu-west-1.on.aws/stripe");

            stripe.failAlways(FakeStripeBalance.forbidden());
            Run refused = revshare(data, stripe, Map.of(), "invoke", "DeliverySweepFunction", "--event", event);
            assertThat(refused.exitCode()).isEqualTo(3);
            assertThat(refused.err()).contains("revshare: delivery sweep", "nothing could be swept", "Stripe refused the key (403",
                    "nothing is booked twice");
            assertThat(refused.out() + refused.err()).doesNotContain("rk_test_sweep_cli");
        }
    }

    private static Run revshare(Path data, FakeStripeBalance stripe, Map<String, String> more, String... args)
            throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("STRIPE_API_KEY", "rk_test_sweep_cli");
        environment.put("STRIPE_API_BASE", stripe.baseUrl());
        environment.put("AWS_ENDPOINT_URL", null);
        environment.putIfAbsent("WEBHOOK_URL", null);
        return Launcher.revshare(data, environment, args);
    }

    private static List<LedgerLine> lines(Path data) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            return local.store().ledger().recordedBetween("sarah-mindfulness", Instant.EPOCH, Instant.now().plusSeconds(60));
        }
    }

    private static Run revshare(Path data, FakeStripeBalance stripe, String... args) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("STRIPE_API_KEY", "rk_test_sweep_cli");
        environment.put("STRIPE_API_BASE", stripe.baseUrl());
        environment.put("AWS_ENDPOINT_URL", null);
        return Launcher.revshare(data, environment, args);
    }
}
