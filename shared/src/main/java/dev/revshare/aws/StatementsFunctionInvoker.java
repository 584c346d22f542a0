package dev.revshare.aws;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Runs the deployed statements function now, as the schedule does, and waits for its answer: the event
 * is the one EventBridge Scheduler sends, with {@code detail.period} and {@code detail.agreementId} to
 * close one month or one agreement (events/monthly-statements/rerun-period.json). The function queues the
 * agreements due and answers how many ({@code queued}); the stack's worker closes and sends them after.
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

    /**
     * What the answer means for a person: how many agreements were queued and where to follow them, or empty when
     * the answer says nothing of a queue.
     */
    public static Optional<String> queuedSentence(String answer) {
        JsonNode queued;
        try {
            queued = Json.read(answer, JsonNode.class).path("queued");
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
        if (!queued.isInt()) {
            return Optional.empty();
        }
        int count = queued.asInt();
        return Optional.of(count == 0 ? "Nothing is due: no agreement was queued."
                : count + (count == 1 ? " agreement was" : " agreements were") + " queued for closing: the stack's "
                        + "StatementWorkerFunction closes and sends them now (its log has a line for each agreement; "
                        + "`statements show` tells how each went).");
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
