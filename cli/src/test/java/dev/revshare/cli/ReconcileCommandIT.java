package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.cli.Launcher.Run;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.MonthOnStripe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./revshare reconcile} on the local store, as a person runs it: October's 17 deliveries of 20 are in the
 * store, Stripe (a fake speaking its API, reached through STRIPE_API_BASE with STRIPE_API_KEY) lists all 20; a dry
 * run shows the three missing with their Stripe ids and books nothing, the real run books them, the next finds
 * nothing to do; Stripe limiting requests books nothing and says so; without a key it says where to put one.
 */
class ReconcileCommandIT {
    private static final Path REPO = Launcher.REPO;

    @Test
    void printsTheComparisonBooksWhatIsMissingOnceAndSaysWhatFailed(@TempDir Path data) throws Exception {
        MonthOnStripe month = new MonthOnStripe();
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            local.store().agreements().put(AgreementFile.parse(Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml")),
                    "sarah-mindfulness.yaml"), Instant.parse("2025-10-20T12:00:00Z"));
            EventRouter router = new EventRouter(local.store().agreements(), local.store().bookings(), StripeLookup.NONE,
                    Clock.systemUTC());
            for (String delivery : month.deliveredDeliveries()) {
                assertThat(router.receiveTrusted(delivery).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
            }
        }
        try (FakeStripeBalance stripe = new FakeStripeBalance().add(month.balanceTransactions())) {
            Run dryRun = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10", "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.err()).isEqualTo(1);
            assertThat(dryRun.out()).contains("Reconciliation of sarah-mindfulness with Stripe, 2026-10 (Europe/Madrid)",
                    "Stripe listed 24 balance transaction(s) around it (1 page(s))",
                    "the ledger has no payment with charge " + MonthOnStripe.charge(14),
                    "Matched: 17 of Stripe's 20 movement(s).", "Differences (3):",
                    "missing in the ledger", MonthOnStripe.charge(14), MonthOnStripe.refundId(2), MonthOnStripe.disputeId(4),
                    "Not revenue, not compared: 1 payout, 1 stripe_fee", "Dry run: nothing booked");
            assertThat(dryRun.out()).containsPattern("sales +14 +\\$3,166\\.00 +13 +\\$2,869\\.00");
            assertThat(dryRun.err()).contains("listed 24 balance transactions (1 page)");
            assertThat(preview(data, stripe).path("lines").size()).isEqualTo(17);

            Run booked = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(booked.exitCode()).as(booked.err()).isZero();
            assertThat(booked.out()).contains("-> booked: recorded", "Booked 3 movement(s) through the webhook's booking path: 3 recorded.",
                    "After booking: the ledger matches Stripe's 20 movement(s) of 2026-10.");
            assertThat(preview(data, stripe).path("lines").size()).isEqualTo(20);

            Run again = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("Matched: 20 of Stripe's 20 movement(s).", "Differences: none.")
                    .doesNotContain("Booked");

            // a sale Stripe never recorded for the account: reported and kept for a person, the ledger unchanged
            try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
                new EventRouter(local.store().agreements(), local.store().bookings(), StripeLookup.NONE, Clock.systemUTC())
                        .receiveTrusted(SampleStripeEvents.chargeSucceeded("evt_3NotOnStripe", MonthOnStripe.ACCOUNT,
                                "ch_3NotOnStripe", "pi_3NotOnStripe", 12_300, "usd", Instant.parse("2026-10-21T10:00:00Z"),
                                "course", "cus_x"));
            }
            Run stranger = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(stranger.exitCode()).as(stranger.err()).isEqualTo(1);
            assertThat(stranger.out()).contains("missing in Stripe", "ch_3NotOnStripe", "ledger $123.00",
                    "the ledger was not changed", "Kept for a person (revshare events unclaimed): 1 difference(s).");
            assertThat(preview(data, stripe).path("lines").size()).isEqualTo(21);
            assertThat(revshare(data, stripe, "events", "unclaimed").out())
                    .contains("reconciliation.missing_in_stripe", "$123.00", "ch_3NotOnStripe");

            stripe.failAlways(FakeStripeBalance.rateLimited(120));
            Run limited = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(limited.exitCode()).isEqualTo(3);
            assertThat(limited.err()).contains("revshare: reconciliation failed: listing balance transactions failed after 0 page(s)",
                    "429, Retry-After 120 s", "Nothing was booked; the next run starts again.");
            stripe.failAlways(null);

            Map<String, String> noKey = new HashMap<>();
            noKey.put("STRIPE_API_KEY", null);
            noKey.put("AWS_ENDPOINT_URL", null);
            Run withoutKey = Launcher.revshare(data, noKey, "reconcile", "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(withoutKey.exitCode()).isEqualTo(2);
            assertThat(withoutKey.err()).contains("no Stripe API key is set up for agreement sarah-mindfulness",
                    "set STRIPE_API_KEY to a read-only key", "Nothing was booked.");

            Run badPeriod = revshare(data, stripe, "reconcile", "--agreement", "sarah-mindfulness", "--period", "October");
            assertThat(badPeriod.exitCode()).isEqualTo(2);
            assertThat(badPeriod.err()).contains("--period must be a month as YYYY-MM, was 'October'");
            Run help = revshare(data, stripe, "reconcile", "--help");
            assertThat(help.out()).contains("--agreement=ID", "--period=YYYY-MM", "--dry-run", "Exit status");
        }
    }

    private static JsonNode preview(Path data, FakeStripeBalance stripe) throws IOException, InterruptedException {
        Run preview = revshare(data, stripe, "statements", "preview", "--agreement", "sarah-mindfulness", "--period", "2026-10");
        assertThat(preview.exitCode()).as(preview.err()).isZero();
        return Json.read(preview.out(), JsonNode.class);
    }

    private static Run revshare(Path data, FakeStripeBalance stripe, String... args) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("STRIPE_API_KEY", "rk_test_reconcile_cli");
        environment.put("STRIPE_API_BASE", stripe.baseUrl());
        environment.put("AWS_ENDPOINT_URL", null);
        return Launcher.revshare(data, environment, args);
    }
}
