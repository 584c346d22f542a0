package dev.revshare.aws;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.revshare.json.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Runs the deployed statements function now, as the schedule does, and waits for its answer: the event
 * is the one EventBridge Scheduler sends, with {@code detail.period} and {@code detail.agreementId} to
 * close one month or one agreement (events/monthly-statements/rerun-period.json).
 */
public final class StatementsFunctionInvoker {
    private final LambdaClient lambda;
    private final String functionName;

    public StatementsFunctionInvoker(LambdaClient lambda, String functionName) {
        this.lambda = lambda;
        this.functionName = functionName;
    }

    /**
     * @return the function's answer (its run summary, as JSON)
     * @throws RunFailed when the function failed; the message is the function's error
     */
    public String run(Instant now, YearMonth period, String agreementId) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(functionName)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(SdkBytes.fromString(Json.write(event(now, period, agreementId)), StandardCharsets.UTF_8)));
        String answer = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new RunFailed("the statements function " + functionName + " failed (" + response.functionError() + "): "
                    + answer);
        }
        return answer;
    }

    /** The Scheduled Event the function reads (only the fields it uses, and those the runtime requires). */
    static Map<String, Object> event(Instant now, YearMonth period, String agreementId) {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (period != null) {
            detail.put("period", period.toString());
        }
        if (agreementId != null) {
            detail.put("agreementId", agreementId);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", "revshare-cli-" + now.toEpochMilli());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "revshare.cli");
        event.put("time", now.toString());
        event.put("resources", java.util.List.of());
        event.put("detail", detail);
        return event;
    }

    /** The deployed function answered with an error. */
    public static final class RunFailed extends RuntimeException {
        public RunFailed(String message) {
            super(message);
        }
    }
}
