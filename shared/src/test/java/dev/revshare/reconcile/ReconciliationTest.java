package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Statement;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.EventRouter;
import dev.revshare.reconcile.Comparison.Difference;
import dev.revshare.reconcile.ReconciliationReport.Status;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiListing;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.MonthOnStripe;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's month: 3 of October's 20 deliveries never arrive (a sale, a refund, a dispute withdrawal).
 * Reconciliation with Stripe's balance transactions (a fake Stripe API, paged and failing as Stripe does) books
 * them through the webhook's own booking path, so the ledger and the statement come out line for line as if all
 * 20 had arrived; a second run changes nothing; the late webhooks are duplicates; what the ledger has and Stripe
 * does not is kept for a person, never changed.
 */
class ReconciliationTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** After October's grace period, before the statement run. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T06:00:00Z"), ZoneOffset.UTC);
    private static final String KEY = "rk_test_reconcile";

    private final MonthOnStripe month = new MonthOnStripe();
    private final FakeStripeBalance stripe = new FakeStripeBalance().add(month.balanceTransactions());
    private final List<Long> waits = new ArrayList<>();
    private final StripeApiBalanceTransactions listing = new StripeApiBalanceTransactions(
            agreement -> new StripeApiKeys.ApiKey(KEY, agreement.stripeAccount()), stripe.baseUrl(),
            new StripeApiListing.Policy(Duration.ofSeconds(2), Duration.ofMillis(500), 2, 3, Duration.ofSeconds(30),
                    waits::add));

    @AfterEach
    void stopFake() {
        stripe.close();
    }

    /** The ledger and its books, for one world. */
    private record Books(InMemoryStores stores, EventRouter router, Reconciliation reconciliation) {
        List<LedgerLine> lines() {
            return stores.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, CLOCK.instant()).stream()
                    .sorted(Comparator.comparing(LedgerLine::lineId)).toList();
        }

        Statement october() {
            return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(), email -> "unused",
                    (statement, messageId) -> { }, "statements@revshare.example", CLOCK, MonthlyStatementRun.DEFAULT_GRACE)
                    .preview(AGREEMENT.id(), OCTOBER);
        }
    }

    private Books books(List<String> deliveries) {
        InMemoryStores stores = new InMemoryStores();
        stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
        EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
        for (String delivery : deliveries) {
            BookingResult result = router.receiveTrusted(delivery);
            assertThat(result.outcome()).as(result.message()).isIn(Outcome.RECORDED, Outcome.DUPLICATE);
        }
        return new Books(stores, router, new Reconciliation(stores.ledger(), stores.bookings(), router, listing, CLOCK));
    }

    @Test
    void threeLostDeliveriesAreBookedAndTheMonthIsLineForLineAsIfAllTwentyHadArrived() {
        Books allDelivered = books(month.allDeliveries());
        Books threeLost = books(month.deliveredDeliveries());
        assertThat(threeLost.lines()).hasSize(allDelivered.lines().size() - 3);

        ReconciliationReport report = threeLost.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).as(report.problem()).isEqualTo(Status.RECONCILED);
        Comparison found = report.comparison();
        assertThat(found.stripeMovements()).isEqualTo(20);
        assertThat(found.stripe()).containsEntry(MovementKind.SALE, new Comparison.Tally(14, Map.of("usd", 10L * 29_700 + 4 * 4_900)))
                .containsEntry(MovementKind.REFUND, new Comparison.Tally(3, Map.of("usd", -29_700L - 10_000 - 1_900)));
        assertThat(found.ledgerMovements()).isEqualTo(17);
        assertThat(found.matched()).isEqualTo(17);
        assertThat(found.notRevenue()).containsExactly(Map.entry("payout", 1), Map.entry("stripe_fee", 1));
        assertThat(found.differences()).extracting(Difference::kind, Difference::movement, Difference::stripeId,
                        Difference::balanceTransaction, Difference::stripeAmount)
                .containsExactly( // in the order the money moved
                        tuple(Difference.Kind.MISSING_IN_LEDGER, MovementKind.REFUND, MonthOnStripe.refundId(2),
                                "txn_" + MonthOnStripe.refundId(2).substring(3), -10_000L),
                        tuple(Difference.Kind.MISSING_IN_LEDGER, MovementKind.DISPUTE_WITHDRAWAL, MonthOnStripe.disputeId(4),
                                "txn_" + MonthOnStripe.disputeId(4).substring(3) + "w", -29_700L),
                        tuple(Difference.Kind.MISSING_IN_LEDGER, MovementKind.SALE, MonthOnStripe.charge(14),
                                "txn_" + MonthOnStripe.charge(14).substring(3), 29_700L));
        assertThat(report.booked()).extracting(b -> b.difference().stripeId(), ReconciliationReport.Booked::outcome)
                .containsExactly(tuple(MonthOnStripe.charge(14), Outcome.RECORDED), tuple(MonthOnStripe.refundId(2), Outcome.RECORDED),
                        tuple(MonthOnStripe.disputeId(4), Outcome.RECORDED));
        assertThat(report.after().differences()).isEmpty();
        assertThat(report.after().matched()).isEqualTo(20);
        assertThat(report.after().ledgerMovements()).isEqualTo(20);
        assertThat(report.held()).isEmpty();

        // line for line: ids, Stripe ids, types, amounts, times, categories, customers and sales as if delivered
        assertThat(threeLost.lines()).extracting(ReconciliationTest::movement)
                .containsExactlyElementsOf(allDelivered.lines().stream().map(ReconciliationTest::movement).toList());
        assertThat(threeLost.october()).isEqualTo(allDelivered.october());
        assertThat(threeLost.october().lines()).hasSize(20);
    }

    @Test
    void reconcilingAgainChangesNothingAndTheLateWebhooksAreDuplicates() {
        Books books = books(month.deliveredDeliveries());
        books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);
        List<LedgerLine> reconciled = books.lines();

        ReconciliationReport again = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(again.status()).isEqualTo(Status.RECONCILED);
        assertThat(again.comparison().differences()).isEmpty();
        assertThat(again.booked()).isEmpty();
        assertThat(again.after()).isNull();
        assertThat(books.lines()).isEqualTo(reconciled);
        // the events reconciliation built are named by their balance transactions: built again, they are duplicates
        for (MonthOnStripe.Movement lost : month.lost()) {
            var transaction = dev.revshare.stripe.BalanceTransaction.read(lost.balanceTransaction());
            BookingResult rebuilt = books.router().route(AGREEMENT.id(),
                    MissedDeliveries.event(AGREEMENT, MovementKind.of(transaction), transaction));
            assertThat(rebuilt.outcome()).as(lost.name()).isEqualTo(Outcome.DUPLICATE);
        }
        // Stripe's own retry of each lost delivery arrives at last: the same payment, refund, dispute movement
        for (MonthOnStripe.Movement lost : month.lost()) {
            BookingResult late = books.router().receiveTrusted(lost.event());
            assertThat(late.outcome()).as(lost.name() + ": " + late.message()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(books.lines()).isEqualTo(reconciled);
    }

    @Test
    void aDryRunComparesAndBooksNothing() {
        Books books = books(month.deliveredDeliveries());
        List<LedgerLine> before = books.lines();

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, true);

        assertThat(report.status()).isEqualTo(Status.DIFFERENCES);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.comparison().differences(Difference.Kind.MISSING_IN_LEDGER)).hasSize(3);
        assertThat(report.booked()).isEmpty();
        assertThat(books.lines()).isEqualTo(before);
        assertThat(books.stores().ledger().setAside()).isEmpty();
    }

    @Test
    void whatTheLedgerHasAndStripeDoesNotOrWithAnotherAmountIsKeptForAPersonAndNeverChanged() {
        List<String> deliveries = new ArrayList<>(month.allDeliveries());
        // a sale Stripe never recorded for this account, and a refund the ledger was told was smaller than Stripe's
        deliveries.add(SampleStripeEvents.chargeSucceeded("evt_3Stranger", MonthOnStripe.ACCOUNT, "ch_3NotOnStripe",
                "pi_3NotOnStripe", 12_300, "usd", Instant.parse("2026-10-21T10:00:00Z"), "course", "cus_x"));
        deliveries.replaceAll(event -> event.contains(MonthOnStripe.refundId(3))
                ? event.replace("\"amount\":1900", "\"amount\":1500") : event);
        Books books = books(deliveries);
        List<LedgerLine> before = books.lines();

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.DIFFERENCES);
        assertThat(report.comparison().differences()).extracting(Difference::kind, Difference::stripeId,
                        Difference::stripeAmount, Difference::ledgerAmount)
                .containsExactly(tuple(Difference.Kind.AMOUNT_DIFFERS, MonthOnStripe.refundId(3), -1_900L, -1_500L),
                        tuple(Difference.Kind.MISSING_IN_STRIPE, "ch_3NotOnStripe", null, 12_300L));
        assertThat(report.booked()).isEmpty();
        assertThat(books.lines()).isEqualTo(before); // nothing deleted, nothing changed
        List<SetAsideEvent> kept = books.stores().ledger().setAside();
        assertThat(kept).extracting(SetAsideEvent::eventType, SetAsideEvent::objectId, SetAsideEvent::amount)
                .containsExactlyInAnyOrder(tuple("reconciliation.amount_differs", MonthOnStripe.refundId(3), -1_500L),
                        tuple("reconciliation.missing_in_stripe", "ch_3NotOnStripe", 12_300L));
        assertThat(kept).allSatisfy(event -> assertThat(event.reason()).startsWith("reconciling sarah-mindfulness 2026-10"));

        books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);
        assertThat(books.stores().ledger().setAside()).hasSize(2); // kept again under the same ids, not twice
    }

    @Test
    void aListingOfManyPagesAsksForTheAgreementsMonthInItsZoneOnItsAccountPageAfterPage() {
        List<String> deliveries = new ArrayList<>(month.allDeliveries());
        for (int i = 0; i < 230; i++) {
            String n = String.format("%03d", i);
            String sale = SampleStripeEvents.chargeSucceeded("evt_3Many" + n, MonthOnStripe.ACCOUNT, "ch_3Many" + n,
                    "pi_3Many" + n, 2_000, "usd", Instant.parse("2026-10-10T00:00:00Z").plusSeconds(60L * i), "course", "cus_m");
            deliveries.add(sale);
            stripe.add(FakeStripeBalance.charge("txn_3Many" + n, dev.revshare.json.Json.read(sale,
                    com.fasterxml.jackson.databind.JsonNode.class).path("data").path("object")));
        }
        Books books = books(deliveries);
        List<int[]> progress = new ArrayList<>();

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, true, new Reconciliation.Progress() {
            @Override
            public void listed(int pages, int transactions) {
                progress.add(new int[] {pages, transactions});
            }
        });

        assertThat(report.status()).isEqualTo(Status.RECONCILED);
        assertThat(report.pages()).isEqualTo(3);
        assertThat(report.comparison().stripeMovements()).isEqualTo(250);
        assertThat(progress).extracting(p -> p[0], p -> p[1]).containsExactly(tuple(1, 100), tuple(2, 200), tuple(3, 254));
        // October in Madrid (UTC+2, then UTC+1 from the 25th), a day before and a week after; 100 a page
        long from = Instant.parse("2026-09-29T22:00:00Z").getEpochSecond();
        long to = Instant.parse("2026-11-07T23:00:00Z").getEpochSecond();
        String first = "/v1/balance_transactions?created[gte]=" + from + "&created[lt]=" + to + "&expand[]=data.source&limit=100";
        assertThat(stripe.requests()).extracting(r -> r.pathAndQuery().replaceAll("&starting_after=txn_\\w+", "&starting_after=ID"))
                .containsExactly(first, first + "&starting_after=ID", first + "&starting_after=ID");
        assertThat(stripe.requests()).allSatisfy(request -> {
            assertThat(request.stripeAccount()).isEqualTo(MonthOnStripe.ACCOUNT);
            assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        });
    }

    // ---------------------------------------------------------------- Stripe's bad answers: nothing booked

    @Test
    void aRateLimitThatOutlastsItsWaitsBooksNothingAndSaysSo() {
        Books books = books(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.rateLimited(2));

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("429", "Retry-After 2 s", "still after 3 wait(s)", "run it again later");
        assertThat(waits).containsExactly(2_000L, 2_000L, 2_000L); // as long as Stripe asked, three times
        assertNothingBooked(books);
    }

    @Test
    void aRateLimitStripeLiftsIsWaitedOutAndTheMonthReconciled() {
        Books books = books(month.deliveredDeliveries());
        stripe.failNext(1, FakeStripeBalance.rateLimited(1));

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.RECONCILED);
        assertThat(waits).containsExactly(1_000L);
        assertThat(report.recorded()).isEqualTo(3);
    }

    @Test
    void aRateLimitAskingForLongerThanWeWaitBooksNothing() {
        Books books = books(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.rateLimited(120));

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("429, Retry-After 120 s");
        assertThat(waits).isEmpty();
        assertNothingBooked(books);
    }

    @Test
    void stripesServerErrorsAfterStripeJavasRetriesBookNothing() {
        Books books = books(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.serverError());

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("Stripe's API failed (500, in 3 attempts)", "after 0 page(s)");
        assertThat(stripe.requests()).hasSize(3); // stripe-java's own retries
        assertNothingBooked(books);
    }

    @Test
    void aKeyWithoutPermissionBooksNothingAndSaysWhichAccessItNeeds() {
        Books books = books(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.forbidden());

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("Stripe refused the key (403", "read access to Balance");
        assertThat(stripe.requests()).hasSize(1);
        assertNothingBooked(books);
    }

    @Test
    void aStripeThatNeverAnswersBooksNothingOnceItsTimeoutsAndRetriesRunOut() {
        Books books = books(month.deliveredDeliveries());
        stripe.silent(true);

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("Stripe did not answer", "in 3 attempts of up to 0.5 s");
        assertThat(stripe.requests()).hasSize(3);
        assertNothingBooked(books);
    }

    @Test
    void aListingThatFailsOnItsSecondPageBooksNothingFromTheFirst() {
        for (int i = 0; i < 150; i++) {
            stripe.add(FakeStripeBalance.other("txn_3Fee" + i, "stripe_fee", "fee", -10, "usd",
                    Instant.parse("2026-10-12T00:00:00Z").plusSeconds(i), null));
        }
        Books books = books(month.deliveredDeliveries());
        stripe.failWhen(request -> request.contains("starting_after"), FakeStripeBalance.serverError());

        ReconciliationReport report = books.reconciliation().reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.FAILED);
        assertThat(report.problem()).contains("after 1 page(s) (100 transactions)", "500");
        assertThat(report.pages()).isEqualTo(1);
        assertNothingBooked(books);
    }

    @Test
    void anAgreementWithoutAKeyIsSaidNotToBeReconciled() {
        Books books = books(month.deliveredDeliveries());
        Reconciliation withoutKey = new Reconciliation(books.stores().ledger(), books.stores().bookings(), books.router(),
                new StripeApiBalanceTransactions(StripeApiKeys.NONE, stripe.baseUrl()), CLOCK);

        ReconciliationReport report = withoutKey.reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).isEqualTo(Status.NOT_CONFIGURED);
        assertThat(report.problem()).isEqualTo("no Stripe API key is set up for agreement sarah-mindfulness: its books are "
                + "not checked against Stripe");
        assertThat(stripe.requests()).isEmpty();
    }

    private void assertNothingBooked(Books books) {
        assertThat(books.lines()).extracting(LedgerLine::type).doesNotContainNull();
        assertThat(books.lines()).hasSize(books(month.deliveredDeliveries()).lines().size());
        for (MonthOnStripe.Movement lost : month.lost()) {
            var transaction = dev.revshare.stripe.BalanceTransaction.read(lost.balanceTransaction());
            assertThat(books.stores().bookings().receipt(MissedDeliveries.eventId(transaction))).isEmpty();
        }
        assertThat(books.stores().ledger().setAside()).isEmpty();
    }

    /** What a line books, leaving out when and by which event it was recorded. */
    private static List<Object> movement(LedgerLine line) {
        return List.of(line.lineId(), String.valueOf(line.stripeId()), line.type(), line.amount(), line.currency(),
                line.occurredAt(), line.saleOccurredAt(), String.valueOf(line.category()), String.valueOf(line.customer()),
                line.saleId());
    }
}
