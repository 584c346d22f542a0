package dev.revshare.ingest;

import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.WebhookSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.InMemoryStores;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which endpoint and which secret: the platform endpoint /stripe (Connect; the event's account picks the
 * agreement), an agreement's own endpoint /stripe/{id} with its own secret, secret rotation, and the
 * EventBridge path, which has no signature and books through the same code.
 */
class EndpointsAndSecretsTest {
    private static final String PLATFORM_SECRET = "whsec_platform";
    private static final String OWN_SECRET = "whsec_maya_own_account";
    private static final Instant NOW = Instant.parse("2026-10-14T09:30:00Z");

    private InMemoryStores store;
    private StripeWebhook ingestion;

    /** The platform secret, and one agreement (maya-own) with an endpoint and secret of its own. */
    private final WebhookSecrets secrets = new WebhookSecrets() {
        @Override
        public String platformSecret() {
            return PLATFORM_SECRET;
        }

        @Override
        public String agreementSecret(String agreementId) {
            if (!agreementId.equals("maya-own")) {
                throw new MissingSecretException("no signing secret for the endpoint /stripe/" + agreementId, null);
            }
            return OWN_SECRET;
        }
    };

    @BeforeEach
    void freshTable() {
        store = new InMemoryStores();
        store.agreements().put(agreement("sarah-connect", "acct_1SarahConnect"), NOW.minus(Duration.ofDays(30)));
        store.agreements().put(agreement("maya-own", "acct_1MayaOwn"), NOW.minus(Duration.ofDays(30)));
        store.agreements().put(agreement("lee-unconfigured", "acct_1LeeOwn"), NOW.minus(Duration.ofDays(30)));
        ingestion = StripeWebhook.of(store.agreements(), store.bookings(), secrets, StripeLookup.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void agreementEndpointVerifiesWithTheAgreementsOwnSecretAndBooksToIt() {
        // an expert's own Stripe account: its events carry no "account" field
        String body = sale("evt_1", null, "pi_1");

        assertThat(ingestion.receive("/stripe/maya-own", sign(body, PLATFORM_SECRET), body).outcome())
                .isEqualTo(Outcome.REJECTED);
        assertThat(ingestion.receive("/stripe/maya-own", sign(body, OWN_SECRET), body).outcome())
                .isEqualTo(Outcome.RECORDED);
        assertThat(lines("maya-own")).singleElement().satisfies(line -> assertThat(line.lineId()).isEqualTo("pi_1"));
    }

    @Test
    void platformEndpointPicksTheAgreementByTheEventsAccount() {
        String body = sale("evt_1", "acct_1SarahConnect", "pi_1");

        assertThat(ingestion.receive("/stripe", sign(body, OWN_SECRET), body).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(ingestion.receive("/stripe", sign(body, PLATFORM_SECRET), body).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(lines("sarah-connect")).hasSize(1);
        assertThat(lines("maya-own")).isEmpty();
    }

    @Test
    void duringASecretRotationAHeaderWithSeveralSignaturesPassesWhenOneMatches() throws Exception {
        String body = sale("evt_1", "acct_1SarahConnect", "pi_1");
        long t = NOW.getEpochSecond();
        String payload = t + "." + body;
        // Stripe signs with the old and the new secret while both are valid
        String header = "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256("whsec_old", payload)
                + ",v1=" + Webhook.Util.computeHmacSha256(PLATFORM_SECRET, payload);

        assertThat(ingestion.receive("/stripe", header, body).outcome()).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void agreementEndpointWithoutASecretAnswers500AndBooksNothing() {
        String body = sale("evt_1", null, "pi_1");

        BookingResult result = ingestion.receive("/stripe/lee-unconfigured", sign(body, PLATFORM_SECRET), body);

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_CONFIGURED);
        assertThat(result.outcome().retry).isTrue();
        assertThat(lines("lee-unconfigured")).isEmpty();
    }

    @Test
    void eventBridgeDeliveryBooksWithoutASignatureAndCountsOnceWithTheWebhookDelivery() {
        String body = sale("evt_1", "acct_1SarahConnect", "pi_1");

        assertThat(ingestion.router().receiveTrusted(body).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(ingestion.receive("/stripe", sign(body, PLATFORM_SECRET), body).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(ingestion.router().receiveTrusted(body).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(lines("sarah-connect")).hasSize(1);
    }

    @Test
    void eventBridgeDetailThatIsNotAStripeEventIsRejected() {
        assertThat(ingestion.router().receiveTrusted("{\"hello\": \"world\"}").outcome()).isEqualTo(Outcome.REJECTED);
    }

    private static String sale(String eventId, String account, String paymentIntent) {
        return SampleStripeEvents.chargeSucceeded(eventId, account, "ch_" + paymentIntent.substring(3), paymentIntent,
                29_700, "usd", NOW.minusSeconds(5), "course", "cus_1");
    }

    private static String sign(String body, String secret) {
        return SampleStripeEvents.signatureHeader(body, secret, NOW);
    }

    private List<LedgerLine> lines(String agreementId) {
        return store.ledger().recordedBetween(agreementId, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    private static Agreement agreement(String id, String account) {
        return new Agreement(id, id, new Agreement.Party("Expert", List.of("expert@example.com")),
                new Agreement.Party("Partner", List.of("partner@example.com")), account, "usd", ZoneId.of("UTC"),
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }
}
