package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Statement;
import dev.revshare.domain.Statement.Reconciliation.Status;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.RunSummary;
import dev.revshare.statements.StatementCsv;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.MonthOnStripe;
import dev.revshare.testing.TestAgreements;
import dev.revshare.time.SettableClock;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's month through the statement run: each month is reconciled with Stripe just before it closes, so that 3 of
 * October's 20 deliveries that never arrived (a sale, a refund, a dispute withdrawal) are on its statement, line for
 * line as if delivered, and the statement carries the proof. Stripe failing holds the month back a few days, never
 * longer; an agreement without a key is closed at once, its statement saying it is not reconciled.
 */
class ReconcileBeforeClosingTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** September due (its end in Madrid plus the 3 days' grace), October not. */
    private static final Instant SEPTEMBER_CLOSING = Instant.parse("2026-10-05T06:00:00Z");
    /** October's deliveries come in (the lost ones never do). */
    private static final Instant DELIVERED = Instant.parse("2026-11-02T12:00:00Z");
    /** October due: it ended at 2026-10-31T23:00Z in Madrid, plus 3 days. */
    private static final Instant OCTOBER_CLOSING = Instant.parse("2026-11-04T06:00:00Z");
    private static final String KEY = "rk_test_reconcile";

    private final MonthOnStripe month = new MonthOnStripe();
    private final FakeStripeBalance stripe = new FakeStripeBalance().add(month.balanceTransactions());

    @AfterEach
    void stopFake() {
        stripe.close();
    }

    /** One agreement's books and its statement run, reconciling before each close (or not, without a key). */
    private final class World {
        final SettableClock clock = new SettableClock(SEPTEMBER_CLOSING);
        final InMemoryStores stores = new InMemoryStores();
        final EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, clock);
        final List<OutgoingEmail> sent = new ArrayList<>();
        final MonthlyStatementRun run;
        final ClosingReconciliation beforeClosing;

        World(StripeApiKeys keys) {
            stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
            MonthlyStatementRun plan = run(dev.revshare.statements.BeforeClosing.NOTHING);
            StripeApiBalanceTransactions listing = new StripeApiBalanceTransactions(keys, stripe.baseUrl(),
                    new dev.revshare.stripe.StripeApiListing.Policy(Duration.ofSeconds(2), Duration.ofMillis(500), 1, 1,
                            Duration.ofSeconds(1), millis -> { }));
            Reconciliation reconciliation = new Reconciliation(stores.ledger(), stores.bookings(), router, listing, clock);
            beforeClosing = new ClosingReconciliation(stores.agreements(), stores.statements(), plan, reconciliation, clock,
                    ClosingReconciliation.DEFAULT_PATIENCE);
            run = run(beforeClosing);
        }

        private MonthlyStatementRun run(dev.revshare.statements.BeforeClosing before) {
            return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(), email -> {
                sent.add(email);
                return "msg-" + sent.size();
            }, (statement, messageId) -> { }, "statements@revshare.example", clock, MonthlyStatementRun.DEFAULT_GRACE, before);
        }

        /** The months before October closed (their own checks find nothing of October's), then October delivered. */
        World deliver(List<String> deliveries) {
            clock.set(SEPTEMBER_CLOSING);
            RunSummary summary = run.run(clock.instant(), null, null);
            assertThat(summary.count(RunSummary.Outcome.FAILED)).as(summary.headline()).isZero();
            assertThat(stores.statements().find(AGREEMENT.id(), SEPTEMBER)).isPresent();
            clock.set(DELIVERED);
            for (String delivery : deliveries) {
                BookingResult result = router.receiveTrusted(delivery);
                assertThat(result.outcome()).as(result.message()).isIn(Outcome.RECORDED, Outcome.DUPLICATE);
            }
            clock.set(OCTOBER_CLOSING);
            return this;
        }

        RunSummary closeDueMonths() {
            return run.run(clock.instant(), null, null);
        }

        Statement october() {
            return stores.statements().find(AGREEMENT.id(), OCTOBER).orElseThrow().statement();
        }

        OutgoingEmail octoberEmail() {
            return sent.stream().filter(email -> email.reference().endsWith("-2026-10-expert")).findFirst().orElseThrow();
        }

        List<LedgerLine> lines() {
            return stores.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, clock.instant()).stream()
                    .sorted(Comparator.comparing(LedgerLine::lineId)).toList();
        }
    }

    private StripeApiKeys key() {
        return agreement -> new StripeApiKeys.ApiKey(KEY, agreement.stripeAccount());
    }

    @Test
    void threeLostDeliveriesAreBookedBeforeOctoberClosesAndItsStatementIsLineForLineThatOfAllTwenty() {
        World allDelivered = new World(key()).deliver(month.allDeliveries());
        World threeLost = new World(key()).deliver(month.deliveredDeliveries());

        assertThat(allDelivered.closeDueMonths().count(RunSummary.Outcome.SENT)).isEqualTo(1);
        RunSummary summary = threeLost.closeDueMonths();

        assertThat(summary.results()).extracting(RunSummary.Result::period, RunSummary.Result::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-10", RunSummary.Outcome.SENT));
        Statement october = threeLost.october();
        Statement asDelivered = allDelivered.october();
        assertThat(october.lines()).hasSize(20);
        assertThat(october.lines()).isEqualTo(asDelivered.lines()); // ids, Stripe ids, times, amounts, rates, customers
        assertThat(october.totals()).isEqualTo(asDelivered.totals());
        assertThat(october.years()).isEqualTo(asDelivered.years());

        Statement.Reconciliation proof = october.reconciliation();
        assertThat(proof.status()).isEqualTo(Status.RECONCILED);
        assertThat(proof.reconciledAt()).isEqualTo(OCTOBER_CLOSING);
        assertThat(proof.movements()).isEqualTo(20);
        assertThat(proof.amounts()).isEqualTo(Map.of("usd", 245_300L)); // 14 sales, 3 refunds, 2 withdrawals, 1 reinstatement
        assertThat(proof.bookedByReconciliation()).isEqualTo(3);
        assertThat(proof.differences()).isEmpty();
        assertThat(asDelivered.reconciliation().bookedByReconciliation()).isZero();
        assertThat(asDelivered.reconciliation().status()).isEqualTo(Status.RECONCILED);
        assertThat(threeLost.stores.statements().reconciliation(AGREEMENT.id(), OCTOBER)).contains(proof);

        // the proof, wherever the statement is read
        String said = "Reconciled with Stripe on 2026-11-04: 20 movements, $2,453.00; 3 booked by reconciliation; "
                + "differences: none.";
        OutgoingEmail email = threeLost.octoberEmail();
        assertThat(email.text()).contains(said);
        assertThat(email.html()).contains(said);
        assertThat(Json.write(october)).contains("\"reconciliation\":{\"status\":\"RECONCILED\"",
                "\"movements\":20", "\"amounts\":{\"usd\":245300}", "\"bookedByReconciliation\":3", "\"differences\":[]");
        String csv = StatementCsv.write(october, AGREEMENT.timezone());
        // the proof first, then what is still owed the partner (September was not paid), then the lines
        assertThat(csv).startsWith("# " + said + "\r\n# Paid to the partner since the last statement: $0.00\r\n")
                .contains("# Still owed to the partner from earlier statements: $74.25\r\n").contains("\r\nline_id,");
        List<CSVRecord> rows = csvRows(csv);
        assertThat(rows).hasSize(20);
        assertThat(rows).extracting(row -> row.get("stripe_id"))
                .containsExactlyElementsOf(october.lines().stream().map(Statement.StatementLine::stripeId).toList());
    }

    @Test
    void closingAgainChangesNothingAndTheLateWebhooksOfReconciledMovementsAreDuplicates() {
        World world = new World(key()).deliver(month.deliveredDeliveries());
        world.closeDueMonths();
        List<LedgerLine> closed = world.lines();
        Statement october = world.october();
        int requests = stripe.requests().size();

        RunSummary again = world.closeDueMonths();

        assertThat(again.results()).isEmpty(); // nothing due: the month went out
        assertThat(world.beforeClosing.checked(new ClosingJob(AGREEMENT.id(), OCTOBER)).months()).isEmpty();
        assertThat(stripe.requests()).hasSize(requests); // Stripe is not read again for a closed month
        assertThat(world.sent).hasSize(24); // November 2025 to October 2026, each once to each party
        assertThat(world.october()).isEqualTo(october);
        for (MonthOnStripe.Movement lost : month.lost()) {
            BookingResult late = world.router.receiveTrusted(lost.event());
            assertThat(late.outcome()).as(lost.name() + ": " + late.message()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(world.lines()).isEqualTo(closed);
    }

    @Test
    void aJobDeliveredTwiceBeforeClosingReconcilesTheMonthOnce() {
        World world = new World(key()).deliver(month.deliveredDeliveries());
        ClosingJob job = new ClosingJob(AGREEMENT.id(), OCTOBER);

        ClosingReconciliation.Checked first = world.beforeClosing.checked(job);
        int requests = stripe.requests().size();
        ClosingReconciliation.Checked second = world.beforeClosing.checked(job);

        assertThat(first.months()).extracting(ClosingReconciliation.MonthProof::month, ClosingReconciliation.MonthProof::reconciledNow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(OCTOBER, true));
        assertThat(second.months()).extracting(ClosingReconciliation.MonthProof::reconciledNow).containsExactly(false);
        assertThat(second.months().get(0).proof()).isEqualTo(first.months().get(0).proof());
        assertThat(stripe.requests()).hasSize(requests);
        assertThat(second.decision().close()).isEqualTo(job);
    }

    @Test
    void whenStripeFailsTheMonthIsNotClosedThatDayAndClosesAfterThePatienceSayingWhatFailed() {
        World world = new World(key()).deliver(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.serverError());

        RunSummary firstDay = world.closeDueMonths();

        assertThat(firstDay.results()).singleElement().satisfies(result -> {
            assertThat(result.period()).isEqualTo("2026-10");
            assertThat(result.outcome()).isEqualTo(RunSummary.Outcome.SKIPPED);
            assertThat(result.message()).contains("not closed today", "Stripe's API failed (500", "from 2026-11-07");
        });
        assertThat(world.stores.statements().find(AGREEMENT.id(), OCTOBER)).isEmpty();
        assertThat(world.stores.statements().reconciliation(AGREEMENT.id(), OCTOBER)).get()
                .extracting(Statement.Reconciliation::status).isEqualTo(Status.FAILED);
        int booked = world.lines().size();

        world.clock.set(OCTOBER_CLOSING.plus(Duration.ofDays(1))); // the next daily run: still failing
        assertThat(world.closeDueMonths().results()).extracting(RunSummary.Result::outcome).containsExactly(RunSummary.Outcome.SKIPPED);
        assertThat(world.stores.statements().find(AGREEMENT.id(), OCTOBER)).isEmpty();

        // three days after October became due (2026-11-03T23:00Z), Stripe still failing: closed all the same
        world.clock.set(Instant.parse("2026-11-07T06:00:00Z"));
        RunSummary afterPatience = world.closeDueMonths();

        assertThat(afterPatience.results()).extracting(RunSummary.Result::period, RunSummary.Result::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-10", RunSummary.Outcome.SENT));
        Statement october = world.october();
        assertThat(october.reconciliation().status()).isEqualTo(Status.FAILED);
        assertThat(october.reconciliation().problem()).contains("Stripe's API failed (500");
        assertThat(october.lines()).hasSize(17); // nothing half-booked: the lost three are not there
        assertThat(world.lines()).hasSize(booked);
        assertThat(world.octoberEmail().text()).contains("Not reconciled with Stripe: the check on 2026-11-07 failed (listing balance transactions failed",
                "Stripe's API failed (500");
    }

    @Test
    void whenStripeComesBackWithinThePatienceTheMonthIsReconciledAndClosed() {
        World world = new World(key()).deliver(month.deliveredDeliveries());
        stripe.failAlways(FakeStripeBalance.rateLimited(30));
        assertThat(world.closeDueMonths().results()).extracting(RunSummary.Result::outcome).containsExactly(RunSummary.Outcome.SKIPPED);

        stripe.failAlways(null);
        world.clock.set(OCTOBER_CLOSING.plus(Duration.ofDays(1)));
        RunSummary nextDay = world.closeDueMonths();

        assertThat(nextDay.results()).extracting(RunSummary.Result::outcome).containsExactly(RunSummary.Outcome.SENT);
        assertThat(world.october().reconciliation().status()).isEqualTo(Status.RECONCILED);
        assertThat(world.october().reconciliation().bookedByReconciliation()).isEqualTo(3);
        assertThat(world.october().lines()).hasSize(20);
    }

    @Test
    void withoutAKeyTheMonthClosesAtOnceAndItsStatementSaysItIsNotReconciled() {
        World world = new World(StripeApiKeys.NONE).deliver(month.deliveredDeliveries());

        RunSummary summary = world.closeDueMonths();

        assertThat(summary.results()).extracting(RunSummary.Result::outcome).containsExactly(RunSummary.Outcome.SENT);
        Statement.Reconciliation proof = world.october().reconciliation();
        assertThat(proof.status()).isEqualTo(Status.NOT_RECONCILED);
        assertThat(stripe.requests()).isEmpty();
        String said = "Not reconciled with Stripe: no Stripe API key is set up for agreement sarah-mindfulness: its books are "
                + "not checked against Stripe.";
        assertThat(world.octoberEmail().text()).contains(said);
        assertThat(world.octoberEmail().html()).contains(said);
        assertThat(StatementCsv.write(world.october(), AGREEMENT.timezone())).startsWith("# " + said + "\r\n");
        assertThat(Json.write(world.october())).contains("\"status\":\"NOT_RECONCILED\"", "\"problem\":\"no Stripe API key");
    }

    @Test
    void differencesAreListedOnTheStatementWithTheirStripeIds() {
        List<String> deliveries = new ArrayList<>(month.allDeliveries());
        // a sale Stripe never recorded for this account: the ledger keeps it, the statement lists the difference
        deliveries.add(dev.revshare.stripe.SampleStripeEvents.chargeSucceeded("evt_3Stranger", MonthOnStripe.ACCOUNT,
                "ch_3NotOnStripe", "pi_3NotOnStripe", 12_300, "usd", Instant.parse("2026-10-21T10:00:00Z"), "course", "cus_x"));
        World world = new World(key()).deliver(deliveries);

        world.closeDueMonths();

        Statement october = world.october();
        assertThat(october.reconciliation().status()).isEqualTo(Status.DIFFERENCES);
        assertThat(october.reconciliation().differences()).extracting(Statement.Reconciliation.Difference::stripeId,
                Statement.Reconciliation.Difference::kind, Statement.Reconciliation.Difference::ledgerAmount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ch_3NotOnStripe", Statement.Reconciliation.Kind.MISSING_IN_STRIPE,
                        12_300L));
        assertThat(october.lines()).extracting(Statement.StatementLine::stripeId).contains("ch_3NotOnStripe");
        String text = world.octoberEmail().text();
        assertThat(text).contains("Reconciled with Stripe on 2026-11-04: 20 movements, $2,453.00; 0 booked by reconciliation; "
                + "differences: 1 (kept for the two parties to settle; the ledger was not changed).");
        assertThat(text).contains("  ch_3NotOnStripe (sale, 2026-10-21): missing in Stripe, ledger $123.00");
        assertThat(world.octoberEmail().html()).contains("ch_3NotOnStripe (sale, 2026-10-21): missing in Stripe, ledger $123.00");
        assertThat(StatementCsv.write(october, AGREEMENT.timezone())).contains("\r\n#   ch_3NotOnStripe (sale, 2026-10-21): missing in Stripe");
    }

    private static List<CSVRecord> csvRows(String csv) {
        try {
            return StatementCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
