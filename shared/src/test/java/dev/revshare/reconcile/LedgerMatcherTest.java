package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
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
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How Stripe's movements are matched with the ledger where the two do not name things alike: a refund booked
 * from charge.refunded alone (no refund id), a payment in another currency (Stripe's balance transaction in the
 * settlement currency), a card payment captured days after it was authorised, across a month's end, and a
 * refund whose payment was lost in an earlier month.
 */
class LedgerMatcherTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final String ACCOUNT = AGREEMENT.stripeAccount();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T06:00:00Z"), ZoneOffset.UTC);
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant SOLD_AT = Instant.parse("2026-10-06T09:00:00Z");

    private final FakeStripeBalance stripe = new FakeStripeBalance();
    private final InMemoryStores stores = new InMemoryStores();
    private final EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
    private final Reconciliation reconciliation = new Reconciliation(stores.ledger(), stores.bookings(), router,
            new StripeApiBalanceTransactions(agreement -> new StripeApiKeys.ApiKey("rk_test_match", agreement.stripeAccount()),
                    stripe.baseUrl()), CLOCK);

    LedgerMatcherTest() {
        stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
    }

    @AfterEach
    void stopFake() {
        stripe.close();
    }

    @Test
    void aRefundBookedFromChargeRefundedAloneIsFoundByThePaymentsRefundedTotal() {
        String sale = sale("ch_3Whole", "pi_3Whole", 29_700, "usd", SOLD_AT);
        deliver(sale);
        deliver(SampleStripeEvents.chargeRefunded("evt_3WholeRefunded", ACCOUNT, "ch_3Whole", "pi_3Whole", 29_700, 5_000, "usd",
                SOLD_AT, SOLD_AT.plusSeconds(86_400), "course", "cus_1"));
        stripe.add(FakeStripeBalance.charge("txn_3Whole", object(sale)));
        stripe.add(FakeStripeBalance.refund("txn_3WholeRefund", refund("re_3WholePart", "ch_3Whole", "pi_3Whole", 5_000,
                SOLD_AT.plusSeconds(86_400))));

        ReconciliationReport report = reconciliation.reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.status()).as("%s", report.comparison().differences()).isEqualTo(Status.RECONCILED);
        assertThat(report.comparison().matched()).isEqualTo(2);
        assertThat(report.booked()).isEmpty();
    }

    @Test
    void aPaymentInAnotherCurrencyIsComparedInTheCurrencyPaidAndOneLostIsBookedAtStripesSettlement() {
        // paid EUR 29.90, settled as USD 32.50: the ledger books the settlement, Stripe's transaction says USD 32.50
        String delivered = sale("ch_3Euro1", "pi_3Euro1", 2_990, "eur", SOLD_AT);
        deliver(delivered.replace("\"balance_transaction\":\"txn_3Euro1\"",
                "\"balance_transaction\":{\"id\":\"txn_3Euro1\",\"object\":\"balance_transaction\",\"amount\":3250,\"currency\":\"usd\"}"));
        String lost = sale("ch_3Euro2", "pi_3Euro2", 4_990, "eur", SOLD_AT.plusSeconds(3_600));
        stripe.add(settled("txn_3Euro1", object(delivered), 3_250));
        stripe.add(settled("txn_3Euro2", object(lost), 5_420));

        ReconciliationReport report = reconciliation.reconcile(AGREEMENT, OCTOBER, false);

        assertThat(report.comparison().differences()).extracting(Difference::kind, Difference::stripeId, Difference::stripeAmount,
                Difference::stripeCurrency).containsExactly(tuple(Difference.Kind.MISSING_IN_LEDGER, "ch_3Euro2", 5_420L, "usd"));
        assertThat(report.status()).isEqualTo(Status.RECONCILED);
        assertThat(lines()).extracting(LedgerLine::stripeId, LedgerLine::amount, LedgerLine::currency)
                .containsExactlyInAnyOrder(tuple("ch_3Euro1", 3_250L, "usd"), tuple("ch_3Euro2", 5_420L, "usd"));
    }

    @Test
    void aPaymentCapturedDaysAfterItsAuthorisationMatchesAcrossTheMonthsEnd() {
        // authorised on 31 October in Madrid (the ledger dates the sale then), captured on 3 November (Stripe's transaction)
        Instant authorised = Instant.parse("2026-10-31T20:00:00Z");
        String sale = sale("ch_3Late", "pi_3Late", 29_700, "usd", authorised);
        deliver(sale.replace("\"type\":\"charge.succeeded\"", "\"type\":\"charge.captured\""));
        stripe.add(FakeStripeBalance.transaction("txn_3Late", "charge", "charge", 29_700, "usd",
                Instant.parse("2026-11-03T10:00:00Z"), object(sale)));

        ReconciliationReport october = reconciliation.reconcile(AGREEMENT, OCTOBER, false);
        ReconciliationReport november = reconciliation.reconcile(AGREEMENT, OCTOBER.plusMonths(1), false);

        assertThat(october.comparison().ledgerMovements()).isEqualTo(1);
        assertThat(october.comparison().stripeMovements()).isZero();
        assertThat(october.comparison().differences()).isEmpty();
        assertThat(november.comparison().stripeMovements()).isEqualTo(1);
        assertThat(november.comparison().matched()).isEqualTo(1);
        assertThat(november.comparison().differences()).isEmpty();
    }

    @Test
    void aRefundWhosePaymentWasLostInAnEarlierMonthWaitsUntilThatMonthIsReconciled() {
        Instant septemberSale = Instant.parse("2026-09-20T10:00:00Z");
        String sale = sale("ch_3Sept", "pi_3Sept", 29_700, "usd", septemberSale);
        stripe.add(FakeStripeBalance.charge("txn_3Sept", object(sale)));
        stripe.add(FakeStripeBalance.refund("txn_3SeptRefund", refund("re_3Sept", "ch_3Sept", "pi_3Sept", 29_700, SOLD_AT)));

        ReconciliationReport october = reconciliation.reconcile(AGREEMENT, OCTOBER, false);

        assertThat(october.comparison().differences()).singleElement().satisfies(missing -> {
            assertThat(missing.stripeId()).isEqualTo("re_3Sept");
            assertThat(missing.detail()).isEqualTo("the ledger has neither it nor its payment (charge ch_3Sept)");
        });
        assertThat(october.booked()).extracting(ReconciliationReport.Booked::outcome).containsExactly(Outcome.PENDING);
        assertThat(october.status()).isEqualTo(Status.DIFFERENCES);
        assertThat(lines()).isEmpty();

        ReconciliationReport september = reconciliation.reconcile(AGREEMENT, OCTOBER.minusMonths(1), false);
        ReconciliationReport octoberAgain = reconciliation.reconcile(AGREEMENT, OCTOBER, false);

        assertThat(september.booked()).extracting(ReconciliationReport.Booked::outcome).containsExactly(Outcome.RECORDED);
        assertThat(octoberAgain.status()).isEqualTo(Status.RECONCILED);
        assertThat(lines()).extracting(LedgerLine::type, LedgerLine::amount)
                .containsExactlyInAnyOrder(tuple(LineType.SALE, 29_700L), tuple(LineType.REFUND, -29_700L));
    }

    private void deliver(String event) {
        BookingResult result = router.receiveTrusted(event);
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.RECORDED);
    }

    private List<LedgerLine> lines() {
        return stores.ledger().recordedBetween(AGREEMENT.id(), Instant.EPOCH, CLOCK.instant());
    }

    private static String sale(String charge, String paymentIntent, long amount, String currency, Instant at) {
        return SampleStripeEvents.chargeSucceeded("evt_" + charge.substring(3), ACCOUNT, charge, paymentIntent, amount, currency,
                at, "course", "cus_1");
    }

    private static JsonNode refund(String refundId, String charge, String paymentIntent, long amount, Instant at) {
        return object(SampleStripeEvents.refund("evt_" + refundId.substring(3), "refund.created", ACCOUNT, refundId, charge,
                paymentIntent, amount, "usd", "succeeded", at));
    }

    /** A charge's balance transaction in the account's settlement currency (USD) for a charge paid in another. */
    private static ObjectNode settled(String id, JsonNode charge, long usd) {
        return FakeStripeBalance.transaction(id, "charge", "charge", usd, "usd",
                Instant.ofEpochSecond(charge.path("created").asLong()), charge);
    }

    private static JsonNode object(String event) {
        return Json.read(event, JsonNode.class).path("data").path("object");
    }
}
