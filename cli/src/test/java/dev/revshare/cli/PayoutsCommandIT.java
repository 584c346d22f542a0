package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.cli.Launcher.Run;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.statements.RunSummary;
import dev.revshare.testing.FakeStripeTransfers;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./revshare payouts} on the local store, as the two parties use it: a partial payment recorded by hand, the
 * rest paid by Stripe transfer (refused once for an insufficient balance, then retried by a person), the list, the
 * notices in the outbox, and the next statement saying what was paid; mistakes refused with a sentence, changing nothing.
 */
class PayoutsCommandIT {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final String ID = "sarah-mindfulness";

    @Test
    void aStatementIsPaidInPartsByHandAndByTransferAndTheNextStatementSaysSo(@TempDir Path data) throws Exception {
        issue(data, List.of(YearMonth.of(2025, 11)), false);

        Run recorded = revshare(data, Map.of(), "payouts", "record", "--agreement", ID, "--period", "2025-11", "--amount", "100",
                "--reference", "BANK-2025-12-01", "--by", "ana");
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out()).contains("Recorded payment 1 for sarah-mindfulness 2025-11: $100.00 by bank transfer, "
                + "reference BANK-2025-12-01", "Statement 2025-11: payable $250.00, paid $100.00, outstanding $150.00");
        assertThat(outbox(data)).anyMatch(name -> name.startsWith("sarah-mindfulness-2025-11-payment-1"));

        List<Map<String, AttributeValue>> before = everything(data);
        assertRefused(data, Map.of(), "mistake: more than is owed", "$150.01 is more than the statement for sarah-mindfulness "
                + "2025-11 still owes the partner ($150.00 of $250.00)", "payouts", "record", "--agreement", ID, "--period",
                "2025-11", "--amount", "150.01", "--reference", "X");
        assertRefused(data, Map.of(), "mistake: a fraction of a cent", "--amount must be an amount in USD with at most the "
                + "currency's decimals", "payouts", "record", "--agreement", ID, "--period", "2025-11", "--amount", "1.005",
                "--reference", "X");
        assertRefused(data, Map.of(), "mistake: no statement", "no statement for sarah-mindfulness 2026-05", "payouts", "record",
                "--agreement", ID, "--period", "2026-05", "--amount", "1", "--reference", "X");
        assertRefused(data, Map.of("STRIPE_PAYOUT_KEY", ""), "no key", "no Stripe key to make transfers with: set "
                + "STRIPE_PAYOUT_KEY", "payouts", "pay", "--agreement", ID, "--period", "2025-11");
        assertThat(everything(data)).isEqualTo(before);

        try (FakeStripeTransfers stripe = new FakeStripeTransfers()) {
            Map<String, String> key = Map.of("STRIPE_PAYOUT_KEY", "sk_test_platform", "STRIPE_API_BASE", stripe.baseUrl());
            stripe.refuseNext("balance_insufficient", "You have insufficient funds in your Stripe account.");
            Run refused = revshare(data, key, "payouts", "pay", "--agreement", ID, "--period", "2025-11");
            assertThat(refused.exitCode()).as(refused.out()).isEqualTo(1);
            assertThat(refused.err()).contains("Stripe refused the transfer of $150.00 for sarah-mindfulness 2025-11: Stripe "
                    + "refused the transfer (400, balance_insufficient): You have insufficient funds", "--retry");
            Run again = revshare(data, key, "payouts", "pay", "--agreement", ID, "--period", "2025-11");
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.err()).contains("was refused by Stripe", "run it again with --retry");

