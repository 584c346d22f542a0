package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.revshare.ingest.EventRouter;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.stripe.WebhookSecrets;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stripe events through Stripe's Amazon EventBridge event destination, loaded from events/. */
class StripeEventBridgeFunctionTest {
    private static final Instant NOW = Instant.parse("2026-10-21T12:00:00Z");
    private static final WebhookSecrets NO_SECRETS = () -> {
        throw new WebhookSecrets.MissingSecretException("the EventBridge path has no secret", null);
    };

    private DynamoDbStores store;

    @BeforeEach
    void freshTable() {
        store = LocalDynamoDb.newStore();
        store.agreements().put(TestAgreements.sarahMindfulness(), Instant.parse("2025-10-01T00:00:00Z"));
    }

    @Test
    void stripeEventInTheDetailIsBookedOnceWithoutASignature() {
        ScheduledEvent event = EventLoader.loadScheduledEvent("../../events/stripe-eventbridge/charge-succeeded.json");
        StripeEventBridgeFunction function = new StripeEventBridgeFunction(new EventRouter(store.agreements(), store.bookings(),
                StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertThat(function.handleRequest(event, null)).containsEntry("outcome", "recorded");
        assertThat(function.handleRequest(event, null)).containsEntry("outcome", "duplicate");
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line.amount()).isEqualTo(29_700);
            assertThat(line.stripeId()).isEqualTo("ch_3SarahCharge00001");
            assertThat(line.category()).isEqualTo("course");
        });
    }

    @Test
    void storeFailureFailsTheInvocationSoEventBridgeRetries() {
        ScheduledEvent event = EventLoader.loadScheduledEvent("../../events/stripe-eventbridge/charge-succeeded.json");
        // a table that does not exist: DynamoDB Local answers with an error, as a real outage would
        DynamoDbStores broken = DynamoDbStores.over(LocalDynamoDb.client(), "no-such-table");
        StripeEventBridgeFunction function = new StripeEventBridgeFunction(new EventRouter(store.agreements(), broken.bookings(),
                StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC)));

        assertThatThrownBy(() -> function.handleRequest(event, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not book Stripe event evt_3SarahCharge00001")
                .hasMessageContaining("Lambda retries");
        assertThat(lines()).isEmpty();
    }

    private List<LedgerLine> lines() {
        return store.ledger().recordedBetween("sarah-mindfulness", NOW.minus(Duration.ofDays(400)), NOW.plus(Duration.ofDays(1)));
    }
}
