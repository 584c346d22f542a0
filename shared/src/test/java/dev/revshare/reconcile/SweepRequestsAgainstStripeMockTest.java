package dev.revshare.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.EventRouter;
import dev.revshare.stripe.EventDeliveries;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiEvents;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiListing;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.RecordedStripeApi;
import dev.revshare.testing.StripeMockServer;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every request the daily sweep makes to Stripe's API, made with stripe-java against stripe-mock (Stripe's official
 * mock, which refuses what the real API would refuse as invalid): the undelivered events' first page and the pages
 * after it, on the connected account, and the webhook endpoints, exactly as they were asked of the fake API the
 * other tests answer from; and stripe-mock's own answers are read.
 */
class SweepRequestsAgainstStripeMockTest {
    private static final Agreement AGREEMENT = TestAgreements.sarahMindfulness();
    private static final StripeApiKeys PLATFORM_KEY = agreement -> new StripeApiKeys.ApiKey("sk_test_123", agreement.stripeAccount());
    private static final Instant NOW = Instant.parse("2026-11-04T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void stripeMockAnswersTheListingsAndItsAnswersAreRead() {
        StripeApiEvents stripe = new StripeApiEvents(StripeMockServer.get().baseUrl());
        StripeApiKeys.ApiKey key = PLATFORM_KEY.keyFor(AGREEMENT);

        List<String> events = stripe.undelivered(key, NOW.minusSeconds(86_400 * 30), StripeApiListing.Progress.NONE);
        List<EventDeliveries.Endpoint> endpoints = stripe.webhookEndpoints(key);

        assertThat(events).isNotEmpty().allSatisfy(json -> {
            StripeEvent event = StripeEvent.parse(json);
            assertThat(event.id()).startsWith("evt_");
            assertThat(event.account()).as("named as a Connect delivery names it").isEqualTo(AGREEMENT.stripeAccount());
        });
        assertThat(endpoints).isNotEmpty().allSatisfy(endpoint -> {
            assertThat(endpoint.id()).startsWith("we_");
            assertThat(endpoint.url()).startsWith("https://");
        });
    }

    @Test
    void everyRequestASweepMadeOfTheFakeIsOneStripeAccepts() {
        Set<RecordedStripeApi.Request> asked = new LinkedHashSet<>();
        try (FakeStripeBalance fake = new FakeStripeBalance()) {
            for (int i = 0; i < 120; i++) { // enough for a second page
                fake.addEvent(SampleStripeEvents.customerCreated("evt_3Mock" + i, AGREEMENT.stripeAccount(), "cus_Mock" + i,
                        Instant.parse("2026-10-20T00:00:00Z").plusSeconds(i)), false);
            }
            fake.addWebhookEndpoint("we_3Revshare", "https://example.lambda-url.eu-west-1.on.aws/stripe", true, "*");
            InMemoryStores stores = new InMemoryStores();
            stores.agreements().put(AGREEMENT, Instant.parse("2025-10-20T12:00:00Z"));
            SweepReport report = new DeliverySweep(stores.agreements(), stores.bookings(),
                    new EventRouter(stores.agreements(), stores.bookings(), StripeLookup.NONE, CLOCK), PLATFORM_KEY,
                    new StripeApiEvents(fake.baseUrl()), "https://example.lambda-url.eu-west-1.on.aws/", CLOCK)
                    .sweep(NOW, false, DeliverySweep.Progress.NONE);
            assertThat(report.eventsFound()).isEqualTo(120);
            asked.addAll(fake.requests());
        }
        assertThat(asked).hasSize(3).anySatisfy(request -> assertThat(request.pathAndQuery()).contains("&starting_after=evt_"));

        StripeApiLookup stripeMock = new StripeApiLookup(PLATFORM_KEY, StripeMockServer.get().baseUrl());
        StripeApiLookup platformMock = new StripeApiLookup(agreement -> new StripeApiKeys.ApiKey("sk_test_123", null),
                StripeMockServer.get().baseUrl());
        for (RecordedStripeApi.Request request : asked) {
            boolean endpoints = request.pathAndQuery().startsWith("/v1/webhook_endpoints");
            assertThat(request.stripeAccount()).isEqualTo(endpoints ? null : AGREEMENT.stripeAccount());
            JsonNode answer = (endpoints ? platformMock : stripeMock).get(AGREEMENT, request.pathAndQuery());
            assertThat(answer.path("object").asText()).as(request.pathAndQuery()).isEqualTo("list");
            assertThat(answer.path("data").path(0).path("object").asText()).isEqualTo(endpoints ? "webhook_endpoint" : "event");
        }
        // and stripe-mock does refuse what Stripe would: the check is not vacuous
        assertThatThrownBy(() -> stripeMock.get(AGREEMENT, "/v1/events?delivery_success=perhaps&limit=100"))
                .isInstanceOf(StripeLookup.StripeUnavailableException.class);
        assertThat(asked.iterator().next().pathAndQuery()).contains("delivery_success=false", "created[gte]=");
    }
}