            Run paid = revshare(data, key, "payouts", "pay", "--agreement", ID, "--period", "2025-11", "--retry");
            assertThat(paid.exitCode()).as(paid.err()).isZero();
            assertThat(paid.out()).contains("Paid $150.00 to the partner for sarah-mindfulness 2025-11 by Stripe transfer tr_fake1 "
                    + "(idempotency key sarah-mindfulness-2025-11-retry-1)", "outstanding $0.00");
            assertThat(stripe.transfers()).singleElement().satisfies(t -> assertThat(t)
                    .containsEntry("destination", "acct_1DalaiExample").containsEntry("amount", "15000"));
            Run paidInFull = revshare(data, key, "payouts", "pay", "--agreement", ID, "--period", "2025-11");
            assertThat(paidInFull.exitCode()).isEqualTo(2);
            assertThat(paidInFull.err()).contains("is paid in full ($250.00)");
            assertThat(stripe.transfers()).hasSize(1);
        }

        Run list = revshare(data, Map.of(), "payouts", "list", "--agreement", ID);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("Statement 2025-11: payable $250.00, paid $250.00, outstanding $0.00")
                .containsPattern("1\\. paid +\\$100\\.00 +bank transfer +BANK-2025-12-01")
                .containsPattern("2\\. failed +\\$150\\.00 +Stripe transfer .*insufficient funds")
                .containsPattern("3\\. paid +\\$150\\.00 +Stripe transfer +tr_fake1");

        issue(data, List.of(YearMonth.of(2025, 12)), true);
        Run december = revshare(data, Map.of(), "statements", "show", "--agreement", ID, "--period", "2025-12", "--format", "text");
        assertThat(december.out()).as(december.err()).contains("Paid to the partner since the last statement: $250.00",
                "$100.00 for November 2025, bank transfer, reference BANK-2025-12-01",
                "$150.00 for November 2025, Stripe transfer tr_fake1",
                "Still owed to the partner from earlier statements: $0.00");
        Run help = revshare(data, Map.of(), "payouts", "pay", "--help");
        assertThat(help.out()).contains("--agreement=ID", "--period=YYYY-MM", "--retry", "idempotency key");
    }

    private static void assertRefused(Path data, Map<String, String> environment, String why, String message, String... args)
            throws Exception {
        Run refused = revshare(data, environment, args);
        assertThat(refused.exitCode()).as(why + ": " + refused.out()).isEqualTo(2);
        assertThat(refused.err()).as(why).startsWith("revshare: ").contains(message);
    }

    /** The months given issued by the local statements run, each with a sale of $1,000.00 (25 %: $250.00). */
    private static void issue(Path data, List<YearMonth> months, boolean closeNow) throws IOException {
        String terms = Files.readString(Launcher.REPO.resolve("examples/agreements/sarah-mindfulness.yaml"))
                + "payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n";
        SettableClock clock = new SettableClock(Instant.parse("2025-10-20T12:00:00Z"));
        try (LocalRuntime local = LocalRuntime.persistent(data, clock)) {
            if (local.store().agreements().find(ID).isEmpty()) {
                local.store().agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), clock.instant());
            }
            for (YearMonth month : months) {
                Instant at = month.atDay(10).atStartOfDay(MADRID).toInstant();
                String id = "ch_" + month;
                TestLedger.record(local.store().bookings(), new LedgerLine(ID, id, id, LineType.SALE, 100_000, "usd", at, at,
                        at.plusSeconds(60), "course", "cus_" + id, "evt_" + id, id));
                // closed on the 5th after its month, or now: after the payouts recorded for the months before it
                clock.set(closeNow ? Instant.now() : month.plusMonths(1).atDay(5).atStartOfDay(MADRID).toInstant());
                RunSummary summary = local.statementRun().run(clock.instant(), month, ID);
                assertThat(summary.results()).extracting(RunSummary.Result::outcome).contains(RunSummary.Outcome.SENT);
            }
        }
    }

    private static List<Map<String, AttributeValue>> everything(Path data) {
        try (LocalRuntime local = LocalRuntime.persistent(data, Clock.systemUTC())) {
            return local.dynamoDb().scan(b -> b.tableName(LocalRuntime.TABLE).consistentRead(true)).items();
        }
    }

    private static List<String> outbox(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("outbox"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static Run revshare(Path data, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putIfAbsent("STRIPE_PAYOUT_KEY", null);
        env.putIfAbsent("STRIPE_API_KEY", null);
        env.replaceAll((name, value) -> value == null || value.isEmpty() ? null : value);
        return Launcher.revshare(data, env, args);
    }
}
