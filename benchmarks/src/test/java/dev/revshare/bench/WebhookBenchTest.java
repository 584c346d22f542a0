package dev.revshare.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.json.Json;
import dev.revshare.stripe.StripeSignatureVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A few hundred deliveries only: proves the benchmark runs end to end; the real run is `make bench-webhook`. */
class WebhookBenchTest {

    @Test
    void smallRunTimesBothComparisonsAndCountsTheHandlersDynamoDbCalls() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WebhookBench.Report report = new WebhookBench(WebhookBench.Options.parse("--events", "600", "--db-events", "120",
                "--rounds", "2", "--warmup", "1"), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(report.cpu().floorMicros()).isPositive();
        assertThat(report.cpu().ratio()).isPositive();
        assertThat(report.throughput().bareEventsPerSecond()).isPositive();
        // a charge.succeeded is one DynamoDB call and nothing else: the transaction of its receipt, the payment's
        // record under its payment intent, the link from its charge, the line, and the check that no statement
        // began closing since the line's recording time
        assertThat(report.throughput().handlerCallsPerEvent())
                .containsExactly(java.util.Map.entry("TransactWriteItems EVENT# PAYMENT# PAYMENT# LEDGER# check:STATEMENT#", 1.0));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("bare: TransactWriteItems EVENT# PAYMENT# PAYMENT# LEDGER# check:STATEMENT#")
                .containsPattern("RESULT \\(1\\) CPU path: handler/floor = \\d+\\.\\d\\dx \\(budget <= 1\\.50x\\): (ok|OVER)")
                .containsPattern("RESULT \\(2\\) DynamoDB Local: handler/bare = \\d+\\.\\d\\dx events/s \\(budget >= 0\\.70x\\): (ok|UNDER)");
    }

    @Test
    void deliveriesAreDistinctSignedChargesOfAboutThreeKilobytes() throws Exception {
        List<ChargeSucceededDeliveries.Delivery> deliveries = new ChargeSucceededDeliveries("acct_1SarahExample",
                WebhookBench.SECRET, WebhookBench.SIGNED_AT, false, 7).next(50);

        assertThat(deliveries).extracting(ChargeSucceededDeliveries.Delivery::eventId).doesNotHaveDuplicates();
        assertThat(ChargeSucceededDeliveries.averageBytes(deliveries)).isBetween(2_700L, 3_300L);
        for (ChargeSucceededDeliveries.Delivery delivery : deliveries) {
            var event = Json.mapper().readTree(delivery.body());
            assertThat(event.path("type").asText()).isEqualTo("charge.succeeded");
            assertThat(event.path("data").path("object").path("metadata").path("revshare_category").asText()).isEqualTo("course");
            assertThat(new StripeSignatureVerifier(WebhookBench.CLOCK)
                    .problemWith(delivery.body(), delivery.signatureHeader(), WebhookBench.SECRET)).isNull();
        }
    }

    @Test
    void optionsHaveDefaultsAndRefuseNonsense() {
        assertThat(WebhookBench.Options.parse()).isEqualTo(new WebhookBench.Options(10_000, 2_000, 7, 3, "/stripe", false));
        assertThat(WebhookBench.Options.parse("--db-events", "1_000", "--pretty", "--path", "/stripe/sarah-mindfulness"))
                .isEqualTo(new WebhookBench.Options(10_000, 1_000, 7, 3, "/stripe/sarah-mindfulness", true));
        assertThatThrownBy(() -> WebhookBench.Options.parse("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> WebhookBench.Options.parse("--path", "/webhook")).hasMessageContaining("--path");
        assertThatThrownBy(() -> WebhookBench.Options.parse("--fast", "1")).hasMessageContaining("unknown option");
    }
}
