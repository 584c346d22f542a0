package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.EventRouter;
import dev.revshare.stripe.BalanceTransaction;
import dev.revshare.stripe.BalanceTransactions;
import dev.revshare.stripe.StripeApiBalanceTransactions;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.MonthOnStripe;
import dev.revshare.testing.RecordedStripeApi;
import dev.revshare.testing.StripeMockServer;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every request reconciliation makes to Stripe's API, made with stripe-java against stripe-mock (Stripe's official
 * mock, which refuses what the real API would refuse as invalid): the listing's first page and the pages after
 * it, with the agreement's account, exactly as they were asked of the fake API the other tests answer from.
 */
class BalanceListingAgainstStripeMockTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final StripeApiKeys PLATFORM_KEY = agreement -> new StripeApiKeys.ApiKey("sk_test_123", agreement.stripeAccount());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void stripeMockAnswersTheListingAndItsAnswerIsRead() {
        StripeApiBalanceTransactions stripe = new StripeApiBalanceTransactions(PLATFORM_KEY, StripeMockServer.get().baseUrl());

        List<BalanceTransaction> listed = stripe.list(AGREEMENT, Instant.parse("2026-09-30T22:00:00Z"),
                Instant.parse("2026-10-31T23:00:00Z"), BalanceTransactions.Progress.NONE);

        assertThat(listed).isNotEmpty().allSatisfy(transaction -> {
            assertThat(transaction.id()).startsWith("txn_");
            assertThat(transaction.currency()).isEqualTo("usd");
            assertThat(transaction.source()).as("expanded").isNotNull();
        });
    }

    @Test
    void everyRequestAReconciliationMadeOfTheFakeIsOneStripeAccepts() {
        Set<RecordedStripeApi.Request> asked = new LinkedHashSet<>();
        try (FakeStripeBalance fake = new FakeStripeBalance()) {
            MonthOnStripe month = new MonthOnStripe();
            fake.add(month.balanceTransactions());
            for (int i = 0; i < 120; i++) { // enough for a second page
                fake.add(FakeStripeBalance.other("txn_3Fee" + i, "stripe_fee", "fee", -10, "usd",
                        Instant.parse("2026-10-12T00:00:00Z").plusSeconds(i), null));
            }
            InMemoryStores stores = new InMemoryStores();
            stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
            EventRouter router = new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK);
            new Reconciliation(stores.ledger(), stores.bookings(), router,
                    new StripeApiBalanceTransactions(PLATFORM_KEY, fake.baseUrl()), CLOCK)
                    .reconcile(AGREEMENT, YearMonth.of(2026, 10), true);
            asked.addAll(fake.requests());
        }
        assertThat(asked).hasSize(2).anySatisfy(request -> assertThat(request.pathAndQuery()).contains("&starting_after=txn_"));

        StripeApiLookup stripeMock = new StripeApiLookup(PLATFORM_KEY, StripeMockServer.get().baseUrl());
        for (RecordedStripeApi.Request request : asked) {
            assertThat(request.stripeAccount()).isEqualTo(AGREEMENT.stripeAccount());
            JsonNode answer = stripeMock.get(AGREEMENT, request.pathAndQuery());
            assertThat(answer.path("object").asText()).as(request.pathAndQuery()).isEqualTo("list");
            assertThat(answer.path("data").path(0).path("source").isObject()).as("source expanded").isTrue();
        }
        // and stripe-mock does refuse what Stripe would: the check is not vacuous
        assertThatThrownBy(() -> stripeMock.get(AGREEMENT, "/v1/balance_transactions?created[gte]=soon&limit=100"))
                .isInstanceOf(StripeLookup.StripeUnavailableException.class);
    }
}
