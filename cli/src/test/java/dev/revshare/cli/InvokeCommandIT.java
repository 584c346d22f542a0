package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.cli.Launcher.Run;
import dev.revshare.testing.StripeMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./revshare invoke} with the functions beyond the webhook and the statements run, each on the same local store
 * under --data as the others: the demo's agreements applied, a sale delivered to the webhook, October closed, then the
 * party page opened with a link signed now (and the event file's stale link refused), SES's reports noted on the
 * statement, the automatic transfer made against stripe-mock, a Stripe event delivered by EventBridge and a closing job
 * reconciled.
 */
class InvokeCommandIT {
    private static final Path REPO = Launcher.REPO;
    private static final String ID = "sarah-mindfulness";

    @Test
    void thePartyPageOpensWithALinkSignedNowAndRefusesTheEventFilesStaleOne(@TempDir Path data) throws Exception {
        october(data, REPO.resolve("examples/agreements/sarah-mindfulness.yaml"));
        String page = REPO.resolve("events/party-page/get-page.json").toString();

        Run stale = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page);
        assertThat(stale.exitCode()).as(stale.err()).isEqualTo(1);
        assertThat(stale.out()).startsWith("403\nContent-Type: text/html; charset=utf-8\n\n").doesNotContain("Sarah", "October");

        Run expert = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page, "--party", "expert",
                "--agreement", ID);
        assertThat(expert.exitCode()).as(expert.err()).isZero();
        assertThat(expert.out()).startsWith("200\nContent-Type: text/html; charset=utf-8\n\n")
                .contains("The page of Sarah Lee (expert)", "Statement for October 2026", "/statements/2026-10.csv", "$74.25")
                .doesNotContain("Content-Security-Policy"); // only the headers a reader needs are printed

        Run partner = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page, "--party", "PARTNER",
                "--agreement", ID);
        assertThat(partner.exitCode()).as(partner.err()).isZero();
        assertThat(partner.out()).startsWith("200\n").contains("The page of Dalai Digital (partner)");

        Run nobody = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page, "--party", "expert",
                "--agreement", "nobody");
        assertThat(nobody.exitCode()).isEqualTo(2);
        assertThat(nobody.err()).contains("no agreement with id nobody in the local store");
        Run noParty = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page, "--agreement", ID);
        assertThat(noParty.exitCode()).isEqualTo(2);
        assertThat(noParty.err()).contains("--party and --agreement go together");
        Run wrongParty = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event", page, "--party", "coach",
                "--agreement", ID);
        assertThat(wrongParty.exitCode()).isEqualTo(2);
        assertThat(wrongParty.err()).contains("a party is expert or partner, was 'coach'");
    }

    @Test
    void sesReportsAreNotedOnTheStatementTheyAreAbout(@TempDir Path data) throws Exception {
        october(data, REPO.resolve("examples/agreements/sarah-mindfulness.yaml"));
        List<String> sent = sentMessageIds(data);
        // a message to each party: the delivery report is about the partner's, the bounce about the expert's
        assertThat(sent).containsExactly("outbox/sarah-mindfulness-2026-10-expert", "outbox/sarah-mindfulness-2026-10-partner");
        String expertMessage = sent.get(0);
        String messageId = sent.get(1);
        String delivered = REPO.resolve("events/ses/delivered.json").toString();

        List<Map<String, AttributeValue>> before = everything(data);
        Run unknown = revshare(data, Map.of(), "invoke", "StatementDeliveryFunction", "--event", delivered);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).contains("\"noted\" : \"UNKNOWN_MESSAGE\"");
        assertThat(unknown.err()).contains("pass the message id `revshare statements show` prints for the statement with "
                + "--message-id");
        assertThat(everything(data)).isEqualTo(before);

        Run noted = revshare(data, Map.of(), "invoke", "StatementDeliveryFunction", "--event", delivered, "--message-id",
                messageId);
        assertThat(noted.exitCode()).as(noted.err()).isZero();
        assertThat(noted.out()).contains("\"noted\" : \"RECORDED\"");
        Run again = revshare(data, Map.of(), "invoke", "StatementDeliveryFunction", "--event", delivered, "--message-id",
                messageId);
        assertThat(again.out()).contains("\"noted\" : \"DUPLICATE\"");
        Run bounced = revshare(data, Map.of(), "invoke", "StatementDeliveryFunction", "--event",
                REPO.resolve("events/ses/bounced.json").toString(), "--message-id", expertMessage);
        assertThat(bounced.out()).as(bounced.err()).contains("\"noted\" : \"RECORDED\"");

        Run shown = revshare(data, Map.of(), "statements", "show", "--agreement", ID, "--period", "2026-10");
        assertThat(shown.err()).contains("delivered: books@dalai.example (message " + messageId + ")",
                "bounced: sarah@example.com (message " + expertMessage + ")", "Delivery to the expert: bounced",
                "Delivery to the partner: delivered").doesNotContain("nothing reported by SES yet");
    }

    @Test
    void theAutomaticTransferIsMadeAgainstStripeMockOnceAndNeverWithoutAKey(@TempDir Path data) throws Exception {
        Path automatic = data.resolve("sarah-mindfulness.yaml");
        Files.writeString(automatic, Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"))
                + "payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}\n");
        october(data, automatic); // no STRIPE_PAYOUT_KEY: the run sends the statement and pays nothing
        String issued = REPO.resolve("events/automatic-payout/statement-issued.json").toString();

        List<Map<String, AttributeValue>> before = everything(data);
        Run noKey = revshare(data, Map.of(), "invoke", "AutomaticPayoutFunction", "--event", issued);
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).startsWith("revshare: set STRIPE_PAYOUT_KEY").contains("Nothing was paid");
        assertThat(everything(data)).isEqualTo(before);

        Map<String, String> key = Map.of("STRIPE_PAYOUT_KEY", "sk_test_platform", "STRIPE_API_BASE",
                StripeMockServer.get().baseUrl());
        Run paid = revshare(data, key, "invoke", "AutomaticPayoutFunction", "--event", issued);
        assertThat(paid.exitCode()).as(paid.err()).isZero();
        assertThat(paid.out()).contains("\"outcome\" : \"paid\"", "\"amount\" : 7425", "\"transfer\" : \"tr_");

        Run again = revshare(data, key, "invoke", "AutomaticPayoutFunction", "--event", issued);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("\"outcome\" : \"nothing-to-pay\"");
        Run list = revshare(data, Map.of(), "payouts", "list", "--agreement", ID);
        assertThat(list.out()).as(list.err()).contains("Statement 2026-10: payable $74.25, paid $74.25, outstanding $0.00")
                .containsPattern("1\\. paid +\\$74\\.25 +Stripe transfer +tr_").doesNotContain("2. ");
    }

    @Test
    void anEventBridgeDeliveryAndAReconcileJobWorkOnTheSameStoreAsTheWebhook(@TempDir Path data) throws Exception {
        assertThat(revshare(data, Map.of(), "agreements", "apply", REPO.resolve("examples/agreements/sarah-mindfulness.yaml")
                .toString()).exitCode()).isZero();
        String eventBridge = REPO.resolve("events/stripe-eventbridge/charge-succeeded.json").toString();

        Run booked = revshare(data, Map.of(), "invoke", "StripeEventBridgeFunction", "--event", eventBridge);
        assertThat(booked.exitCode()).as(booked.err()).isZero();
        assertThat(booked.out()).contains("\"outcome\" : \"recorded\"");
        // the same sale through the webhook: one payment, booked once
        assertThat(revshare(data, Map.of(), "invoke", "StripeWebhookFunction", "--event",
                REPO.resolve("events/stripe-webhook/charge-succeeded.json").toString(), "--sign").out())
                .startsWith("200").contains("\"outcome\":\"duplicate\"");

        Run reconciled = revshare(data, Map.of(), "invoke", "ReconcileWorkerFunction", "--event",
                REPO.resolve("events/reconcile-worker/closing-job.json").toString());
        assertThat(reconciled.exitCode()).as(reconciled.err()).isZero();
        assertThat(reconciled.out()).contains("\"batchItemFailures\" : [ ]",
                "for StatementWorkerFunction (no queue here: invoke it with this message body, as in "
                        + "events/statement-worker/closing-job.json): {\"agreementId\":\"sarah-mindfulness\",\"through\":\"2026-10\"}");
        assertThat(data.resolve("outbox/sarah-mindfulness-2026-10-expert.eml")).doesNotExist(); // it reconciles; the worker sends

        Run closed = revshare(data, Map.of(), "invoke", "StatementWorkerFunction", "--event",
                REPO.resolve("events/statement-worker/closing-job.json").toString());
        assertThat(closed.exitCode()).as(closed.err()).isZero();
        assertThat(data.resolve("outbox/sarah-mindfulness-2026-10-expert.eml")).exists();
        assertThat(revshare(data, Map.of(), "statements", "show", "--agreement", ID, "--period", "2026-10", "--format", "text")
                .out()).contains("Net revenue      $297.00", "Not reconciled with Stripe");
    }

    @Test
    void anOptionForAnotherFunctionIsRefusedBeforeAnythingRuns(@TempDir Path data) throws Exception {
        Run sign = revshare(data, Map.of(), "invoke", "PartyPageFunction", "--event",
                REPO.resolve("events/party-page/get-page.json").toString(), "--sign");
        assertThat(sign.exitCode()).isEqualTo(2);
        assertThat(sign.err()).contains("--sign is for StripeWebhookFunction, not PartyPageFunction");
        Run party = revshare(data, Map.of(), "invoke", "StripeWebhookFunction", "--event",
                REPO.resolve("events/stripe-webhook/charge-succeeded.json").toString(), "--party", "expert", "--agreement", ID);
        assertThat(party.exitCode()).isEqualTo(2);
        assertThat(party.err()).contains("--party is for PartyPageFunction, not StripeWebhookFunction");
        Run messageId = revshare(data, Map.of(), "invoke", "AutomaticPayoutFunction", "--event",
                REPO.resolve("events/automatic-payout/statement-issued.json").toString(), "--message-id", "x");
        assertThat(messageId.exitCode()).isEqualTo(2);
        assertThat(messageId.err()).contains("--message-id is for StatementDeliveryFunction, not AutomaticPayoutFunction");
        assertThat(data.resolve("dynamodb")).doesNotExist();
    }

    /** The demo's agreements (sarah's from {@code sarah}), the sample $297.00 sale delivered, October closed and sent. */
    private static void october(Path data, Path sarah) throws Exception {
        Run applied = revshare(data, Map.of(), "agreements", "apply", sarah.toString(),
                REPO.resolve("examples/agreements/maya-somatic.yaml").toString(),
                REPO.resolve("examples/agreements/cedar-retreat.yaml").toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        Run sale = revshare(data, Map.of(), "invoke", "StripeWebhookFunction", "--event",
                REPO.resolve("events/stripe-webhook/charge-succeeded.json").toString(), "--sign");
        assertThat(sale.out()).as(sale.err()).startsWith("200").contains("\"outcome\":\"recorded\"");
        Run closed = revshare(data, Map.of(), "invoke", "MonthlyStatementsFunction", "--event",
                REPO.resolve("events/monthly-statements/rerun-period.json").toString());
        assertThat(closed.exitCode()).as(closed.err()).isZero();
        assertThat(closed.out()).contains("sent");
    }

    /** The message ids sarah-mindfulness's October statement went out as here (what SES's reports name). */
    private static List<String> sentMessageIds(Path data) {
        return everything(data).stream().filter(item -> item.get("pk").s().startsWith("MESSAGE#"))
                .filter(item -> ID.equals(item.get("agreementId").s()) && "2026-10".equals(item.get("period").s()))
                .map(item -> item.get("pk").s().substring("MESSAGE#".length())).sorted().toList();
    }

    private static List<Map<String, AttributeValue>> everything(Path data) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            return local.dynamoDb().scan(b -> b.tableName(LocalRuntime.TABLE).consistentRead(true)).items();
        }
    }

    private static Run revshare(Path data, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("STRIPE_WEBHOOK_SECRET", "whsec_revshare_local_test");
        env.put("AWS_ENDPOINT_URL", null);
        env.put("STRIPE_API_KEY", null);
        env.put("STRIPE_PAYOUT_KEY", null);
        env.put("STRIPE_API_BASE", null);
        env.put("WEBHOOK_URL", null);
        env.putAll(environment);
        return Launcher.revshare(data, env, args);
    }
}
