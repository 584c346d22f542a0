package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.RunSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invoked by EventBridge Scheduler with a "Scheduled Event": closes the month before the event's time
 * for every agreement. {@code detail.period} ("2026-10") re-runs one month and {@code detail.agreementId}
 * limits the run to one agreement. Fails when any agreement failed: Lambda retries the invocation twice, then
 * leaves it in the on-failure queue (template.yaml: EventInvokeConfig).
 */
public final class MonthlyStatementsFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final MonthlyStatementRun run;
    private final Clock clock;
    private final Telemetry telemetry;

    /** Production wiring from the environment template.yaml sets, Powertools' logs and metrics. */
    public MonthlyStatementsFunction() {
        this(productionRun(), Clock.systemUTC(), PowertoolsTelemetry.fromEnvironment());
        StatementsPriming.register();
    }

    /** The command line's: plain log lines, no metrics. */
    public MonthlyStatementsFunction(MonthlyStatementRun run, Clock clock) {
        this(run, clock, Telemetry.LOGS_ONLY);
    }

    public MonthlyStatementsFunction(MonthlyStatementRun run, Clock clock, Telemetry telemetry) {
        this.run = run;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    private static MonthlyStatementRun productionRun() {
        // no client is built here: each on its first use, after a SnapStart restore
        AwsClients aws = AwsClients.inLambda();
        DynamoDbStores stores = DynamoDbStores.over(aws::dynamoDb, Environment.require("TABLE_NAME"));
        return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                new SesStatementMailer(aws::sesV2, Environment.require("SES_CONFIGURATION_SET")),
                new EventBridgeStatementPublisher(aws::eventBridge, Environment.require("EVENT_BUS_NAME")),
                Environment.require("STATEMENT_SENDER"), Clock.systemUTC(), Environment.statementGrace());
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, () -> runFor(event));
    }

    private Map<String, Object> runFor(ScheduledEvent event) {
        Instant scheduledAt = event.getTime() == null ? clock.instant() : Instant.ofEpochMilli(event.getTime().getMillis());
        Map<String, Object> detail = event.getDetail() == null ? Map.of() : event.getDetail();
        RunSummary summary = run.run(scheduledAt, period(detail.get("period")), text(detail.get("agreementId")));
        telemetry.run(summary);
        if (summary.count(RunSummary.Outcome.FAILED) > 0) {
            throw new StatementRunFailedException(summary);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("summary", summary.headline());
        answer.put("results", summary.results());
        return answer;
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
