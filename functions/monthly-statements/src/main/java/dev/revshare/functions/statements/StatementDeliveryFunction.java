package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.statements.DeliveryReports;
import java.util.Map;

/**
 * Invoked by an EventBridge rule on the default bus with what SES reports about a statement email ("Email
 * Delivered", "Email Bounced", "Email Complaint Received", sent through the stack's configuration set): notes
 * it on the statement. aws-lambda-java-events' ScheduledEvent is its class for any EventBridge event: the
 * envelope with {@code detail} as a map. A store failure is thrown: Lambda retries the invocation twice, then
 * leaves it in the on-failure queue (template.yaml: EventInvokeConfig).
 */
public final class StatementDeliveryFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final DeliveryReports reports;
    private final Telemetry telemetry;

    /** Production wiring from the environment template.yaml sets; Powertools' JSON log lines with the request id. */
    public StatementDeliveryFunction() {
        this(new DeliveryReports(DynamoDbStores.over(AwsClients.inLambda()::dynamoDb,
                Environment.require("TABLE_NAME")).statements()), PowertoolsTelemetry.fromEnvironment());
    }

    /** The tests': plain log lines. */
    public StatementDeliveryFunction(DeliveryReports reports) {
        this(reports, Telemetry.LOGS_ONLY);
    }

    public StatementDeliveryFunction(DeliveryReports reports, Telemetry telemetry) {
        this.reports = reports;
        this.telemetry = telemetry;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return telemetry.invocation(context, () -> {
            Map<String, Object> detail = event.getDetail() == null ? Map.of() : event.getDetail();
            return Map.of("noted", reports.record(event.getId(), detail).name());
        });
    }
}
