package dev.revshare.functions.payouts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.SsmPartnerPayouts;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Payout;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.store.AgreementStore;
import dev.revshare.stripe.StripeTransfers;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Pays a statement by Stripe Connect transfer as soon as it is issued, for an agreement whose file says
 * {@code payouts: {method: stripe-transfer, automatic: true}}: invoked by the stack's EventBridge rule on each
 * {@code StatementIssued} event (its detail names the agreement and the month), asynchronously. The transfer is the
 * one {@code revshare payouts pay} makes, under the statement's id as idempotency key, so an event delivered twice or
 * an invocation retried never pays twice.
 *
 * <p>Stripe's answer not heard (no answer, 5xx, 429) fails the invocation: Lambda retries it twice, asking again
 * under the same key, then the event waits in the on-failure queue (alarm). A transfer Stripe refuses, or no key in
 * SSM, is counted ({@code PayoutsFailed}, alarm) and logged with what to do; retrying would not help.
 */
public final class AutomaticPayoutFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final Logger log = LoggerFactory.getLogger(AutomaticPayoutFunction.class);
    /** The logging context's key for the agreement a line is about, as the other functions write it. */
    private static final String LOG_AGREEMENT_ID = "agreement_id";
    /** No client is built at start: each on its first use, after a SnapStart restore. */
    private static final AwsClients AWS = AwsClients.inLambda();

    private final AgreementStore agreements;
    private final Supplier<PartnerPayouts> payouts;
    private final PayoutTelemetry telemetry;

    /** Production wiring from the environment template.yaml sets; Powertools' logs and metrics. */
    public AutomaticPayoutFunction() {
        this(SsmPartnerPayouts.fromEnvironment(AWS, Clock.systemUTC()), PayoutTelemetry.powertools());
    }

    private AutomaticPayoutFunction(SsmPartnerPayouts wiring, PayoutTelemetry telemetry) {
        this(wiring.agreements(), wiring::payouts, telemetry);
    }

    /** @param payouts the payouts with the key as it is now (read again on each invocation) */
    public AutomaticPayoutFunction(AgreementStore agreements, Supplier<PartnerPayouts> payouts, PayoutTelemetry telemetry) {
        this.agreements = agreements;
        this.payouts = payouts;
        this.telemetry = telemetry;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, () -> pay(event));
    }

    private Map<String, Object> pay(ScheduledEvent event) {
        Map<String, Object> detail = event.getDetail() == null ? Map.of() : event.getDetail();
        Object agreementId = detail.get("agreementId");
        YearMonth period;
        try {
            period = YearMonth.parse(String.valueOf(detail.get("period")));
        } catch (DateTimeParseException e) {
            // not a StatementIssued event: the rule's pattern lets none through; retrying would not help
            log.error("not a StatementIssued event: detail {} names no agreement and month", detail.keySet());
            return answer("ignored", "not a StatementIssued event");
        }
        MDC.put(LOG_AGREEMENT_ID, String.valueOf(agreementId));
        try {
            Optional<Agreement> agreement = agreements.find(String.valueOf(agreementId));
            if (agreement.isEmpty() || !agreement.get().payouts().automatic()) {
                return answer("not-automatic", agreementId + "'s partner is not paid by automatic transfer");
            }
            Optional<Payout> payout;
            try {
                payout = payouts.get().payIfAutomatic(agreement.get(), period);
            } catch (StripeTransfers.NotAnswered e) {
                telemetry.counted(PayoutTelemetry.UNANSWERED);
                throw e; // Lambda asks again, under the same idempotency key
            } catch (IllegalArgumentException e) {
                telemetry.counted(PayoutTelemetry.FAILED);
                log.error("agreement {} period {}: the automatic transfer cannot be made: {}", agreementId, period,
                        e.getMessage(), e);
                return answer("not-made", e.getMessage());
            }
            if (payout.isEmpty()) {
                return answer("nothing-to-pay", "the statement for " + agreementId + " " + period + " owes nothing to pay "
                        + "automatically (paid, nothing payable, or refused before: a person retries it)");
            }
            Payout made = payout.get();
            if (made.status() == Payout.Status.FAILED) {
                telemetry.counted(PayoutTelemetry.FAILED);
                log.error("agreement {} period {}: Stripe refused the automatic transfer of {}: {}; put it right, then "
                        + "revshare --stack NAME payouts pay --agreement {} --period {} --retry", agreementId, period,
                        Money.format(made.amount(), made.currency()), made.failure(), agreementId, period);
                return answer("refused", made.failure());
            }
            telemetry.counted(PayoutTelemetry.PAID);
            log.info("agreement {} period {}: paid {} by Stripe transfer {}", agreementId, period,
                    Money.format(made.amount(), made.currency()), made.reference());
            Map<String, Object> answer = answer("paid", "paid by Stripe transfer " + made.reference());
            answer.put("amount", made.amount());
            answer.put("transfer", made.reference());
            return answer;
        } finally {
            MDC.remove(LOG_AGREEMENT_ID);
        }
    }

    private static Map<String, Object> answer(String outcome, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", outcome);
        answer.put("message", message);
        return answer;
    }
}
