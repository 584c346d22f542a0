package dev.revshare.functions.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.FakeStripeTransfers;
import dev.revshare.testing.LambdaRuntimeEmulator;
import dev.revshare.testing.LambdaRuntimeEmulator.Answer;
import dev.revshare.testing.LambdaRuntimes;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * target/partner-payouts.jar as `sam build` packages it for AutomaticPayoutFunction, under Lambda's Java runtime
 * interface client and the Runtime Interface Emulator, with the handler and environment template.yaml gives it:
 * events/automatic-payout/statement-issued.json as the stack's bus delivers it, the platform's key from SSM (moto)
 * under the template's default parameter name, Stripe's transfers from a fake on loopback, the notice through moto's
 * SES, the table in DynamoDB Local. Proves the handler name, the runtime's reading of the EventBridge event, and that
 * the shrunk jar keeps what the transfer, Stripe's refusal and the notice need.
 */
class PackagedPayoutJarIT {
    private static final String KEY = "sk_test_payout_jar";
    private static final String SENDER = "statements@revshare.example";
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @RegisterExtension
    final LambdaRuntimes lambda = new LambdaRuntimes();

    @Test
    void theIssuedStatementIsPaidOnceByTransferAndBothPartiesAreTold() throws Exception {
        try (FakeStripeTransfers stripe = new FakeStripeTransfers()) {
            World world = world("rie-payouts", stripe);

            Answer answer = world.function.invoke(event());
            Answer again = world.function.invoke(event());

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("outcome").asText()).as(answer.body()).isEqualTo("paid");
            assertThat(answer.json().path("transfer").asText()).isEqualTo("tr_fake1");
            assertThat(again.json().path("outcome").asText()).as(again.body()).isEqualTo("nothing-to-pay");
            assertThat(stripe.transfers()).singleElement().satisfies(t -> assertThat(t).containsEntry("amount", "125000"));
            assertThat(stripe.requests()).singleElement().satisfies(request -> {
                assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
                assertThat(request.idempotencyKey()).isEqualTo("sarah-mindfulness-2026-10");
            });
            assertThat(world.store.statements().payouts("sarah-mindfulness")).singleElement().extracting(Payout::status)
                    .isEqualTo(Payout.Status.PAID);
            List<MotoServer.SentRawMessage> sent = MotoServer.get().sentRawMessages();
            assertThat(sent).singleElement().satisfies(message -> {
                assertThat(message.destinations()).containsExactlyInAnyOrder("sarah@example.com", "books@dalai.example");
                assertThat(ReceivedEmail.parse(message.raw()).text).contains("by Stripe transfer tr_fake1 to acct_1DalaiExample");
            });
            List<JsonNode> output = jsonLines(world.function.output());
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("Service").asText()).isEqualTo("automatic-payouts");
                assertThat(line.path("PayoutsPaid").asInt()).isOne();
            });
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("message").asText()).startsWith("agreement sarah-mindfulness period 2026-10: paid $1,250.00");
                assertThat(line.path("agreement_id").asText()).isEqualTo("sarah-mindfulness");
            });
            assertThat(world.function.output()).doesNotContain(KEY);
        }
    }

    /** Stripe's error answer is read by stripe-java's own classes: the shrunk jar keeps them. */
    @Test
    void aTransferStripeRefusesIsRecordedCountedAndLoggedWithWhatToDo() throws Exception {
        try (FakeStripeTransfers stripe = new FakeStripeTransfers()) {
            stripe.refuseNext("balance_insufficient", "You have insufficient funds in your Stripe account.");
            World world = world("rie-payouts-refused", stripe);

            Answer answer = world.function.invoke(event());

            assertThat(answer.json().path("outcome").asText()).as(answer.body()).isEqualTo("refused");
            assertThat(world.store.statements().payouts("sarah-mindfulness")).singleElement().satisfies(payout ->
                    assertThat(payout.failure()).contains("balance_insufficient", "insufficient funds"));
            List<JsonNode> output = jsonLines(world.function.output());
            assertThat(output).anySatisfy(line -> assertThat(line.path("PayoutsFailed").asInt()).isOne());
            assertThat(output).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("ERROR");
                assertThat(line.path("message").asText()).contains("Stripe refused the automatic transfer of $1,250.00",
                        "payouts pay --agreement sarah-mindfulness --period 2026-10 --retry");
            });
            assertThat(MotoServer.get().sentRawMessages()).isEmpty();
        }
    }

    private record World(DynamoDbStores store, LambdaRuntimeEmulator function) {}

    private World world(String table, FakeStripeTransfers stripe) throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        moto.clients().ssm().putParameter(b -> b.name(lambda.template().parameterDefault("StripePayoutKeyParameterName"))
                .type(ParameterType.SECURE_STRING).value(KEY));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName("revshare-statements"));
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        DynamoDbStores store = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        String terms = Files.readString(Path.of("../../examples/agreements/sarah-mindfulness.yaml"))
                + "payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}\n";
        store.agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), Instant.parse("2025-10-01T00:00:00Z"));
        store.statements().create(new Statement("sarah-mindfulness", "Sarah Lee Mindfulness x Dalai Digital", OCTOBER, "usd",
                false, Instant.parse("2026-11-05T06:00:00Z"),
                new Statement.Totals(500_000, 0, 0, 500_000, 125_000, 375_000, 0, 0, 0, 125_000, 0), List.of(), List.of(),
                null, List.of()));
        Map<String, String> local = new HashMap<>(LambdaRuntimeEmulator.localAws(moto, dynamo));
        local.put("STRIPE_API_BASE", stripe.baseUrl());
        LambdaRuntimeEmulator function = lambda.start("AutomaticPayoutFunction", Map.of("RevshareTable", table,
                "StatementsConfigurationSet", "revshare-statements", "SenderEmail", SENDER), local);
        return new World(store, function);
    }

    private static String event() throws Exception {
        return Files.readString(Path.of("../../events/automatic-payout/statement-issued.json"));
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> Json.read(line, JsonNode.class)).toList();
    }
}
