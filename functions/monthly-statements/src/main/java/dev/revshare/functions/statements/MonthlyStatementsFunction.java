package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.SqsClosingQueue;
import dev.revshare.statements.ClosingDispatch;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.RunSummary;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invoked by EventBridge Scheduler with a "Scheduled Event". On the deployed stack it finds every agreement with a
 * month to close before the event's time and queues one message each (RECONCILE_QUEUE_URL): the reconcile worker
 * reconciles its months with Stripe and forwards it to the statements queue, which {@link StatementWorkerFunction}
 * closes; it sends nothing itself, and fails only when some agreement could not be
 * queued (Lambda retries the invocation twice, then leaves it in the on-failure queue: template.yaml's
 * EventInvokeConfig). The command line's wiring closes them here instead, one after the other, and fails when any
 * statement failed. {@code detail.period} ("2026-10") re-runs one month and {@code detail.agreementId} limits the
 * run to one agreement.
 */
public final class MonthlyStatementsFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    /** How many of the jobs queued the answer lists. */
    static final int ANSWER_JOBS = 100;
    private final MonthlyStatementRun run;
    /** Null in the command line's wiring, which closes every agreement in this process. */
    private final ClosingDispatch dispatch;
    private final Clock clock;
    private final Telemetry telemetry;

    /** Production wiring from the environment template.yaml sets: queues the agreements due; Powertools' logs and metrics. */
    public MonthlyStatementsFunction() {
        this(productionDispatch(), Clock.systemUTC(), PowertoolsTelemetry.fromEnvironment());
    }

    /** The command line's: closes everything due in this process; plain log lines, no metrics. */
    public MonthlyStatementsFunction(MonthlyStatementRun run, Clock clock) {
        this(run, clock, Telemetry.LOGS_ONLY);
    }

    /** Closes everything due in this process. */
    public MonthlyStatementsFunction(MonthlyStatementRun run, Clock clock, Telemetry telemetry) {
        this.run = run;
        this.dispatch = null;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /** Queues one closing job per agreement due, for the worker. */
    public MonthlyStatementsFunction(ClosingDispatch dispatch, Clock clock, Telemetry telemetry) {
        this.run = null;
        this.dispatch = dispatch;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    private static ClosingDispatch productionDispatch() {
        // no client is built here: each on its first use, after a SnapStart restore
        AwsClients aws = AwsClients.inLambda();
        DynamoDbStores stores = DynamoDbStores.over(aws::dynamoDb, Environment.require("TABLE_NAME"));
        // finding what is due reads agreements and statement headers only: the worker sends and announces
        StatementMailer sendsNothing = email -> {
            throw new IllegalStateException("the scheduled function queues statements; StatementWorkerFunction sends them");
        };
        StatementPublisher announcesNothing = (statement, messageId) -> {
            throw new IllegalStateException("the scheduled function queues statements; StatementWorkerFunction announces them");
        };
        MonthlyStatementRun due = new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                sendsNothing, announcesNothing, "unused@revshare.invalid", Clock.systemUTC(), Environment.statementGrace());
        return new ClosingDispatch(due, new SqsClosingQueue(aws::sqs, Environment.require("RECONCILE_QUEUE_URL")));
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, () -> dispatch != null ? queue(event) : runHere(event));
    }

    private Map<String, Object> queue(ScheduledEvent event) {
        Map<String, Object> detail = detail(event);
        List<ClosingJob> queued = dispatch.dispatch(scheduledAt(event), period(detail.get("period")),
                text(detail.get("agreementId")));
        telemetry.queued(queued.size());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("summary", queued.size() + " agreements queued for closing");
        answer.put("queued", queued.size());
        // the first ones only: an answer stays far below Lambda's 6 MB however many agreements close on the day
        answer.put("jobs", queued.subList(0, Math.min(queued.size(), ANSWER_JOBS)));
        return answer;
    }

    private Map<String, Object> runHere(ScheduledEvent event) {
        Map<String, Object> detail = detail(event);
        RunSummary summary = run.run(scheduledAt(event), period(detail.get("period")), text(detail.get("agreementId")));
        telemetry.run(summary);
        if (summary.count(RunSummary.Outcome.FAILED) > 0) {
            throw new StatementRunFailedException(summary);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("summary", summary.headline());
        answer.put("results", summary.results());
        return answer;
    }

    private Instant scheduledAt(ScheduledEvent event) {
        return event.getTime() == null ? clock.instant() : Instant.ofEpochMilli(event.getTime().getMillis());
    }

    private static Map<String, Object> detail(ScheduledEvent event) {
        return event.getDetail() == null ? Map.of() : event.getDetail();
    }

    private static YearMonth period(Object value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("detail.period must be a month as YYYY-MM, was '" + text + "'");
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** Some agreement's statement failed; the others went out. The message lists which. */
    public static final class StatementRunFailedException extends RuntimeException {
        public StatementRunFailedException(RunSummary summary) {
            super(summary.headline() + ": " + summary.results().stream()
                    .filter(r -> r.outcome() == RunSummary.Outcome.FAILED)
                    .map(r -> r.agreementId() + " " + r.period() + ": " + r.message()).toList());
        }
    }
}
