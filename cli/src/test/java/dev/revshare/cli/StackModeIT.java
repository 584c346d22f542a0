package dev.revshare.cli;

import dev.revshare.cli.Launcher.Run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.AwsClients;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.domain.Statement;
import dev.revshare.ingest.EventRouter;
import dev.revshare.statements.RunSummary;
import dev.revshare.json.Json;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.DynamoDbLocalServer;
import dev.revshare.testing.FakeStripeBalance;
import dev.revshare.testing.FakeStripeTransfers;
import dev.revshare.testing.MonthOnStripe;
import dev.revshare.testing.MotoServer;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a deployed stack, as an operator runs it: `./revshare --stack NAME ...` finds the
 * table and the statements function in the stack's CloudFormation outputs and works on them through the
 * AWS SDK's default chain. Here the stack is moto's (CloudFormation, Lambda) and its table DynamoDB Local's
 * (a server, reached through AWS_ENDPOINT_URL_DYNAMODB), as LocalStack or AWS would answer.
 */
class StackModeIT {
    private static final Path REPO = Launcher.REPO;
    private static final String SECRET = "whsec_stack_mode";

    @Test
    void everyDataCommandWorksOnTheDeployedStackNamedByItsOutputs(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        String table = "revshare-stack-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        String stack = "revshare-it-" + UUID.randomUUID().toString().substring(0, 8);
        // deployed with its own page secret parameter: the command line signs links with it, under the stack's PageUrl
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Parameters": {"PageSecretParameterName": {"Type": "String"}},
                 "Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "StatementsFunctionName": {"Value": "%s-statements"},
                             "EventBusName": {"Value": "%s-statements"},
                             "StatementSender": {"Value": "statements@revshare.example"},
                             "StatementsConfigurationSet": {"Value": "%s-statements"},
                             "PageUrl": {"Value": "https://page-%s.lambda-url.us-east-1.on.aws/"}}}"""
                .formatted(table, stack, stack, stack, stack))
                .parameters(p -> p.parameterKey("PageSecretParameterName").parameterValue("/" + stack + "/page/secret")));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity("statements@revshare.example"));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName(stack + "-statements"));
        // moto runs no Java: its Lambda without Docker answers with the event it was given
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/config"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"lambda\": {\"use_docker\": false}}")).build(),
                HttpResponse.BodyHandlers.discarding());

        Run applied = revshare(data, "--stack", stack, "agreements", "apply",
                REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(deployed.agreements().find("sarah-mindfulness")).isPresent();
        assertThat(revshare(data, "--stack", stack, "agreements", "list").out()).contains("sarah-mindfulness");
        assertThat(revshare(data, "--table", table, "agreements", "list").out()).contains("sarah-mindfulness");
        assertThat(revshare(data, "agreements", "list").out()).doesNotContain("sarah-mindfulness"); // local store untouched

        // the deployed webhook books a course sale and a tip on the stack's table
        String sale = body("charge-succeeded.json");
        String tip = sale.replace("3SarahCharge00001", "3SarahTip000000001").replace("course", "tip");
        StripeWebhook webhook = StripeWebhook.of(deployed.agreements(), deployed.bookings(), () -> SECRET, StripeLookup.NONE,
                Clock.systemUTC());
        for (String body : List.of(sale, tip)) {
            BookingResult result = webhook.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, Instant.now()), body);
            assertThat(result.outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        }

        assertThat(revshare(data, "--stack", stack, "review", "list", "--agreement", "sarah-mindfulness").out())
                .contains("pi_3SarahTip000000001", "Held for review: tip");
        Run resolved = revshare(data, "--stack", stack, "review", "resolve", "--agreement", "sarah-mindfulness",
                "--line", "ch_3SarahTip000000001", "--as", "excluded", "--reason", "Tips are the coach's");
        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(deployed.ledger().resolutions("sarah-mindfulness")).hasSize(1);

        Run preview = revshare(data, "--stack", stack, "statements", "preview", "--agreement", "sarah-mindfulness",
                "--period", "2026-10", "--format", "text");
        assertThat(preview.out()).as(preview.err()).contains("October 2026", "Net revenue      $297.00");
        assertThat(revshare(data, "--stack", stack, "events", "unclaimed").exitCode()).isZero();

        // the deployed statements function closes October (moto cannot run it: its statement is stored as it would)
        Statement october = new MonthlyStatementRun(deployed.agreements(), deployed.ledger(), deployed.statements(),
                email -> "unused", (statement, messageId) -> { }, "statements@revshare.example", Clock.systemUTC(),
                MonthlyStatementRun.DEFAULT_GRACE).preview("sarah-mindfulness", YearMonth.of(2026, 10));
        deployed.statements().create(october);
        Run shown = revshare(data, "--stack", stack, "statements", "show", "--agreement", "sarah-mindfulness", "--period", "2026-10");
        assertThat(Json.read(shown.out(), JsonNode.class).path("totals").path("netRevenue").asLong()).isEqualTo(29_700);
        assertThat(shown.err()).contains("Sending: computed");
        assertThat(shown.err()).contains("Sign-off: Not sent yet");
        // an objection made on the page (in the stack's table), listed and settled from here
        dev.revshare.signoff.SignOffStore signOffs = DynamoDbStores.signOffsOver(() -> dynamo.clients().dynamoDb(), table);
        Instant objectedAt = Instant.parse("2026-11-10T09:00:00Z");
        String objectionId = dev.revshare.signoff.Objection.newId(YearMonth.of(2026, 10), dev.revshare.domain.Side.PARTNER, objectedAt);
        signOffs.object(new dev.revshare.signoff.Objection("sarah-mindfulness", YearMonth.of(2026, 10), objectionId,
                dev.revshare.domain.Side.PARTNER, objectedAt, List.of(), "the refund is counted twice", null));
        Run objections = revshare(data, "--stack", stack, "objections", "list");
        assertThat(objections.exitCode()).as(objections.err()).isZero();
        assertThat(objections.out()).contains(objectionId, "by Dalai Digital (partner)", "the refund is counted twice", "open");
        Run settled = revshare(data, "--stack", stack, "objections", "resolve", "--agreement", "sarah-mindfulness",
                "--objection", objectionId, "--adjust", "-12.50", "--reason", "counted twice", "--by", "ops");
        assertThat(settled.exitCode()).as(settled.err()).isZero();
        assertThat(signOffs.objection("sarah-mindfulness", objectionId).orElseThrow().resolution().partnerAdjustment()).isEqualTo(-1_250);
        assertThat(revshare(data, "--stack", stack, "objections", "list").out()).contains("No open objections");
        // the links, signed with the stack's secret in SSM (its PageSecretParameterName), under its PageUrl
        String pageSecret = "a-stack-page-secret-of-at-least-32-bytes";
        moto.clients().ssm().putParameter(b -> b.name("/" + stack + "/page/secret").type(ParameterType.SECURE_STRING)
                .value(pageSecret).overwrite(true));
        Run links = revshare(data, "--stack", stack, "serve", "--links-only", "--agreement", "sarah-mindfulness");
        assertThat(links.exitCode()).as(links.err()).isZero();
        String partnerLink = links.out().lines().filter(l -> l.contains("(partner)")).findFirst().orElseThrow();
        assertThat(partnerLink).contains("https://page-" + stack + ".lambda-url.us-east-1.on.aws/p/");
        assertThat(new dev.revshare.page.PageTokens(() -> pageSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), Clock.systemUTC())
                .verify(partnerLink.substring(partnerLink.indexOf("/p/") + 3))).get()
                .extracting(dev.revshare.page.PageTokens.Access::side).isEqualTo(dev.revshare.domain.Side.PARTNER);
        // a what-if at 20 % instead of 25 % on the stack: October as issued and as proposed; the table is only read
        Path proposed = data.resolve("proposed.yaml");
        Files.writeString(proposed, Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"))
                .replace("{year: 1, partnerPercent: 25}", "{year: 1, partnerPercent: 20}"));
        var tableBefore = dynamo.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items();
        Run simulated = revshare(data, "--stack", stack, "agreements", "simulate", "--agreement", "sarah-mindfulness",
                "--proposed", proposed.toString());
        assertThat(simulated.exitCode()).as(simulated.err()).isZero();
        assertThat(simulated.out()).containsPattern("2026-10 +\\$74\\.25 +\\$59\\.40 +-\\$14\\.85");
        assertThat(dynamo.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items()).isEqualTo(tableBefore);
        // never sent (say SES refused the expert's address): the expert's message resent to the corrected one, it goes out
        // now, once, with the expert's page link alone; the partner's goes to the partner's address as a run sends it
        YearMonth month = YearMonth.of(2026, 10);
        int messagesBefore = moto.sentRawMessages().size();
        Run unsent = revshare(data, "--stack", stack, "statements", "resend", "--agreement", "sarah-mindfulness",
                "--period", "2026-10", "--party", "expert", "--to", "sarah.lee@example.org");
        assertThat(unsent.exitCode()).as(unsent.err()).isZero();
        assertThat(deployed.statements().findWithoutLines("sarah-mindfulness", month).orElseThrow().status().name())
                .isEqualTo("SENT");
        assertThat(moto.sentRawMessages()).filteredOn(m -> m.destinations().contains("sarah.lee@example.org")).singleElement()
                .satisfies(m -> {
                    java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                            "https://page-" + stack + "\\.lambda-url\\.us-east-1\\.on\\.aws/p/([A-Za-z0-9_.-]+)")
                            .matcher(ReceivedEmail.parse(m.raw()).text);
                    List<dev.revshare.domain.Side> sides = new java.util.ArrayList<>();
                    while (link.find()) {
                        sides.add(new dev.revshare.page.PageTokens(() -> pageSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                Clock.systemUTC()).verify(link.group(1)).orElseThrow().side());
                    }
                    assertThat(sides).containsExactly(dev.revshare.domain.Side.EXPERT);
                });
        assertThat(moto.sentRawMessages().subList(messagesBefore, moto.sentRawMessages().size()))
                .extracting(m -> m.destinations()).containsExactly(List.of("sarah.lee@example.org"), List.of("books@dalai.example"));
        // it bounced; a person sends it again through SES, and the resend records who did
        Run resent = revshare(data, "--stack", stack, "statements", "resend", "--agreement", "sarah-mindfulness",
                "--period", "2026-10", "--party", "expert", "--to", "sarah.lee@example.org", "--by", "ops@revshare.example");
        assertThat(resent.exitCode()).as(resent.err()).isZero();
        assertThat(moto.sentRawMessages()).filteredOn(m -> m.destinations().contains("sarah.lee@example.org")).hasSize(2);
        assertThat(deployed.statements().findWithoutLines("sarah-mindfulness", month).orElseThrow().resends())
                .last().satisfies(r -> assertThat(r.by()).isEqualTo("ops@revshare.example"));
        Run tableOnly = revshare(data, "--table", table, "statements", "resend", "--agreement", "sarah-mindfulness",
                "--period", "2026-10", "--party", "expert", "--to", "sarah.lee@example.org");
        assertThat(tableOnly.exitCode()).isEqualTo(2);
        assertThat(tableOnly.err()).contains("name the stack with --stack", "Nothing was sent");
        Run quote = revshare(data, "--stack", stack, "buyout", "quote", "--agreement", "sarah-mindfulness", "--as-of", "2026-11-24");
        assertThat(quote.out()).as(quote.err()).contains("Buyout price: 2.5 x $74.25 = $185.63");

        Run run = revshare(data, "--stack", stack, "statements", "run", "--period", "2026-10", "--agreement", "sarah-mindfulness");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("stack " + stack + " (table " + table + ")");
        JsonNode sent = Json.read(run.out(), JsonNode.class); // moto's Lambda answers with the event it was given
        assertThat(sent.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(sent.path("detail").path("period").asText()).isEqualTo("2026-10");
        assertThat(sent.path("detail").path("agreementId").asText()).isEqualTo("sarah-mindfulness");
    }

    @Test
    void aMonthOfFiveThousandDeliveriesIsBookedClosedEmailedAndShownOnTheStack(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        String table = "revshare-big-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(DynamoDbLocalServer.get().clients().dynamoDb(), table);
        String stack = "revshare-big-" + UUID.randomUUID().toString().substring(0, 8);
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "StatementsFunctionName": {"Value": "%s-statements"}}}"""
                .formatted(table, stack)));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity("statements@revshare.example"));
        moto.clients().eventBridge().createEventBus(b -> b.name(stack + "-statements"));
        assertThat(revshare(data, "--stack", stack, "agreements", "apply",
                REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString()).exitCode()).isZero();

        // 5,000 payments of October, as the deployed webhook books them (Stripe's EventBridge path: no signature)
        EventRouter router = new EventRouter(deployed.agreements(), deployed.bookings(), StripeLookup.NONE, Clock.systemUTC());
        String sale = body("charge-succeeded.json");
        for (int i = 0; i < 5_000; i++) {
            String id = String.format("%017d", i);
            BookingResult result = router.receiveTrusted(sale.replace("3SarahCharge00001", "3Big" + id).replace("evt_", "evt_big" + id));
            assertThat(result.outcome()).as(result.message()).isEqualTo(BookingResult.Outcome.RECORDED);
        }

        // the deployed statements function closes October (moto runs no Java: the same run, on the stack's parts)
        AwsClients aws = moto.clients();
        RunSummary summary = new MonthlyStatementRun(deployed.agreements(), deployed.ledger(), deployed.statements(),
                new SesStatementMailer(aws.sesV2()), new EventBridgeStatementPublisher(aws.eventBridge(), stack + "-statements"),
                "statements@revshare.example", Clock.systemUTC(), MonthlyStatementRun.DEFAULT_GRACE)
                .run(Instant.now(), YearMonth.of(2026, 10), "sarah-mindfulness");
        // every month from the agreement's start (2025-11) to October, each closed once, October with the 5,000
        assertThat(summary.count(RunSummary.Outcome.SENT)).as(summary.headline()).isEqualTo(12);
        assertThat(summary.count(RunSummary.Outcome.FAILED)).isZero();

        Run shown = revshare(data, "--stack", stack, "statements", "show", "--agreement", "sarah-mindfulness",
                "--period", "2026-10");
        JsonNode statement = Json.read(shown.out(), JsonNode.class);
        assertThat(statement.path("lines").size()).isEqualTo(5_000);
        assertThat(statement.path("totals").path("netRevenue").asLong()).isEqualTo(5_000L * 29_700);
        assertThat(shown.err()).contains("sent");
    }

    @Test
    void reconcileReadsTheKeyWhereTheStacksWebhookDoesAndBooksOnTheStacksTable(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        String table = "revshare-reconcile-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(DynamoDbLocalServer.get().clients().dynamoDb(), table);
        String stack = "revshare-rec-" + UUID.randomUUID().toString().substring(0, 8);
        String keyParameter = "/" + stack + "/stripe/api-key";
        // the stack was deployed with its own parameter names: the command line reads them from the stack
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Parameters": {"StripeApiKeyParameterName": {"Type": "String"}, "AgreementSecretPrefix": {"Type": "String"}},
                 "Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "StatementsFunctionName": {"Value": "%s-statements"}}}"""
                .formatted(table, stack)).parameters(
                p -> p.parameterKey("StripeApiKeyParameterName").parameterValue(keyParameter),
                p -> p.parameterKey("AgreementSecretPrefix").parameterValue("/" + stack + "/agreements/")));
        moto.clients().ssm().putParameter(b -> b.name(keyParameter).type(ParameterType.SECURE_STRING).value("rk_test_on_the_stack"));
        assertThat(revshare(data, "--stack", stack, "agreements", "apply",
                REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString()).exitCode()).isZero();
        MonthOnStripe month = new MonthOnStripe();
        EventRouter router = new EventRouter(deployed.agreements(), deployed.bookings(), StripeLookup.NONE, Clock.systemUTC());
        month.deliveredDeliveries().forEach(router::receiveTrusted);

        try (FakeStripeBalance stripe = new FakeStripeBalance().add(month.balanceTransactions())) {
            Run reconciled = revshare(data, Map.of("STRIPE_API_BASE", stripe.baseUrl()), "--stack", stack, "reconcile",
                    "--agreement", "sarah-mindfulness", "--period", "2026-10");

            assertThat(reconciled.exitCode()).as(reconciled.err()).isZero();
            assertThat(reconciled.out()).contains("Booked 3 movement(s) through the webhook's booking path: 3 recorded.");
            assertThat(reconciled.err()).contains("stack " + stack + " (table " + table + ")");
            assertThat(stripe.requests()).allSatisfy(request -> {
                assertThat(request.authorization()).isEqualTo("Bearer rk_test_on_the_stack");
                assertThat(request.stripeAccount()).isEqualTo(MonthOnStripe.ACCOUNT);
            });
            assertThat(deployed.ledger().recordedBetween("sarah-mindfulness", Instant.EPOCH, Instant.now()).stream()
                    .filter(line -> YearMonth.from(line.occurredAt().atZone(java.time.ZoneId.of("Europe/Madrid")))
                            .equals(YearMonth.of(2026, 10)))).hasSize(20);

            // the table alone: template.yaml's parameter names, where this stack keeps no key
            Run withoutKey = revshare(data, Map.of("STRIPE_API_BASE", stripe.baseUrl()), "--table", table, "reconcile",
                    "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(withoutKey.exitCode()).isEqualTo(2);
            assertThat(withoutKey.err()).contains("no Stripe API key is set up for agreement sarah-mindfulness",
                    "/revshare/stripe/api-key", "/revshare/stripe/agreements/sarah-mindfulness/api-key", "Nothing was booked.");
        }
    }

    @Test
    void verifyRecomputesTheStacksStatementsFromItsTableAndReadsOnly(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.get();
        String table = "revshare-verify-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(dynamo.clients().dynamoDb(), table);
        String stack = "revshare-ver-" + UUID.randomUUID().toString().substring(0, 8);
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "StatementsFunctionName": {"Value": "%s-statements"}}}"""
                .formatted(table, stack)));
        String id = "sarah-mindfulness";
        SettableClock clock = new SettableClock(Instant.parse("2025-10-20T12:00:00Z"));
        deployed.agreements().put(AgreementFile.parse(Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml")),
                "sarah-mindfulness.yaml"), clock.instant());
        // the deployed worker closes November and December (a sale, then a sale and the first one's refund)
        MonthlyStatementRun worker = new MonthlyStatementRun(deployed.agreements(), deployed.ledger(), deployed.statements(),
                email -> "ses-" + email.reference(), (statement, messageId) -> { }, "statements@revshare.example", clock,
                MonthlyStatementRun.DEFAULT_GRACE);
        Instant nov = Instant.parse("2025-11-10T10:00:00Z");
        Instant dec = Instant.parse("2025-12-10T10:00:00Z");
        TestLedger.record(deployed.bookings(), new LedgerLine(id, "ch_nov", "ch_nov", LineType.SALE, 29_700, "usd", nov, nov,
                nov.plusSeconds(60), "course", "cus_nov", "evt_nov"));
        clock.set(Instant.parse("2025-12-05T06:00:00Z"));
        assertThat(worker.run(clock.instant(), null, id).results()).extracting(RunSummary.Result::outcome)
                .containsExactly(RunSummary.Outcome.SENT);
        TestLedger.record(deployed.bookings(), new LedgerLine(id, "ch_dec", "ch_dec", LineType.SALE, 59_400, "usd", dec, dec,
                dec.plusSeconds(60), "course", "cus_dec", "evt_dec"));
        TestLedger.record(deployed.bookings(), new LedgerLine(id, "re_nov", "re_nov", LineType.REFUND, -29_700, "usd",
                dec.plusSeconds(3_600), nov, dec.plusSeconds(3_660), "course", "cus_nov", "evt_re_nov", "ch_nov"));
        clock.set(Instant.parse("2026-01-05T06:00:00Z"));
        assertThat(worker.run(clock.instant(), null, id).results()).extracting(RunSummary.Result::outcome)
                .containsExactly(RunSummary.Outcome.SENT);
        String novemberHash = deployed.statements().findWithoutLines(id, YearMonth.of(2025, 11)).orElseThrow().statement().hash();
        var tableBefore = dynamo.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items();

        Run verified = revshare(data, "--stack", stack, "statements", "verify", "--agreement", id);

        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("on stack " + stack + " (table " + table + ")")
                .containsPattern("2025-11 +matches +1 line +hash " + novemberHash + ", first of the chain")
                .containsPattern("2025-12 +matches +2 lines +hash [0-9a-f]{64}, follows 2025-11")
                .contains("All 2 statement(s) match");
        assertThat(dynamo.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items()).isEqualTo(tableBefore);

        // November's share changed in the stack's table: named, and the exit status says so
        var header = dynamo.clients().dynamoDb().getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("STATEMENT#" + id), "sk", AttributeValue.fromS("2025-11")))).item();
        var changed = new HashMap<>(header);
        changed.put("body", AttributeValue.fromS(header.get("body").s().replaceFirst("\"partnerShare\":7425,", "\"partnerShare\":7524,")));
        dynamo.clients().dynamoDb().putItem(b -> b.tableName(table).item(changed));
        Run caught = revshare(data, "--stack", stack, "statements", "verify", "--agreement", id);
        assertThat(caught.exitCode()).as(caught.out() + caught.err()).isEqualTo(1);
        assertThat(caught.out()).contains("totals.partnerShare: stored $75.24, recomputed $74.25", "1 of 2 statement(s) differ");

        // a table that is not there: the store failed, nothing to compare
        Run noTable = revshare(data, "--table", "revshare-no-such-table", "statements", "verify", "--agreement", id);
        assertThat(noTable.exitCode()).as(noTable.out() + noTable.err()).isEqualTo(3);
        assertThat(noTable.err()).contains("revshare: the store failed while verifying", "run it again");
    }

    @Test
    void theSweepReadsTheStacksKeyAndWebhookUrlAndBooksOnTheStacksTable(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        String table = "revshare-sweep-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(DynamoDbLocalServer.get().clients().dynamoDb(), table);
        String stack = "revshare-sweep-" + UUID.randomUUID().toString().substring(0, 8);
        String keyParameter = "/" + stack + "/stripe/api-key";
        String webhookUrl = "https://" + stack + ".lambda-url.eu-west-1.on.aws/";
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Parameters": {"StripeApiKeyParameterName": {"Type": "String"}, "AgreementSecretPrefix": {"Type": "String"}},
                 "Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "WebhookUrl": {"Value": "%s"}}}"""
                .formatted(table, webhookUrl)).parameters(
                p -> p.parameterKey("StripeApiKeyParameterName").parameterValue(keyParameter),
                p -> p.parameterKey("AgreementSecretPrefix").parameterValue("/" + stack + "/agreements/")));
        moto.clients().ssm().putParameter(b -> b.name(keyParameter).type(ParameterType.SECURE_STRING).value("rk_test_sweep_on_the_stack"));
        assertThat(revshare(data, "--stack", stack, "agreements", "apply",
                REPO.resolve("examples/agreements/sarah-mindfulness.yaml").toString()).exitCode()).isZero();
        String missed = SampleStripeEvents.chargeSucceeded("evt_3StackMissed", MonthOnStripe.ACCOUNT, "ch_3StackMissed",
                "pi_3StackMissed", 29_700, "usd", Instant.now().minusSeconds(3 * 86_400L), "course", "cus_stack");

        try (FakeStripeBalance stripe = new FakeStripeBalance()) {
            stripe.addEvent(missed, false);
            stripe.addWebhookEndpoint("we_3StackEndpoint", webhookUrl + "stripe", false, "*");
            Run swept = revshare(data, Map.of("STRIPE_API_BASE", stripe.baseUrl()), "--stack", stack, "reconcile", "sweep");

            assertThat(swept.exitCode()).as(swept.err()).isEqualTo(1); // booked, but the stack's endpoint is disabled
            assertThat(swept.out()).contains("1 booked", webhookUrl + "stripe (sarah-mindfulness): DISABLED");
            assertThat(swept.err()).contains("stack " + stack + " (table " + table + ")");
            assertThat(stripe.requests()).isNotEmpty().allSatisfy(request ->
                    assertThat(request.authorization()).isEqualTo("Bearer rk_test_sweep_on_the_stack"));
            assertThat(deployed.ledger().recordedBetween("sarah-mindfulness", Instant.EPOCH, Instant.now()))
                    .singleElement().satisfies(line -> assertThat(line.stripeId()).isEqualTo("ch_3StackMissed"));
        }
    }

    @Test
    void payoutsAreRecordedAndPaidOnTheStackWithTheKeyInItsParameterAndNoticesGoThroughSes(@TempDir Path data) throws Exception {
        MotoServer moto = MotoServer.get();
        String table = "revshare-payouts-" + UUID.randomUUID();
        DynamoDbStores deployed = DynamoDbStores.createdOver(DynamoDbLocalServer.get().clients().dynamoDb(), table);
        String stack = "revshare-payouts-" + UUID.randomUUID().toString().substring(0, 8);
        String keyParameter = "/" + stack + "/stripe/payout-key";
        moto.clients().cloudFormation().createStack(b -> b.stackName(stack).templateBody("""
                {"Parameters": {"StripePayoutKeyParameterName": {"Type": "String"}},
                 "Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
                 "Outputs": {"TableName": {"Value": "%s"}, "StatementSender": {"Value": "statements@revshare.example"},
                             "StatementsConfigurationSet": {"Value": "%s-statements"}}}"""
                .formatted(table, stack)).parameters(p -> p.parameterKey("StripePayoutKeyParameterName").parameterValue(keyParameter)));
        moto.clients().sesV2().createEmailIdentity(b -> b.emailIdentity("statements@revshare.example"));
        moto.clients().sesV2().createConfigurationSet(b -> b.configurationSetName(stack + "-statements"));
        moto.clients().ssm().putParameter(b -> b.name(keyParameter).type(ParameterType.SECURE_STRING).value("sk_test_payout_on_the_stack"));
        Path terms = data.resolve("sarah-mindfulness.yaml");
        Files.writeString(terms, Files.readString(REPO.resolve("examples/agreements/sarah-mindfulness.yaml"))
                + "payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n");
        assertThat(revshare(data, "--stack", stack, "agreements", "apply", terms.toString()).exitCode()).isZero();
        // October closed on the stack: one sale of $297.00, 25 % payable to the partner ($74.25)
        String sale = body("charge-succeeded.json");
        StripeWebhook webhook = StripeWebhook.of(deployed.agreements(), deployed.bookings(), () -> SECRET, StripeLookup.NONE,
                Clock.systemUTC());
        assertThat(webhook.receive("/stripe", SampleStripeEvents.signatureHeader(sale, SECRET, Instant.now()), sale).outcome())
                .isEqualTo(BookingResult.Outcome.RECORDED);
        deployed.statements().create(new MonthlyStatementRun(deployed.agreements(), deployed.ledger(), deployed.statements(),
                email -> "unused", (statement, messageId) -> { }, "statements@revshare.example", Clock.systemUTC(),
                MonthlyStatementRun.DEFAULT_GRACE).preview("sarah-mindfulness", YearMonth.of(2026, 10)));
        int sesBefore = moto.sentRawMessages().size();

        Run recorded = revshare(data, "--stack", stack, "payouts", "record", "--agreement", "sarah-mindfulness", "--period",
                "2026-10", "--amount", "50.00", "--reference", "BANK-77", "--by", "ops@revshare.example");
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains("payable $74.25, paid $50.00, outstanding $24.25");
        try (FakeStripeTransfers stripe = new FakeStripeTransfers()) {
            Run paid = revshare(data, Map.of("STRIPE_API_BASE", stripe.baseUrl()), "--stack", stack, "payouts", "pay",
                    "--agreement", "sarah-mindfulness", "--period", "2026-10");
            assertThat(paid.exitCode()).as(paid.err()).isZero();
            assertThat(stripe.requests()).singleElement().satisfies(request -> {
                assertThat(request.authorization()).isEqualTo("Bearer sk_test_payout_on_the_stack");
                assertThat(request.idempotencyKey()).isEqualTo("sarah-mindfulness-2026-10");
                assertThat(request.form()).containsEntry("amount", "2425");
            });
        }
        assertThat(deployed.statements().payouts("sarah-mindfulness")).extracting(p -> p.status().name())
                .containsExactly("PAID", "PAID");
        // the two notices went out through the stack's SES, each to both parties
        assertThat(moto.sentRawMessages().subList(sesBefore, moto.sentRawMessages().size())).hasSize(2)
                .allSatisfy(m -> assertThat(m.destinations()).contains("sarah@example.com", "books@dalai.example"));
        Run list = revshare(data, "--stack", stack, "payouts", "list", "--agreement", "sarah-mindfulness");
        assertThat(list.out()).as(list.err()).contains("BANK-77", "tr_fake1", "outstanding $0.00");
        Run tableOnly = revshare(data, "--table", table, "payouts", "list", "--agreement", "sarah-mindfulness");
        assertThat(tableOnly.exitCode()).isEqualTo(2);
        assertThat(tableOnly.err()).contains("name the stack with --stack");
    }

    @Test
    void whatCannotBeDoneIsSaidInASentence(@TempDir Path data) throws Exception {
        Run noStack = revshare(data, "--stack", "no-such-stack", "agreements", "list");
        assertThat(noStack.exitCode()).isEqualTo(2);
        assertThat(noStack.err()).contains("no-such-stack").doesNotContain("Exception");

        Run invoke = revshare(data, "--stack", "any", "invoke", "MonthlyStatementsFunction", "--event",
                REPO.resolve("events/monthly-statements/rerun-period.json").toString());
        assertThat(invoke.exitCode()).isEqualTo(2);
        assertThat(invoke.err()).contains("statements run");

        Run help = revshare(data, "statements", "show", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--agreement", "--period");

        Path list = data.resolve("list.yaml");
        Files.writeString(list, "- id: a\n- id: b\n");
        Run notAnAgreement = revshare(data, "agreements", "apply", list.toString());
        assertThat(notAnAgreement.exitCode()).isEqualTo(2);
        assertThat(notAnAgreement.err()).contains("list.yaml: not an agreement").doesNotContain("Cannot construct");
    }

    private static String body(String file) throws IOException {
        return Json.read(Files.readString(REPO.resolve("events/stripe-webhook/" + file)), JsonNode.class).path("body").asText();
    }

    /** The launcher with the SDK's default chain pointed at moto, and DynamoDB at DynamoDB Local's server. */
    private static Run revshare(Path data, String... args) throws IOException, InterruptedException {
        return revshare(data, Map.of(), args);
    }

    private static Run revshare(Path data, Map<String, String> more, String... args) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("AWS_ENDPOINT_URL", MotoServer.get().endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", DynamoDbLocalServer.get().endpoint().toString());
        environment.put("AWS_REGION", MotoServer.REGION);
        environment.put("AWS_ACCESS_KEY_ID", "testing");
        environment.put("AWS_SECRET_ACCESS_KEY", "testing");
        environment.put("AWS_PROFILE", null);
        return Launcher.revshare(data, environment, args);
    }
}
