package dev.revshare.cli;

import dev.revshare.cli.Launcher.Run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./revshare} launcher as a person uses it, on the packaged command line: agreements are
 * applied (a bad file changes nothing), a sample event drives the webhook function, the statements
 * function closes October, and the statement can be read back, all kept under one --data folder.
 */
class CommandLineIT {
    private static final Path REPO = Launcher.REPO;

    @Test
    void drivesBothFunctionsByHandWithTheStoreKeptBetweenCalls(@TempDir Path data) throws Exception {
        Path bad = data.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(REPO.resolve("examples/agreements/maya-somatic.yaml"))
                .replace("partnerPercent: 35", "partnerPercent: 135"));
        Run refused = revshare(data, "agreements", "apply", REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString(),
                bad.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("bad.yaml: line 11: split[0].partnerPercent: must be between 0 and 100 (was 135)");
        assertThat(revshare(data, "agreements", "list").out()).isBlank(); // all or nothing: sarah was not applied either

        Run applied = revshare(data, "agreements", "apply", REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString());
        assertThat(applied.exitCode()).isZero();
        assertThat(applied.out()).contains("applied sarah-mindfulness");

        String sale = REPO.resolve("events/stripe-webhook/charge-succeeded.json").toString();
        Run stale = revshare(data, "invoke", "StripeWebhookFunction", "--event", sale);
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.out()).startsWith("400");
        Run signed = revshare(data, "invoke", "StripeWebhookFunction", "--event", sale, "--sign");
        assertThat(signed.out()).startsWith("200").contains("\"outcome\":\"recorded\"");
        assertThat(revshare(data, "invoke", "StripeWebhookFunction", "--event", sale, "--sign").out())
                .startsWith("200").contains("\"outcome\":\"duplicate\"");

