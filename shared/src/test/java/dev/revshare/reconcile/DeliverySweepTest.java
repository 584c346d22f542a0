package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.EventRouter;
import dev.revshare.reconcile.SweepReport.AccountSweep;
import dev.revshare.reconcile.SweepReport.Disposition;
import dev.revshare.reconcile.SweepReport.EndpointStatus;
import dev.revshare.reconcile.SweepReport.SweptEvent;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiEvents;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiListing;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.RecordedStripeApi;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daily sweep on DynamoDB Local against a fake Stripe API (Stripe's event and webhook endpoint lists, paged and
 * failing as Stripe does): the deliveries Stripe could not make are booked through the webhook's own path, line for
 * line as their webhooks would have, once however often the sweep runs and whenever the late webhook comes; a
 * disabled or missing endpoint is reported; a Stripe failure books nothing for its account, and the others go on.
 */
class DeliverySweepTest {
    private static final Agreement SARAH = TestAgreements.sarahMindfulness();
    private static final String ACCOUNT = SARAH.stripeAccount();
    private static final Instant NOW = Instant.parse("2026-11-04T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String WEBHOOK_URL = "https://abc123xyz.lambda-url.eu-west-1.on.aws/";
    private static final String PLATFORM_KEY = "rk_test_platform_sweep";
    private static final StripeApiKeys PLATFORM = agreement -> new StripeApiKeys.ApiKey(PLATFORM_KEY, agreement.stripeAccount());

    // October on sarah-mindfulness's account: a sale delivered; a sale, its refund and a customer's creation not
    private static final String SALE_A = SampleStripeEvents.chargeSucceeded("evt_3SweepSaleA", ACCOUNT, "ch_3SweepA", "pi_3SweepA",
            29_700, "usd", Instant.parse("2026-10-20T10:00:00Z"), "course", "cus_SweepA");
    private static final String SALE_B = SampleStripeEvents.chargeSucceeded("evt_3SweepSaleB", ACCOUNT, "ch_3SweepB", "pi_3SweepB",
            4_900, "usd", Instant.parse("2026-10-21T10:00:00Z"), "course", "cus_SweepB");
    private static final String REFUND_B = SampleStripeEvents.chargeRefunded("evt_3SweepRefundB", ACCOUNT, "ch_3SweepB",
            "pi_3SweepB", 4_900, 4_900, "usd", Instant.parse("2026-10-21T10:00:00Z"), Instant.parse("2026-10-23T09:00:00Z"),
            "course", "cus_SweepB");
    private static final String CUSTOMER = SampleStripeEvents.customerCreated("evt_3SweepCustomer", ACCOUNT, "cus_SweepC",
            Instant.parse("2026-10-22T08:00:00Z"));
    /** Older than the 30 days Stripe keeps: not asked for. */
    private static final String TOO_OLD = SampleStripeEvents.chargeSucceeded("evt_3SweepTooOld", ACCOUNT, "ch_3SweepOld",
            "pi_3SweepOld", 1_000, "usd", Instant.parse("2026-09-20T10:00:00Z"), "course", "cus_SweepOld");

    private final FakeStripeBalance stripe = new FakeStripeBalance();
    private final List<Long> waits = new ArrayList<>();
    private final StripeApiListing.Policy fast = new StripeApiListing.Policy(Duration.ofSeconds(2), Duration.ofMillis(500), 2, 3,
            Duration.ofSeconds(30), waits::add);

    @AfterEach
    void stopFake() {
        stripe.close();
    }

    private void october() {
        stripe.addEvent(SALE_A, true).addEvent(SALE_B, false).addEvent(REFUND_B, false).addEvent(CUSTOMER, false)
                .addEvent(TOO_OLD, false);
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe", true, "*");
    }

    private static DynamoDbStores store(Agreement... agreements) {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        for (Agreement agreement : agreements) {
            stores.agreements().put(agreement, Instant.parse("2025-10-20T12:00:00Z"));
        }
        return stores;
    }

    /** Delivered as the platform's webhook endpoint books them. */
    private static void deliver(DynamoDbStores stores, String... events) {
        EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
        for (String event : events) {
            assertThat(router.route(null, StripeEvent.parse(event)).outcome()).isIn(Outcome.RECORDED, Outcome.PENDING, Outcome.IGNORED);
        }
    }

    private DeliverySweep sweep(DynamoDbStores stores, StripeApiKeys keys, String webhookUrl) {
        return new DeliverySweep(stores.agreements(), stores.bookings(),
                new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK), keys,
                new StripeApiEvents(new StripeApiListing(stripe.baseUrl(), fast)), webhookUrl, CLOCK);
    }

