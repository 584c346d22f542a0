package dev.revshare.payouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.RunSummary;
import dev.revshare.statements.StatementCsv;
import dev.revshare.statements.StatementEmailRenderer;
import dev.revshare.stripe.StripeApiTransfers;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.testing.FakeStripeTransfers;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paying the partner, on DynamoDB Local, with Stripe's transfers served by a fake that keeps idempotency as Stripe
 * does: payments recorded by hand in parts and listed by the next statements (paid, still owed); a transfer whose
 * answer is lost asked again under the same key and paid once; a transfer Stripe refuses recorded as failed and
 * retried only when a person says so; the automatic transfer after a statement is sent; bad payouts change nothing.
 */
class PayoutsTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final String ID = "sarah-mindfulness";
    private static final YearMonth NOVEMBER = YearMonth.of(2025, 11);
    private static final YearMonth DECEMBER = YearMonth.of(2025, 12);
    private static final YearMonth JANUARY = YearMonth.of(2026, 1);
    private static final String SENDER = "statements@revshare.example";

    private final SettableClock clock = new SettableClock(Instant.parse("2025-10-20T12:00:00Z"));
    private final List<OutgoingEmail> sent = new ArrayList<>();
    private final FakeStripeTransfers stripe = new FakeStripeTransfers();
    private DynamoDbStores store;

    @BeforeEach
    void freshStore() {
        store = LocalDynamoDb.newStore();
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void paymentsRecordedByHandAreListedByTheNextStatementsWithWhatIsStillOwed() {
        apply("");
        PartnerPayouts payouts = payouts(null);
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");
        close(NOVEMBER); // 25 % of $1,000.00: $250.00 payable
        assertThat(payable(NOVEMBER)).isEqualTo(25_000);

        clock.set(Instant.parse("2025-12-08T09:00:00Z"));
        Payout first = payouts.record(ID, NOVEMBER, 10_000, " BANK-1 ", "ana");
        assertThat(first).extracting(Payout::number, Payout::status, Payout::reference, Payout::method)
                .containsExactly(1, Payout.Status.PAID, "BANK-1", Payout.Method.RECORDED);
        OutgoingEmail notice = sent.get(sent.size() - 1);
        assertThat(notice.recipients()).containsExactly("sarah@example.com", "books@dalai.example");
        assertThat(notice.subject()).isEqualTo("Payment $100.00 to Dalai Digital for the November 2025 statement");
        assertThat(notice.text()).contains("Paid: $100.00 on 8 December 2025", "by bank transfer, reference BANK-1",
                "payable $250.00", "Paid against it in all: $100.00; still outstanding: $150.00", "Recorded by: ana");

        // more than is owed, nothing owed, no reference: refused, nothing recorded, nobody told
        int notices = sent.size();
        assertThatThrownBy(() -> payouts.record(ID, NOVEMBER, 15_001, "BANK-X", "ana"))
                .hasMessage("$150.01 is more than the statement for sarah-mindfulness 2025-11 still owes the partner "
                        + "($150.00 of $250.00)");
        assertThatThrownBy(() -> payouts.record(ID, NOVEMBER, 1_000, " ", "ana")).hasMessageContaining("give the payment's reference");
        assertThatThrownBy(() -> payouts.record(ID, NOVEMBER, 0, "BANK-0", "ana")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> payouts.record(ID, YearMonth.of(2025, 10), 1_000, "B", "ana"))
                .hasMessageContaining("no statement for sarah-mindfulness 2025-10");
        assertThat(store.statements().payouts(ID)).containsExactly(first);
        assertThat(sent).hasSize(notices);

        sale("ch_dec", 40_000, "2025-12-10T10:00:00Z");
        close(DECEMBER);
        Statement december = store.statements().find(ID, DECEMBER).orElseThrow().statement();
        assertThat(december.totals().partnerPayable()).isEqualTo(10_000);
        assertThat(december.payments().paidSincePrevious()).containsExactly(new Statement.PaymentMade(NOVEMBER, 10_000,
                Payout.Method.RECORDED, "BANK-1", first.settledAt()));
        assertThat(december.payments().outstanding()).containsExactly(new Statement.StillOwed(NOVEMBER, 25_000, 10_000, 15_000));
        Agreement agreement = store.agreements().find(ID).orElseThrow();
        String text = new StatementEmailRenderer().render(agreement, december).text();
        assertThat(text).contains("Paid to the partner since the last statement: $100.00",
                "  $100.00 for November 2025, bank transfer, reference BANK-1, on 8 Dec 2025",
                "Still owed to the partner from earlier statements: $150.00", "  November 2025: $150.00 of $250.00 ($100.00 paid)",
                "Owed to the partner in all, with this statement: $250.00");
        assertThat(new StatementEmailRenderer().render(agreement, december).html()).contains("Owed to the partner in all, with this statement: $250.00");
        assertThat(StatementCsv.write(december, MADRID)).contains("# Still owed to the partner from earlier statements: $150.00");
        assertThat(Json.write(december)).contains("\"payments\":{\"paidSincePrevious\":[{\"statementPeriod\":\"2025-11\",\"amount\":10000");

        clock.set(Instant.parse("2026-01-08T09:00:00Z"));
        payouts.record(ID, NOVEMBER, 15_000, "BANK-2", "ana");
        payouts.record(ID, DECEMBER, 10_000, "BANK-3", "ana");
        assertThatThrownBy(() -> payouts.record(ID, NOVEMBER, 1, "BANK-4", "ana")).hasMessageContaining("($0.00 of $250.00)");
        close(JANUARY);
        Statement january = store.statements().find(ID, JANUARY).orElseThrow().statement();
        assertThat(january.payments().paidSincePrevious()).extracting(Statement.PaymentMade::statementPeriod,
                Statement.PaymentMade::amount).containsExactly(org.assertj.core.groups.Tuple.tuple(NOVEMBER, 15_000L),
                org.assertj.core.groups.Tuple.tuple(DECEMBER, 10_000L));
        assertThat(january.payments().outstanding()).isEmpty();
        assertThat(payouts.standing(ID, NOVEMBER).outstanding()).isZero();
    }

    @Test
    void aNegativeBalanceIsCarriedForwardNeverPaid() {
        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n");
        PartnerPayouts payouts = payouts(new StripeApiTransfers("sk_test_platform", stripe.baseUrl()));
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");
        close(NOVEMBER);
        TestLedger.record(store.bookings(), line("re_nov", LineType.REFUND, -100_000, "2025-12-03T10:00:00Z", "ch_nov"));
        close(DECEMBER); // the refund takes back November's share: -$250.00 carried forward
        assertThat(payable(DECEMBER)).isLessThanOrEqualTo(0);

        assertThatThrownBy(() -> payouts.record(ID, DECEMBER, 100, "BANK-1", "ana")).hasMessageContaining("owes the partner nothing");
        assertThatThrownBy(() -> payouts.pay(ID, DECEMBER, "ana", false)).hasMessageContaining("never paid back by a transfer");
        assertThat(stripe.requests()).isEmpty();
        assertThat(store.statements().payouts(ID)).isEmpty();
    }

    @Test
    void aTransferWhoseAnswerWasLostIsAskedAgainUnderTheSameKeyAndPaidOnce() {
        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n");
        PartnerPayouts payouts = payouts(new StripeApiTransfers("sk_test_platform", stripe.baseUrl()));
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");
        close(NOVEMBER);

        stripe.loseAnswerAfterMaking(); // Stripe makes it; the answer never comes back (nor to stripe-java's retries)
        assertThatThrownBy(() -> payouts.pay(ID, NOVEMBER, "ana", false)).isInstanceOf(StripeTransfers.NotAnswered.class)
                .hasMessageContaining("the same idempotency key never pays twice");
        assertThat(store.statements().payouts(ID)).singleElement().extracting(Payout::status, Payout::idempotencyKey)
                .containsExactly(Payout.Status.SUBMITTED, "sarah-mindfulness-2025-11");
        assertThatThrownBy(() -> payouts.record(ID, NOVEMBER, 100, "BANK-1", "ana")).hasMessageContaining("waiting for Stripe's answer");

        Payout paid = payouts.pay(ID, NOVEMBER, "bob", false);

        assertThat(paid).extracting(Payout::status, Payout::number, Payout::amount, Payout::by)
                .containsExactly(Payout.Status.PAID, 1, 25_000L, "ana");
        assertThat(stripe.transfers()).singleElement().satisfies(transfer -> {
            assertThat(transfer).containsEntry("amount", "25000").containsEntry("currency", "usd")
                    .containsEntry("destination", "acct_1DalaiExample").containsEntry("transfer_group", "sarah-mindfulness-2025-11")
                    .containsEntry("metadata[revshare_agreement]", ID).containsEntry("metadata[revshare_statement]", "2025-11");
            assertThat(paid.reference()).isEqualTo(transfer.get("id"));
        });
        assertThat(stripe.requests()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(request -> {
            assertThat(request.idempotencyKey()).isEqualTo("sarah-mindfulness-2025-11");
            assertThat(request.authorization()).isEqualTo("Bearer sk_test_platform");
        });
        assertThat(sent.get(sent.size() - 1).text()).contains("by Stripe transfer " + paid.reference() + " to acct_1DalaiExample",
                "paid in full");

        assertThatThrownBy(() -> payouts.pay(ID, NOVEMBER, "ana", false)).hasMessageContaining("is paid in full ($250.00)");
        assertThat(stripe.transfers()).hasSize(1);
    }

    @Test
    void aTransferStripeRefusesIsRecordedAsFailedAndRetriedOnlyWhenAPersonSaysSo() {
        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n");
        PartnerPayouts payouts = payouts(new StripeApiTransfers("sk_test_platform", stripe.baseUrl()));
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");
        close(NOVEMBER);
        stripe.refuseNext("balance_insufficient", "You have insufficient funds in your Stripe account.");

        Payout refused = payouts.pay(ID, NOVEMBER, "ana", false);

        assertThat(refused.status()).isEqualTo(Payout.Status.FAILED);
        assertThat(refused.failure()).isEqualTo("Stripe refused the transfer (400, balance_insufficient): You have insufficient "
                + "funds in your Stripe account.");
        assertThat(stripe.transfers()).isEmpty();
        assertThat(sent).noneMatch(email -> email.subject().startsWith("Payment"));
        assertThatThrownBy(() -> payouts.pay(ID, NOVEMBER, "ana", false)).hasMessageContaining("was refused by Stripe")
                .hasMessageContaining("run it again with --retry");
        assertThat(stripe.requests()).hasSize(1);

        Payout retried = payouts.pay(ID, NOVEMBER, "ana", true);

        assertThat(retried).extracting(Payout::status, Payout::number, Payout::idempotencyKey)
                .containsExactly(Payout.Status.PAID, 2, "sarah-mindfulness-2025-11-retry-1");
        assertThat(stripe.transfers()).hasSize(1);
        assertThat(payouts.standing(ID, NOVEMBER).outstanding()).isZero();
        assertThat(store.statements().payouts(ID)).extracting(Payout::status).containsExactly(Payout.Status.FAILED, Payout.Status.PAID);
    }

    @Test
    void anAgreementPaidAutomaticallyIsPaidByTransferAsSoonAsItsStatementIsSent() {
        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}\n");
        PartnerPayouts payouts = payouts(new StripeApiTransfers("sk_test_platform", stripe.baseUrl()));
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");

        RunSummary summary = close(NOVEMBER, payouts);

        assertThat(summary.results()).singleElement().satisfies(result -> assertThat(result.message())
                .matches("sent as expert msg-1, partner msg-2; paid \\$250\\.00 by transfer tr_fake1"));
        assertThat(store.statements().payouts(ID)).singleElement().extracting(Payout::status, Payout::by)
                .containsExactly(Payout.Status.PAID, "revshare (automatic transfer)");
        assertThat(sent).extracting(OutgoingEmail::subject).containsExactly(
                "Sarah Lee Mindfulness x Dalai Digital: statement for November 2025, partner share $250.00",
                "Sarah Lee Mindfulness x Dalai Digital: statement for November 2025, partner share $250.00",
                "Payment $250.00 to Dalai Digital for the November 2025 statement");

        // refused: the statement stays sent, the payout is recorded as failed, and the run says so
        sale("ch_dec", 40_000, "2025-12-10T10:00:00Z");
        stripe.refuseNext("balance_insufficient", "You have insufficient funds in your Stripe account.");
        RunSummary december = close(DECEMBER, payouts);
        assertThat(december.results()).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(RunSummary.Outcome.SENT);
            assertThat(result.message()).contains("the automatic transfer was refused: Stripe refused the transfer (400, "
                    + "balance_insufficient)");
        });
        assertThat(store.statements().payouts(ID)).extracting(Payout::period, Payout::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(NOVEMBER, Payout.Status.PAID),
                        org.assertj.core.groups.Tuple.tuple(DECEMBER, Payout.Status.FAILED));
    }

    @Test
    void anAgreementPaidByHandIsNeverPaidByTransfer() {
        apply("");
        PartnerPayouts payouts = payouts(new StripeApiTransfers("sk_test_platform", stripe.baseUrl()));
        sale("ch_nov", 100_000, "2025-11-10T10:00:00Z");
        close(NOVEMBER);
        assertThatThrownBy(() -> payouts.pay(ID, NOVEMBER, "ana", false)).hasMessageContaining("is paid by hand");
        PartnerPayouts noKey = payouts(null);
        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample}\n");
        assertThatThrownBy(() -> noKey.pay(ID, NOVEMBER, "ana", false)).hasMessageContaining("no Stripe key to make transfers");
        assertThat(stripe.requests()).isEmpty();
        assertThat(store.statements().payouts(ID)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private void apply(String payoutsLine) {
        try {
            String terms = Files.readString(Path.of("..", "examples", "agreements", "sarah-mindfulness.yaml")) + payoutsLine;
            store.agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), clock.instant());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private PartnerPayouts payouts(StripeTransfers transfers) {
        return new PartnerPayouts(store.agreements(), store.statements(), transfers, "set STRIPE_PAYOUT_KEY", this::send, SENDER,
                clock);
    }

    private String send(OutgoingEmail email) {
        sent.add(email);
        return "msg-" + sent.size();
    }

    private void sale(String id, long amount, String at) {
        TestLedger.record(store.bookings(), line(id, LineType.SALE, amount, at, null));
    }

    private static LedgerLine line(String id, LineType type, long amount, String at, String sale) {
        Instant when = Instant.parse(at);
        return new LedgerLine(ID, id, id, type, amount, "usd", when, when, when.plusSeconds(60), "course", "cus_" + id,
                "evt_" + id, sale == null ? id : sale);
    }

    private RunSummary close(YearMonth month) {
        return close(month, null);
    }

    private RunSummary close(YearMonth month, PartnerPayouts automatic) {
        clock.set(month.plusMonths(1).atDay(5).atStartOfDay(MADRID).toInstant());
        MonthlyStatementRun run = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), this::send,
                (statement, messageId) -> { }, SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
        if (automatic != null) {
            run = run.payingAutomatically(automatic);
        }
        RunSummary summary = run.run(clock.instant(), null, ID);
        assertThat(summary.results()).extracting(RunSummary.Result::outcome).contains(RunSummary.Outcome.SENT);
        return summary;
    }

    private long payable(YearMonth month) {
        return store.statements().find(ID, month).orElseThrow().statement().totals().partnerPayable();
    }
}
