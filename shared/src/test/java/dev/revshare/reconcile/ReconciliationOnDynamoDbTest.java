package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.EventRouter;
import dev.revshare.json.Json;
import dev.revshare.reconcile.Comparison.Difference;
import dev.revshare.reconcile.ReconciliationReport.Status;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MonthOnStripe;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lost-deliveries month on the DynamoDB repositories (DynamoDB Local), with sixty more payments so
 * that the payments are read in several batches (DynamoDB takes 100 keys a read) and a sale Stripe never
 * recorded is kept for a person in the table: the same outcome as in memory.
 */
class ReconciliationOnDynamoDbTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void lostDeliveriesAreBookedOnceAndWhatStripeLacksIsKeptInTheTable() {
        MonthOnStripe month = new MonthOnStripe();
        List<String> extra = new ArrayList<>();
        try (FakeStripeBalance stripe = new FakeStripeBalance().add(month.balanceTransactions())) {
            for (int i = 0; i < 60; i++) { // with October's, some 170 ids: two reads of payments
                String n = String.format("%03d", i);
                String sale = SampleStripeEvents.chargeSucceeded("evt_3Db" + n, MonthOnStripe.ACCOUNT, "ch_3Db" + n, "pi_3Db" + n,
                        2_000 + i, "usd", Instant.parse("2026-10-20T00:00:00Z").plusSeconds(97L * i), "course", "cus_db");
                extra.add(sale);
                stripe.add(FakeStripeBalance.charge("txn_3Db" + n, Json.read(sale, JsonNode.class).path("data").path("object")));
            }
            String notOnStripe = SampleStripeEvents.chargeSucceeded("evt_3DbStranger", MonthOnStripe.ACCOUNT, "ch_3DbStranger",
                    "pi_3DbStranger", 9_900, "usd", Instant.parse("2026-10-22T10:00:00Z"), "course", "cus_x");

            List<String> all = new ArrayList<>(month.allDeliveries());
            all.addAll(extra);
            all.add(notOnStripe);
            List<String> delivered = new ArrayList<>(month.deliveredDeliveries());
            delivered.addAll(extra);
            delivered.add(notOnStripe);
            DynamoDbStores complete = deliver(all);
            DynamoDbStores threeLost = deliver(delivered);
            Reconciliation reconciliation = new Reconciliation(threeLost.ledger(), threeLost.bookings(),
                    new EventRouter(threeLost.agreements(), threeLost.bookings(), StripeLookup.NONE, CLOCK),
                    new StripeApiBalanceTransactions(agreement -> new StripeApiKeys.ApiKey("rk_test_db", agreement.stripeAccount()),
                            stripe.baseUrl()), CLOCK);

            ReconciliationReport first = reconciliation.reconcile(AGREEMENT, YearMonth.of(2026, 10), false);
            ReconciliationReport second = reconciliation.reconcile(AGREEMENT, YearMonth.of(2026, 10), false);

            assertThat(first.status()).isEqualTo(Status.DIFFERENCES);
            assertThat(first.comparison().stripeMovements()).isEqualTo(80);
            assertThat(first.booked()).extracting(ReconciliationReport.Booked::outcome).containsOnly(Outcome.RECORDED).hasSize(3);
            assertThat(first.after().differences()).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(Difference.Kind.MISSING_IN_STRIPE);
                assertThat(d.stripeId()).isEqualTo("ch_3DbStranger");
            });
            assertThat(lines(threeLost)).extracting(LedgerLine::lineId, LedgerLine::type, LedgerLine::amount, LedgerLine::stripeId)
                    .containsExactlyElementsOf(lines(complete).stream()
                            .map(l -> org.assertj.core.groups.Tuple.tuple(l.lineId(), l.type(), l.amount(), l.stripeId())).toList());
            assertThat(second.booked()).isEmpty();
            assertThat(second.comparison().matched()).isEqualTo(80);
            assertThat(threeLost.ledger().setAside()).singleElement().satisfies(kept -> {
                assertThat(kept.eventType()).isEqualTo("reconciliation.missing_in_stripe");
                assertThat(kept.objectId()).isEqualTo("ch_3DbStranger");
                assertThat(kept.amount()).isEqualTo(9_900L);
            });
        }
    }

    private static DynamoDbStores deliver(List<String> deliveries) {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
        EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
        for (String delivery : deliveries) {
            BookingResult result = router.receiveTrusted(delivery);
            assertThat(result.outcome()).as(result.message()).isIn(Outcome.RECORDED, Outcome.DUPLICATE);
        }
        return stores;
    }

    private static List<LedgerLine> lines(DynamoDbStores stores) {
        return stores.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, CLOCK.instant()).stream()
                .sorted(Comparator.comparing(LedgerLine::lineId)).toList();
    }
}