        Run preview = revshare(data, "statements", "preview", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--format", "text");
        assertThat(preview.out()).contains("October 2026", "Net revenue      $297.00", "Dalai Digital (partner): $74.25");
        assertThat(revshare(data, "statements", "show", "--agreement", "sarah-mindfulness", "--period", "2026-10").err())
                .contains("no statement for agreement sarah-mindfulness and period 2026-10"); // preview stored nothing

        Run closed = revshare(data, "invoke", "MonthlyStatementsFunction", "--event",
                REPO.resolve("events/monthly-statements/rerun-period.json").toString());
        assertThat(closed.exitCode()).as(closed.err()).isZero();
        assertThat(closed.out()).contains("sent");

        // the worker's message for the same month, as the stack's queue would deliver it again: nothing twice
        List<Path> sentBefore = emails(data);
        Run redelivered = revshare(data, "invoke", "StatementWorkerFunction", "--event",
                REPO.resolve("events/statement-worker/closing-job.json").toString());
        assertThat(redelivered.exitCode()).as(redelivered.err()).isZero();
        assertThat(Json.read(redelivered.out(), JsonNode.class).path("batchItemFailures").size()).isZero();
        assertThat(emails(data)).isEqualTo(sentBefore).contains(data.resolve("outbox/sarah-mindfulness-2026-10-expert.eml"),
                data.resolve("outbox/sarah-mindfulness-2026-10-partner.eml"));

        Run shown = revshare(data, "statements", "show", "--agreement", "sarah-mindfulness", "--period", "2026-10");
        JsonNode statement = Json.read(shown.out(), JsonNode.class);
        assertThat(statement.path("totals").path("netRevenue").asLong()).isEqualTo(29_700);
        assertThat(statement.path("totals").path("partnerShare").asLong()).isEqualTo(7_425);
        assertThat(statement.path("final").isBoolean()).isTrue();
        assertThat(statement.path("lines").get(0).path("stripeId").asText()).startsWith("ch_");
        assertThat(shown.err()).contains("Sending: sent at", "a message to each party: expert "
                + "outbox/sarah-mindfulness-2026-10-expert, partner outbox/sarah-mindfulness-2026-10-partner",
                "Delivery to the expert: nothing reported by SES yet"); // stdout stays the statement document
        assertThat(revshare(data, "statements", "show", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--format", "text").out()).contains("Dalai Digital (partner): $74.25", "Sending: sent at",
                "Delivery to the partner: nothing reported by SES yet");

        // a bounced address corrected: the expert's message goes again, as stored, with a link signed now for the expert
        // alone, and the resend is noted on it
        Run badAddress = revshare(data, "statements", "resend", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--party", "expert", "--to", "sarah.lee@example.org,not-an-address");
        assertThat(badAddress.exitCode()).isEqualTo(2);
        assertThat(badAddress.err()).contains("'not-an-address' is not an email address");
        Run noParty = revshare(data, "statements", "resend", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--party", "coach", "--to", "sarah.lee@example.org");
        assertThat(noParty.exitCode()).isEqualTo(2);
        assertThat(noParty.err()).contains("--party: a party is expert or partner, was 'coach'");
        Run resent = revshare(data, "statements", "resend", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--party", "expert", "--to", "sarah.lee@example.org", "--by", "ops@revshare.example");
        assertThat(resent.exitCode()).as(resent.err()).isZero();
        assertThat(resent.out()).contains("Resent the expert's statement for sarah-mindfulness 2026-10 to sarah.lee@example.org "
                + "as outbox/sarah-mindfulness-2026-10-expert-resent-", "by ops@revshare.example");
        try (var outbox = Files.list(data.resolve("outbox"))) {
            List<String> october = outbox.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("sarah-mindfulness-2026-10") && n.endsWith(".eml")).toList();
            assertThat(october).hasSize(3).contains("sarah-mindfulness-2026-10-expert.eml", "sarah-mindfulness-2026-10-partner.eml");
            String resentFile = october.stream().filter(n -> n.contains("-resent-")).findFirst().orElseThrow();
            String text = dev.revshare.testing.ReceivedEmail.parse(Files.readAllBytes(data.resolve("outbox").resolve(resentFile))).text;
            assertThat(text).contains("Your page (Sarah Lee, expert): http://127.0.0.1:8642/p/").doesNotContain("(Dalai Digital, partner)");
        }
        assertThat(revshare(data, "statements", "show", "--agreement", "sarah-mindfulness", "--period", "2026-10",
                "--format", "text").out()).contains("Resent: ", " by ops@revshare.example, the expert's message, to "
                + "sarah.lee@example.org as outbox/");
        Run notSent = revshare(data, "statements", "resend", "--agreement", "sarah-mindfulness", "--period", "2026-11",
                "--party", "expert", "--to", "sarah.lee@example.org");
        assertThat(notSent.exitCode()).isEqualTo(2);
        assertThat(notSent.err()).contains("no statement for sarah-mindfulness 2026-11");

        // 2.5 x the partner's $74.25 over the trailing months = $185.625, rounded half-up
        Run quote = revshare(data, "buyout", "quote", "--agreement", "sarah-mindfulness", "--as-of", "2026-11-24");
        assertThat(quote.out()).contains("2026-10         $74.25", "Buyout price: 2.5 x $74.25 = $185.63");

        // a tip arrives late for October: held for review, listed, resolved by the parties, counted next
        Path tip = data.resolve("tip.json");
        Files.writeString(tip, Files.readString(Path.of(sale)).replace("3SarahCharge00001", "3SarahTip000000001")
                .replace("course", "tip"));
        assertThat(revshare(data, "invoke", "StripeWebhookFunction", "--event", tip.toString(), "--sign").out())
                .startsWith("200").contains("\"outcome\":\"recorded\"");
        assertThat(revshare(data, "review", "list", "--agreement", "sarah-mindfulness").out())
                .contains("pi_3SarahTip000000001", "$297.00", "Held for review: tip");
        Run resolved = revshare(data, "review", "resolve", "--agreement", "sarah-mindfulness", "--line", "ch_3SarahTip000000001",
                "--as", "shared", "--reason", "Tips on course pages are course revenue");
        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("Payment pi_3SarahTip000000001 ($297.00) resolved as shared");
        assertThat(revshare(data, "review", "list", "--agreement", "sarah-mindfulness").out()).contains("Nothing held");
        Run again = revshare(data, "review", "resolve", "--agreement", "sarah-mindfulness", "--line", "pi_3SarahTip000000001",
                "--as", "excluded");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("resolved already, as shared");
        JsonNode november = Json.read(revshare(data, "statements", "preview", "--agreement", "sarah-mindfulness",
                "--period", "2026-11").out(), JsonNode.class);
        assertThat(november.path("lines").get(0).path("reason").asText())
                .isEqualTo("Resolved as shared: Tips on course pages are course revenue");
        assertThat(november.path("lines").get(0).path("priorPeriod").asBoolean()).isTrue();
        assertThat(november.path("totals").path("partnerShare").asLong()).isEqualTo(7_425);

        // a delivery for an account no agreement claims is kept and listed, not booked
        Path stranger = data.resolve("stranger.json");
        Files.writeString(stranger, Files.readString(Path.of(sale)).replace("acct_1SarahExample", "acct_1Stranger"));
        assertThat(revshare(data, "invoke", "StripeWebhookFunction", "--event", stranger.toString(), "--sign").out())
                .startsWith("200").contains("\"outcome\":\"unclaimed\"");
        assertThat(revshare(data, "events", "unclaimed").out())
                .contains("evt_3SarahCharge00001", "charge.succeeded", "acct_1Stranger", "$297.00", "resend the events");

        Run unknown = revshare(data, "invoke", "NoSuchFunction", "--event", sale);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown function 'NoSuchFunction': use " + InvokeCommand.names());
    }

    private static List<Path> emails(Path data) throws IOException {
        try (var outbox = Files.list(data.resolve("outbox"))) {
            return outbox.filter(file -> file.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private static Run revshare(Path data, String... args) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("STRIPE_WEBHOOK_SECRET", "whsec_revshare_local_test");
        environment.put("AWS_ENDPOINT_URL", null);
        return Launcher.revshare(data, environment, args);
    }
}
