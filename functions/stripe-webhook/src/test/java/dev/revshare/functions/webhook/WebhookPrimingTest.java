package dev.revshare.functions.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.SampleDelivery;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.json.Json;
import dev.revshare.store.AgreementStore;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.WebhookSecrets;
import dev.revshare.testing.InMemoryStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** SnapStart's priming hook, called as CRaC calls it: before the snapshot, then after a restore. */
class WebhookPrimingTest {
    private static final String SECRET = "whsec_the_endpoints_own";
    private static final Instant NOW = Instant.parse("2026-01-15T12:00:30Z");

    @Test
    void primingBooksTheBuiltInSampleThroughTheWebhooksOwnCode() {
        assertThat(new WebhookPriming().prime().outcome()).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void theSampleIsTheSameEveryTimeNothingUniqueGoesIntoTheSnapshot() {
        assertThat(SampleDelivery.body()).isEqualTo(SampleDelivery.body());
        WebhookPriming priming = new WebhookPriming();
        assertThat(priming.prime()).isEqualTo(priming.prime());
    }

    @Test
    void theHooksTouchNoStoreSecretOrStripeAndLeaveNothingTheFunctionsDeliveriesWouldReuse() {
        InMemoryStores stores = new InMemoryStores();
        String sampleAccount = Json.read(SampleDelivery.body(), JsonNode.class).path("account").asText();
        stores.agreements().put(agreementClaiming(sampleAccount), NOW.minusSeconds(86_400));
        List<String> calls = new ArrayList<>();
        StripeWebhookFunction function = new StripeWebhookFunction(StripeWebhook.of(
                counting(AgreementStore.class, stores.agreements(), calls), counting(BookingStore.class, stores.bookings(), calls),
                counting(WebhookSecrets.class, (WebhookSecrets) () -> SECRET, calls),
                counting(StripeLookup.class, StripeLookup.NONE, calls), Clock.fixed(NOW, ZoneOffset.UTC)));
        WebhookPriming priming = new WebhookPriming();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(calls).as("calls on the function's stores, secrets and Stripe lookup").isEmpty();
        assertThat(MDC.getCopyOfContextMap()).as("the logging context").isNullOrEmpty();
        // the very sample, delivered for real after restore, is a new payment: no receipt, record or cached
        // agreement of the priming's was left where the function looks
        String body = SampleDelivery.body();
        APIGatewayV2HTTPResponse answer = function.handleRequest(request(body, SampleStripeEvents.signatureHeader(body, SECRET, NOW)), null);
        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
        assertThat(Json.read(answer.getBody(), JsonNode.class).path("outcome").asText()).isEqualTo("recorded");
        assertThat(stores.ledger().recordedBetween("real-agreement", Instant.EPOCH, NOW.plusSeconds(60)))
                .extracting(LedgerLine::amount).containsExactly(29_700L);
        assertThat(calls).contains("WebhookSecrets.platformSecret", "BookingStore.write");
    }

    private static Agreement agreementClaiming(String account) {
        return new Agreement("real-agreement", "Real", new Agreement.Party("E", List.of("e@example.com")),
                new Agreement.Party("P", List.of("p@example.com")), account, "usd", ZoneOffset.UTC,
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }

    /** {@code target}, noting in {@code calls} each method called on it. */
    private static <T> T counting(Class<T> type, T target, List<String> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            calls.add(type.getSimpleName() + "." + method.getName());
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    private static APIGatewayV2HTTPEvent request(String body, String signature) {
        APIGatewayV2HTTPEvent request = new APIGatewayV2HTTPEvent();
        request.setRawPath("/stripe");
        request.setHeaders(Map.of("stripe-signature", signature));
        request.setBody(body);
        request.setIsBase64Encoded(false);
        return request;
    }
}