    private static List<LedgerLine> lines(DynamoDbStores stores, String agreementId) {
        return stores.ledger().recordedBetween(agreementId, Instant.EPOCH, NOW.plusSeconds(1)).stream()
                .sorted(Comparator.comparing(LedgerLine::lineId)).toList();
    }

    @Test
    void aMissedSaleAndItsRefundBecomeTheLinesTheirWebhooksWouldHaveBooked() {
        october();
        DynamoDbStores everyDelivery = store(SARAH);
        deliver(everyDelivery, SALE_A, SALE_B, REFUND_B, CUSTOMER);
        DynamoDbStores swept = store(SARAH);
        deliver(swept, SALE_A);

        SweepReport report = sweep(swept, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(lines(swept, SARAH.id())).hasSize(3).isEqualTo(lines(everyDelivery, SARAH.id()));
        assertThat(report.accounts()).singleElement().satisfies(account -> {
            assertThat(account.agreementIds()).containsExactly(SARAH.id());
            assertThat(account.account()).isEqualTo(ACCOUNT);
            assertThat(account.events()).extracting(SweptEvent::eventId, SweptEvent::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("evt_3SweepSaleB", Outcome.RECORDED),
                    org.assertj.core.groups.Tuple.tuple("evt_3SweepCustomer", Outcome.IGNORED),
                    org.assertj.core.groups.Tuple.tuple("evt_3SweepRefundB", Outcome.RECORDED));
        });
        assertThat(report.eventsFound()).isEqualTo(3);
        assertThat(report.eventsBooked()).isEqualTo(2);
        assertThat(report.count(Disposition.IGNORED)).isEqualTo(1);
        assertThat(report.failures()).isZero();
        assertThat(report.endpointProblems()).isZero();
        assertThat(report.ok()).isTrue();
        assertThat(report.endpoints()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(EndpointStatus.ENABLED);
            assertThat(check.endpointId()).isEqualTo("we_3Revshare");
            assertThat(check.notSubscribed()).isEmpty();
        });
        assertThat(report.headline()).isEqualTo("delivery sweep: 3 undelivered event(s) in 1 account(s) since "
                + "2026-10-05T06:00:00Z: 2 booked, 0 duplicate(s), 1 ignored, 0 set aside, 0 failed; webhook endpoints: 1 enabled");
        // as Stripe is asked: the connected account's undelivered events of the last 30 days; the platform's endpoints
        assertThat(stripe.requests()).extracting(RecordedStripeApi.Request::pathAndQuery, RecordedStripeApi.Request::stripeAccount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/v1/events?created[gte]=" + NOW.minus(Duration.ofDays(30)).getEpochSecond()
                                + "&delivery_success=false&limit=100", ACCOUNT),
                        org.assertj.core.groups.Tuple.tuple("/v1/webhook_endpoints?limit=100", null));
        assertThat(stripe.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + PLATFORM_KEY));
    }

    @Test
    void sweepingTwiceBooksNothingTwiceAndTheLateWebhookIsADuplicate() {
        october();
        DynamoDbStores stores = store(SARAH);
        deliver(stores, SALE_A);
        DeliverySweep sweep = sweep(stores, PLATFORM, WEBHOOK_URL);
        sweep.sweep(NOW, false, DeliverySweep.Progress.NONE);
        List<LedgerLine> once = lines(stores, SARAH.id());

        SweepReport again = sweep.sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(lines(stores, SARAH.id())).isEqualTo(once);
        assertThat(again.eventsFound()).isEqualTo(3);
        assertThat(again.eventsBooked()).isZero();
        assertThat(again.count(Disposition.DUPLICATE)).isEqualTo(3);
        EventRouter webhook = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
        assertThat(webhook.route(null, StripeEvent.parse(SALE_B)).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(webhook.route(null, StripeEvent.parse(REFUND_B)).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(lines(stores, SARAH.id())).isEqualTo(once);
    }

    @Test
    void aDryRunBooksNothingAndTellsWhatHasNotBeenReceived() {
        october();
        DynamoDbStores stores = store(SARAH);
        deliver(stores, SALE_A, REFUND_B); // the refund came (waiting for its sale); the sale did not

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, true, DeliverySweep.Progress.NONE);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.accounts().get(0).events()).extracting(SweptEvent::eventId, SweptEvent::disposition).containsExactly(
                org.assertj.core.groups.Tuple.tuple("evt_3SweepSaleB", Disposition.NOT_RECEIVED),
                org.assertj.core.groups.Tuple.tuple("evt_3SweepCustomer", Disposition.NOT_RECEIVED),
                org.assertj.core.groups.Tuple.tuple("evt_3SweepRefundB", Disposition.DUPLICATE));
        assertThat(report.eventsBooked()).isZero();
        assertThat(stores.bookings().receipt("evt_3SweepSaleB")).isEmpty();
        assertThat(stores.bookings().receipt("evt_3SweepCustomer")).isEmpty();
        assertThat(report.headline()).contains("(dry run)", "2 not received yet, 1 already booked");
    }

    @Test
    void aDisabledEndpointIsAnEndpointProblem() {
        stripe.addEvent(SALE_B, false);
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe", false, "*");
        stripe.addWebhookEndpoint("we_3Other", "https://elsewhere.example/hooks", true, "*");
        DynamoDbStores stores = store(SARAH);

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.endpoints()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(EndpointStatus.DISABLED);
            assertThat(check.problem()).isTrue();
            assertThat(check.endpointId()).isEqualTo("we_3Revshare");
            assertThat(check.agreementIds()).containsExactly(SARAH.id());
            assertThat(check.detail()).contains("we_3Revshare", WEBHOOK_URL + "stripe", "is disabled", "Developers > Webhooks");
        });
        assertThat(report.endpointProblems()).isEqualTo(1);
        assertThat(report.ok()).isFalse();
        assertThat(report.eventsBooked()).as("what the endpoint missed is booked all the same").isEqualTo(1);
        assertThat(report.headline()).endsWith("webhook endpoints: 1 disabled");
    }

    @Test
    void noEndpointWithRevsharesUrlIsAnEndpointProblem() {
        stripe.addWebhookEndpoint("we_3Other", "https://elsewhere.example/hooks", true, "*");
        stripe.addWebhookEndpoint("we_3OldStack", "https://old-url.lambda-url.eu-west-1.on.aws/stripe", true, "*");

        SweepReport report = sweep(store(SARAH), PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.endpoints()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(EndpointStatus.MISSING);
            assertThat(check.detail()).contains("no Stripe webhook endpoint of this account has revshare's URL "
                    + WEBHOOK_URL + "stripe", "2 other endpoint(s)");
        });
        assertThat(report.endpointProblems()).isEqualTo(1);
    }

    @Test
    void anEndpointNotSubscribedToTypesRevshareBooksIsEnabledWithThoseTypesNamed() {
        stripe.addWebhookEndpoint("we_3Revshare", WEBHOOK_URL + "stripe/", true, "charge.succeeded", "charge.refunded",
                "customer.created");

        SweepReport report = sweep(store(SARAH), PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.endpoints()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(EndpointStatus.ENABLED);
            assertThat(check.notSubscribed()).contains("refund.created", "charge.dispute.funds_withdrawn", "invoice.paid")
                    .doesNotContain("charge.succeeded", "charge.refunded", "customer.created");
        });
        assertThat(report.ok()).isTrue();
    }

    @Test
    void withoutAWebhookUrlTheEndpointsAreNotCheckedAndStripeIsNotAskedForThem() {
        october();

        SweepReport report = sweep(store(SARAH), PLATFORM, null).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.endpoints()).singleElement().satisfies(check ->
                assertThat(check.status()).isEqualTo(EndpointStatus.NOT_CHECKED));
        assertThat(report.ok()).isTrue();
        assertThat(stripe.requests()).noneSatisfy(r -> assertThat(r.pathAndQuery()).startsWith("/v1/webhook_endpoints"));
    }

    @Test
    void thePlatformKeyListsEachAccountOnceAndItsEndpointsOnceWhileAnOwnKeyListsItsOwn() {
        Agreement cedar = TestAgreements.sarahCourse("acct_1CedarExample");
        Agreement maya = new Agreement("maya-own", "Maya x Northwind", SARAH.expert(), SARAH.partner(), null, "usd",
                SARAH.timezone(), SARAH.termStart(), null, SARAH.split(), null);
        String mayaSale = SampleStripeEvents.chargeSucceeded("evt_3MayaSale", null, "ch_3MayaSale", "pi_3MayaSale", 12_000,
                "usd", Instant.parse("2026-10-25T10:00:00Z"), "course", "cus_Maya");
        october();
        stripe.addEvent(SampleStripeEvents.chargeSucceeded("evt_3CedarSale", "acct_1CedarExample", "ch_3CedarSale",
                "pi_3CedarSale", 8_000, "usd", Instant.parse("2026-10-26T10:00:00Z"), "course", "cus_Cedar"), false);
        stripe.addEvent(mayaSale, false);
        stripe.addWebhookEndpoint("we_3Maya", WEBHOOK_URL + "stripe/maya-own", true, "*");
        StripeApiKeys keys = agreement -> agreement.id().equals("maya-own") ? new StripeApiKeys.ApiKey("rk_test_maya_own", null)
                : PLATFORM.keyFor(agreement);
        DynamoDbStores stores = store(SARAH, cedar, maya);

        SweepReport report = sweep(stores, keys, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.accounts()).extracting(AccountSweep::agreementIds, AccountSweep::account).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of(SARAH.id()), ACCOUNT),
                org.assertj.core.groups.Tuple.tuple(List.of(cedar.id()), "acct_1CedarExample"),
                org.assertj.core.groups.Tuple.tuple(List.of("maya-own"), null));
        assertThat(report.eventsBooked()).isEqualTo(4);
        assertThat(lines(stores, cedar.id())).singleElement().satisfies(line -> assertThat(line.stripeId()).isEqualTo("ch_3CedarSale"));
        assertThat(lines(stores, "maya-own")).singleElement().satisfies(line -> assertThat(line.stripeId()).isEqualTo("ch_3MayaSale"));
        assertThat(report.endpoints()).extracting(c -> c.expectedUrl(), c -> c.status(), c -> c.agreementIds()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(WEBHOOK_URL + "stripe", EndpointStatus.ENABLED, List.of(cedar.id(), SARAH.id())),
                org.assertj.core.groups.Tuple.tuple(WEBHOOK_URL + "stripe/maya-own", EndpointStatus.ENABLED, List.of("maya-own")));
        List<RecordedStripeApi.Request> endpointListings = stripe.requests().stream()
                .filter(r -> r.pathAndQuery().startsWith("/v1/webhook_endpoints")).toList();
        assertThat(endpointListings).extracting(RecordedStripeApi.Request::authorization, RecordedStripeApi.Request::stripeAccount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Bearer " + PLATFORM_KEY, null),
                        org.assertj.core.groups.Tuple.tuple("Bearer rk_test_maya_own", null));
        assertThat(stripe.requests().stream().filter(r -> r.pathAndQuery().startsWith("/v1/events")))
                .extracting(RecordedStripeApi.Request::stripeAccount).containsExactlyInAnyOrder(ACCOUNT, "acct_1CedarExample", null);
    }

    // ---------------------------------------------------------------- Stripe's bad answers: nothing half-booked

    @Test
    void aRateLimitForOneAccountIsReportedForItAndTheOthersAreSwept() {
        Agreement cedar = TestAgreements.sarahCourse("acct_1CedarExample");
        october();
        stripe.addEvent(SampleStripeEvents.chargeSucceeded("evt_3CedarSale", "acct_1CedarExample", "ch_3CedarSale",
                "pi_3CedarSale", 8_000, "usd", Instant.parse("2026-10-26T10:00:00Z"), "course", "cus_Cedar"), false);
        stripe.failWhenAsked(request -> ACCOUNT.equals(request.stripeAccount()), FakeStripeBalance.rateLimited(2));
        DynamoDbStores stores = store(SARAH, cedar);

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        AccountSweep sarah = report.accounts().stream().filter(a -> a.agreementIds().contains(SARAH.id())).findFirst().orElseThrow();
        assertThat(sarah.failed()).isTrue();
        assertThat(sarah.problem()).contains("listing undelivered events failed after 0 page(s) (0 events)", "429",
                "Retry-After 2 s", "still after 3 wait(s)", "nothing was booked");
        assertThat(waits).containsExactly(2_000L, 2_000L, 2_000L);
        assertThat(lines(stores, SARAH.id())).isEmpty();
        assertThat(lines(stores, cedar.id())).hasSize(1);
        assertThat(report.stripeFailures()).isEqualTo(1);
        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.ok()).isFalse();
        assertThat(report.headline()).contains("1 booked", "Stripe failed for 1 account(s)");
    }

    @Test
    void stripesServerErrorsAfterStripeJavasRetriesBookNothing() {
        october();
        stripe.failWhen(request -> request.startsWith("/v1/events"), FakeStripeBalance.serverError());
        DynamoDbStores stores = store(SARAH);

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.accounts().get(0).problem()).contains("Stripe's API failed (500, in 3 attempts)", "run it again later");
        assertThat(stripe.requests().stream().filter(r -> r.pathAndQuery().startsWith("/v1/events"))).hasSize(3);
        assertNothingBooked(stores);
        assertThat(report.endpoints().get(0).status()).as("the endpoints are checked all the same").isEqualTo(EndpointStatus.ENABLED);
    }

    @Test
    void aKeyStripeRefusesBooksNothingAndSaysWhichAccessItNeeds() {
        october();
        stripe.failAlways(new FakeStripeBalance.Failure(401, "invalid_request_error", "Invalid API Key provided: rk_test_***weep",
                Map.of()));
        DynamoDbStores stores = store(SARAH);

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.accounts().get(0).problem()).contains("Stripe refused the key (401: Invalid API Key provided",
                "read access to Events");
        assertThat(report.endpoints()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(EndpointStatus.FAILED);
            assertThat(check.detail()).contains("listing webhook endpoints failed", "read access to Webhook Endpoints");
        });
        assertThat(report.stripeFailures()).isEqualTo(2);
        assertThat(report.toString()).doesNotContain(PLATFORM_KEY);
        assertNothingBooked(stores);
    }

    @Test
    void aListingThatFailsOnItsSecondPageBooksNothingFromTheFirst() {
        october();
        for (int i = 0; i < 120; i++) {
            stripe.addEvent(SampleStripeEvents.customerCreated("evt_3SweepCustomer" + i, ACCOUNT, "cus_Sweep" + i,
                    Instant.parse("2026-10-28T00:00:00Z").plusSeconds(i)), false);
        }
        stripe.failWhen(request -> request.contains("starting_after"), FakeStripeBalance.serverError());
        DynamoDbStores stores = store(SARAH);

        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.accounts().get(0).problem()).contains("after 1 page(s) (100 events)", "500");
        assertThat(report.accounts().get(0).pages()).isEqualTo(1);
        assertNothingBooked(stores);
        assertThat(stores.bookings().receipt("evt_3SweepCustomer119")).isEmpty();
    }

    @Test
    void aLongListingIsPagedAndToldPageByPage() {
        october();
        for (int i = 0; i < 150; i++) {
            stripe.addEvent(SampleStripeEvents.customerCreated("evt_3SweepCustomer" + i, ACCOUNT, "cus_Sweep" + i,
                    Instant.parse("2026-10-28T00:00:00Z").plusSeconds(i)), false);
        }
        List<String> told = new ArrayList<>();
        DynamoDbStores stores = store(SARAH);
        SweepReport report = sweep(stores, PLATFORM, WEBHOOK_URL).sweep(NOW, Duration.ofDays(20), false, new DeliverySweep.Progress() {
            @Override
            public void sweeping(List<String> agreementIds, String account) {
                told.add("sweeping " + agreementIds + " " + account);
            }

            @Override
            public void listed(int pages, int events) {
                told.add("listed " + pages + " " + events);
            }

            @Override
            public void routed(int done, int of) {
                if (done == of) {
                    told.add("routed " + done);
                }
            }
        });

        assertThat(told).containsExactly("sweeping [sarah-mindfulness] " + ACCOUNT, "listed 1 100", "listed 2 153", "routed 153");
        assertThat(report.eventsFound()).isEqualTo(153);
        assertThat(report.count(Disposition.IGNORED)).isEqualTo(151);
        assertThat(report.since()).isEqualTo(NOW.minus(Duration.ofDays(20)));
        assertThat(stripe.requests().get(1).pathAndQuery()).contains("&starting_after=evt_");
    }

    @Test
    void anAgreementWithoutAKeyIsNotSweptAndSaysSo() {
        october();
        SweepReport report = sweep(store(SARAH), StripeApiKeys.NONE, WEBHOOK_URL).sweep(NOW, false, DeliverySweep.Progress.NONE);

        assertThat(report.notConfigured()).containsExactly(SARAH.id());
        assertThat(report.accounts()).isEmpty();
        assertThat(report.headline()).contains("1 agreement(s) without a key, not swept");
        assertThat(stripe.requests()).isEmpty();
    }

    @Test
    void theSweepLooksBackAtMostTheThirtyDaysStripeKeepsEvents() {
        DeliverySweep sweep = sweep(store(SARAH), PLATFORM, WEBHOOK_URL);
        assertThatThrownBy(() -> sweep.sweep(NOW, Duration.ofDays(31), false, DeliverySweep.Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 30 days");
        assertThatThrownBy(() -> sweep.sweep(NOW, Duration.ZERO, false, DeliverySweep.Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stripe.requests()).isEmpty();
    }

    private static void assertNothingBooked(DynamoDbStores stores) {
        assertThat(lines(stores, SARAH.id())).isEmpty();
        for (String event : List.of("evt_3SweepSaleB", "evt_3SweepRefundB", "evt_3SweepCustomer")) {
            assertThat(stores.bookings().receipt(event)).as(event).isEmpty();
        }
    }
}
