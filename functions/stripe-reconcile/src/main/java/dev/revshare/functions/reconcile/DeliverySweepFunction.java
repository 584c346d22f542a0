package dev.revshare.functions.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.SsmStripeApiKeys;
import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.reconcile.SweepReport;
import dev.revshare.reconcile.SweepReport.AccountSweep;
import dev.revshare.reconcile.SweepReport.Disposition;
import dev.revshare.reconcile.SweepReport.EndpointCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily sweep, invoked by EventBridge Scheduler with a "Scheduled Event" (its time and detail are not read: the
 * sweep covers what Stripe keeps now). Runs {@link DeliverySweep} for every agreement with a Stripe API key: the
 * events Stripe could not deliver in the last SWEEP_DAYS days (30, all Stripe keeps) booked through the webhook's
 * booking path, and revshare's webhook endpoints (under WEBHOOK_URL, the stack's Function URL) checked in Stripe.
 * What it found is counted in EMF; a disabled or missing endpoint, or a failure, raises an alarm (template.yaml).
 *
 * <p>The invocation fails only when nothing at all could be swept (the agreements could not be read, or every
 * account's listing failed, or every event found failed to book), so that Lambda's retries and the on-failure queue
 * apply. A sweep that went through for some accounts returns: what failed is counted, and was logged once, with its
 * stack trace, where it was handled; the next day's sweep tries it again, and books nothing twice.
 */
public final class DeliverySweepFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    /** How many problems the answer lists; the log and the metrics have them all. */
    static final int ANSWER_PROBLEMS = 20;
    private static final Logger log = LoggerFactory.getLogger(DeliverySweepFunction.class);

    /** No client is built at start: each on its first use, after a SnapStart restore. */
    private static final AwsClients AWS = AwsClients.inLambda();

    private final DeliverySweep sweep;
    private final Duration lookBack;
    private final Clock clock;
    private final Telemetry telemetry;

    /** Production wiring from the environment template.yaml sets; Powertools' logs and metrics. */
    public DeliverySweepFunction() {
        this(productionSweep(), Environment.sweepLookBack(), Clock.systemUTC(), PowertoolsTelemetry.fromEnvironment());
    }

    /** The command line's: plain log lines, no metrics. */
    public DeliverySweepFunction(DeliverySweep sweep, Duration lookBack, Clock clock) {
        this(sweep, lookBack, clock, Telemetry.LOGS_ONLY);
    }

    /** @param lookBack how far back to list undelivered events: 1 to 30 days */
    public DeliverySweepFunction(DeliverySweep sweep, Duration lookBack, Clock clock, Telemetry telemetry) {
        this.sweep = sweep;
        this.lookBack = lookBack;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /**
     * Reads TABLE_NAME; STRIPE_API_KEY_PARAMETER and AGREEMENT_SECRET_PREFIX (the read-only keys in SSM, as the webhook's
     * lookups and the reconcile worker read them); STRIPE_API_BASE (optional: another endpoint that speaks Stripe's
     * API); WEBHOOK_URL (the webhook's Function URL: without it the endpoints are not checked).
     */
    private static DeliverySweep productionSweep() {
        Clock clock = Clock.systemUTC();
        DynamoDbStores stores = DynamoDbStores.over(AWS::dynamoDb, Environment.require("TABLE_NAME"));
        SsmStripeApiKeys keys = new SsmStripeApiKeys(AWS::ssm, System.getenv("STRIPE_API_KEY_PARAMETER"),
                System.getenv("AGREEMENT_SECRET_PREFIX"), clock);
        return DeliverySweep.withStripeApi(stores.agreements(), stores.bookings(), keys, System.getenv("STRIPE_API_BASE"),
                System.getenv("WEBHOOK_URL"), clock);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, this::sweep);
    }

    private Map<String, Object> sweep() {
        SweepReport report = sweep.sweep(clock.instant(), lookBack, false, DeliverySweep.Progress.NONE);
        telemetry.swept(report);
        // DeliverySweep logged each failure where it met it, and the headline; what a person must act on besides:
        report.endpoints().stream().filter(EndpointCheck::problem).forEach(check ->
                log.warn("webhook endpoint of {}: {}", check.agreementIds(), check.detail()));
        if (!report.notConfigured().isEmpty()) {
            log.info("not swept, no Stripe API key in SSM: {}", report.notConfigured());
        }
        if (nothingSwept(report)) {
            throw new SweepFailedException(report);
        }
        return answer(report);
    }

    /**
     * Nothing at all went through: the agreements could not be read, or no account was swept (each listing failed,
     * or every event found failed to book). Agreements without a key are not a failure: there is nothing to sweep.
     */
    static boolean nothingSwept(SweepReport report) {
        return report.problem() != null
                || !report.accounts().isEmpty() && report.accounts().stream().noneMatch(DeliverySweepFunction::swept);
    }

    private static boolean swept(AccountSweep account) {
        return !account.failed() && (account.events().isEmpty() || account.count(Disposition.FAILED) < account.events().size());
    }

    private static Map<String, Object> answer(SweepReport report) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("summary", report.headline());
        answer.put("undeliveredFound", report.eventsFound());
        answer.put("undeliveredBooked", report.eventsBooked());
        answer.put("failures", report.failures());
        answer.put("endpointProblems", report.endpointProblems());
        answer.put("problems", problems(report).stream().limit(ANSWER_PROBLEMS).toList());
        return answer;
    }

    /** Each problem in a sentence: an account Stripe failed for, an event not booked, an endpoint disabled or missing. */
    static List<String> problems(SweepReport report) {
        List<String> problems = new ArrayList<>();
        if (report.problem() != null) {
            problems.add(report.problem());
        }
        for (AccountSweep account : report.accounts()) {
            String who = String.join(", ", account.agreementIds());
            if (account.failed()) {
                problems.add(who + ": " + account.problem());
            }
            account.events().stream().filter(e -> e.disposition() == Disposition.FAILED)
                    .forEach(e -> problems.add(who + ": event " + e.eventId() + " (" + e.type() + ") not booked: " + e.message()));
        }
        for (EndpointCheck check : report.endpoints()) {
            if (check.problem() || check.status() == SweepReport.EndpointStatus.FAILED) {
                problems.add(String.join(", ", check.agreementIds()) + ": " + check.detail());
            }
        }
        return problems;
    }

    /** The sweep could sweep nothing: Lambda retries the invocation, then leaves it in the on-failure queue. */
    public static final class SweepFailedException extends RuntimeException {
        public SweepFailedException(SweepReport report) {
            super((report.problem() != null ? report.headline()
                    : report.headline() + "; nothing could be swept: " + problems(report).stream().limit(ANSWER_PROBLEMS).toList())
                    + ". Fix the cause (the table, the Stripe API keys in SSM, Stripe's status), then invoke the function "
                    + "again: nothing is booked twice");
        }
    }
}
