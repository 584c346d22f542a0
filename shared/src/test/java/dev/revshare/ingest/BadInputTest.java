package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.json.Json;
import dev.revshare.review.ReviewDesk;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestAgreements;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A malformed event stops at the door: signed correctly, but with odd contents, it is set aside for a
 * person with the reason, never booked, so no stored line can poison a listing or a statement.
 */
class BadInputTest {
    private static final String SECRET = "whsec_bad_input";
    private static final String ACCOUNT = "acct_1SarahExample";
    private static final Instant NOW = Instant.parse("2026-10-14T09:30:00Z");

    private final InMemoryStores stores = new InMemoryStores();
    private final Agreement agreement = TestAgreements.sarahCourse(ACCOUNT);
    private final StripeWebhook webhook;

    BadInputTest() {
        stores.agreements().put(agreement, NOW.minusSeconds(86_400));
        webhook = StripeWebhook.of(stores.agreements(), stores.bookings(), () -> SECRET, StripeLookup.NONE,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aCurrencyThatIsNoIso4217CodeIsSetAsideAndTheListingsStillWork() {
        assertSetAside(charge -> charge.put("currency", "<script>"), "currency");

        assertThat(new ReviewDesk(stores.agreements(), stores.ledger(), stores.bookings(), Clock.fixed(NOW, ZoneOffset.UTC))
                .held(agreement)).isEmpty();
    }

    @Test
    void anAmountGivenAsTextIsSetAsideNotReadAsCents() {
        assertSetAside(charge -> charge.put("amount", "12.50").put("amount_captured", "12.50"), "amount");
    }

    @Test
    void anAmountNoStripeChargeCouldHaveIsSetAside() {
        assertSetAside(charge -> charge.put("amount", Long.MAX_VALUE).put("amount_captured", Long.MAX_VALUE), "amount");
        assertSetAside(charge -> charge.put("amount", 1_000_000_000_000L).put("amount_captured", 1_000_000_000_000L), "amount");
    }

    @Test
    void anIdThatIsNotShapedLikeStripesIsSetAside() {
        assertSetAside(charge -> charge.put("payment_intent", "pi_1#refunds:1"), "payment_intent");
    }

    @Test
    void aNegativeRefundIsSetAside() {
        String body = SampleStripeEvents.refund("evt_neg", "refund.created", ACCOUNT, "re_1", "ch_1", "pi_1", -500, "usd",
                "succeeded", NOW);
        assertThat(deliver(body).outcome()).isEqualTo(Outcome.UNREADABLE);
        assertThat(stores.ledger().recordedBetween(agreement.id(), Instant.EPOCH, NOW)).isEmpty();
    }

    @Test
    void anEventWhoseIdOrTypeIsNotStripesIsRejectedAndNothingIsKept() {
        String body = sale(charge -> {}).replace("\"evt_bad\"", "\"evt_bad<img>\"");
        BookingResult result = deliver(body);

        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(stores.ledger().setAside()).isEmpty();
        assertThat(stores.bookings().receipt("evt_bad<img>")).isEmpty();
    }

    /** The changed charge.succeeded is set aside (once, however often Stripe sends it) and nothing is booked. */
    private void assertSetAside(Consumer<ObjectNode> change, String field) {
        String eventId = "evt_bad" + (stores.ledger().setAside().size() + 1);
        String body = sale(change).replace("\"evt_bad\"", "\"" + eventId + "\"");
        BookingResult first = deliver(body);

        assertThat(first.outcome()).isEqualTo(Outcome.UNREADABLE);
        assertThat(first.message()).contains(field);
        assertThat(deliver(body).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(stores.ledger().recordedBetween(agreement.id(), Instant.EPOCH, NOW)).isEmpty();
        assertThat(stores.ledger().setAside()).last().satisfies(kept -> {
            assertThat(kept.eventId()).isEqualTo(eventId);
            assertThat(kept.reason()).contains(field);
            assertThat(kept.currency()).isIn("usd", null); // only a readable currency is kept
        });
        assertThat(stores.bookings().receipt(eventId)).get().extracting(EventReceipt::outcome).isEqualTo(Outcome.UNREADABLE);
    }

    private String sale(Consumer<ObjectNode> change) {
        ObjectNode event = (ObjectNode) Json.read(SampleStripeEvents.chargeSucceeded("evt_bad", ACCOUNT, "ch_1", "pi_1", 29_700,
                "usd", NOW.minusSeconds(5), "course", "cus_1"), JsonNode.class);
        change.accept((ObjectNode) event.path("data").path("object"));
        return Json.write(event);
    }

    private BookingResult deliver(String body) {
        return webhook.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
    }
}
