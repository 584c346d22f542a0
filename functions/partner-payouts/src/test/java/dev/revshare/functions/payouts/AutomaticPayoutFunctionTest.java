package dev.revshare.functions.payouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementMailer;
import dev.revshare.stripe.StripeApiTransfers;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.testing.FakeStripeTransfers;
import dev.revshare.testing.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AutomaticPayoutFunction on events/automatic-payout/statement-issued.json (as the stack's bus delivers it), on
 * DynamoDB Local, Stripe's transfers from a fake that keeps idempotency: the statement paid once however often the
 * event comes; a refusal counted and left to a person; an unanswered transfer failing the invocation so that Lambda
 * asks again under the same key; agreements paid by hand, and no key, left alone with a reason.
 */
class AutomaticPayoutFunctionTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T06:05:00Z"), ZoneOffset.UTC);

    private final FakeStripeTransfers stripe = new FakeStripeTransfers();
    private final List<OutgoingEmail> sent = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private final PayoutTelemetry telemetry = new PayoutTelemetry() {
        @Override
        public <T> T invocation(Context context, Supplier<T> handling) {
            return handling.get();
        }

        @Override
        public void counted(String metric) {
            counted.add(metric);
        }
    };
    private DynamoDbStores store;

    @BeforeEach
    void statementIssued() {
        store = LocalDynamoDb.newStore();
        // October's statement as stored when it was sent: $5,000.00 of sales, $1,250.00 payable to the partner
        store.statements().create(new Statement("sarah-mindfulness", "Sarah Lee Mindfulness x Dalai Digital", OCTOBER, "usd",
                false, Instant.parse("2026-11-05T06:00:00Z"),
                new Statement.Totals(500_000, 0, 0, 500_000, 125_000, 375_000, 0, 0, 0, 125_000, 0), List.of(), List.of(),
                null, List.of()));
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void theIssuedStatementIsPaidOnceHoweverOftenItsEventComes() {
        AutomaticPayoutFunction function = function("payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}");

        Map<String, Object> answer = function.handleRequest(event(), null);
        Map<String, Object> again = function.handleRequest(event(), null);

        assertThat(answer).containsEntry("outcome", "paid").containsEntry("amount", 125_000L).containsEntry("transfer", "tr_fake1");
        assertThat(again).containsEntry("outcome", "nothing-to-pay");
        assertThat(stripe.transfers()).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("destination", "acct_1DalaiExample").containsEntry("transfer_group", "sarah-mindfulness-2026-10"));
        assertThat(stripe.requests()).singleElement().extracting(FakeStripeTransfers.Request::idempotencyKey)
                .isEqualTo("sarah-mindfulness-2026-10");
        assertThat(store.statements().payouts("sarah-mindfulness")).singleElement()
                .extracting(Payout::status, Payout::by).containsExactly(Payout.Status.PAID, PartnerPayouts.AUTOMATIC);
        assertThat(sent).singleElement().satisfies(notice -> assertThat(notice.recipients())
                .containsExactly("sarah@example.com", "books@dalai.example"));
        assertThat(counted).containsExactly(PayoutTelemetry.PAID);
    }

    @Test
    void anUnansweredTransferFailsTheInvocationAndTheRetryPaysItOnce() {
        AutomaticPayoutFunction function = function("payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}");
        stripe.loseAnswerAfterMaking();

        assertThatThrownBy(() -> function.handleRequest(event(), null)).isInstanceOf(StripeTransfers.NotAnswered.class);
        Map<String, Object> retried = function.handleRequest(event(), null); // Lambda's asynchronous retry

        assertThat(retried).containsEntry("outcome", "paid").containsEntry("transfer", "tr_fake1");
        assertThat(stripe.transfers()).hasSize(1);
        assertThat(stripe.requests()).extracting(FakeStripeTransfers.Request::idempotencyKey).containsOnly("sarah-mindfulness-2026-10");
        assertThat(counted).containsExactly(PayoutTelemetry.UNANSWERED, PayoutTelemetry.PAID);
    }

    @Test
    void aRefusedTransferIsCountedAndLeftToAPerson() {
        AutomaticPayoutFunction function = function("payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}");
        stripe.refuseNext("balance_insufficient", "You have insufficient funds in your Stripe account.");

        Map<String, Object> answer = function.handleRequest(event(), null);
        Map<String, Object> again = function.handleRequest(event(), null);

        assertThat(answer).containsEntry("outcome", "refused");
        assertThat((String) answer.get("message")).contains("balance_insufficient");
        assertThat(again).containsEntry("outcome", "nothing-to-pay"); // a person retries it: payouts pay --retry
        assertThat(stripe.requests()).hasSize(1);
        assertThat(store.statements().payouts("sarah-mindfulness")).singleElement().extracting(Payout::status)
                .isEqualTo(Payout.Status.FAILED);
        assertThat(sent).isEmpty();
        assertThat(counted).containsExactly(PayoutTelemetry.FAILED);
    }

    @Test
    void agreementsPaidByHandAreLeftAloneAndAMissingKeyIsCountedWithWhereItGoes() {
        Map<String, Object> byHand = function("payouts: {method: by-hand}").handleRequest(event(), null);
        assertThat(byHand).containsEntry("outcome", "not-automatic");

        apply("payouts: {method: stripe-transfer, destination: acct_1DalaiExample, automatic: true}");
        AutomaticPayoutFunction noKey = new AutomaticPayoutFunction(store.agreements(), () -> new PartnerPayouts(store.agreements(),
                store.statements(), null, "put the key in the SSM SecureString parameter /revshare/stripe/payout-key",
                mailer(), "statements@revshare.example", CLOCK), telemetry);
        Map<String, Object> answer = noKey.handleRequest(event(), null);

        assertThat(answer).containsEntry("outcome", "not-made");
        assertThat((String) answer.get("message")).contains("/revshare/stripe/payout-key");
        assertThat(stripe.requests()).isEmpty();
        assertThat(store.statements().payouts("sarah-mindfulness")).isEmpty();
        assertThat(counted).containsExactly(PayoutTelemetry.FAILED);
    }

    private AutomaticPayoutFunction function(String payouts) {
        apply(payouts);
        return new AutomaticPayoutFunction(store.agreements(), () -> new PartnerPayouts(store.agreements(), store.statements(),
                new StripeApiTransfers("sk_test_platform", stripe.baseUrl()), "unused", mailer(), "statements@revshare.example",
                CLOCK), telemetry);
    }

    private StatementMailer mailer() {
        return email -> {
            sent.add(email);
            return "msg-" + sent.size();
        };
    }

    private void apply(String payouts) {
        try {
            String terms = Files.readString(Path.of("../../examples/agreements/sarah-mindfulness.yaml")) + payouts + "\n";
            store.agreements().put(AgreementFile.parse(terms, "sarah-mindfulness.yaml"), CLOCK.instant());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScheduledEvent event() {
        return EventLoader.loadScheduledEvent("../../events/automatic-payout/statement-issued.json");
    }
}
