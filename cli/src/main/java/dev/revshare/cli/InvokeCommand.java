package dev.revshare.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.revshare.functions.reconcile.DeliverySweepFunction;
import dev.revshare.functions.statements.StatementWorkerFunction;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Runs one function on one event file, as {@code sam local invoke} would, without Docker. */
@Command(name = "invoke", mixinStandardHelpOptions = true, description = "Invoke StripeWebhookFunction, MonthlyStatementsFunction, "
        + "StatementWorkerFunction or DeliverySweepFunction locally with an event file (see events/). The store is kept under "
        + "--data between calls. Locally MonthlyStatementsFunction closes what is due itself (there is no queue); "
        + "DeliverySweepFunction reads Stripe with STRIPE_API_KEY (and STRIPE_API_BASE), and checks the endpoints under "
        + "WEBHOOK_URL when it is set.")
final class InvokeCommand implements Callable<Integer> {
    @ParentCommand
    RevshareCommand root;

    @Parameters(paramLabel = "FUNCTION", description = "StripeWebhookFunction, MonthlyStatementsFunction, StatementWorkerFunction "
            + "or DeliverySweepFunction")
    String function;

    @Option(names = "--event", required = true, paramLabel = "FILE.json", description = "The Lambda input event.")
    Path event;

    @Option(names = "--sign", description = "StripeWebhookFunction: sign the body now with STRIPE_WEBHOOK_SECRET, as "
            + "Stripe would (event files carry a signature that has expired).")
    boolean sign;

    @Override
    public Integer call() {
        String json = AgreementsCommand.read(event);
        Clock clock = Clock.systemUTC();
        try (LocalRuntime local = LocalRuntime.persistent(root.localOnly("invoke"), clock)) {
            switch (function) {
                case "StripeWebhookFunction" -> {
                    String secret = System.getenv("STRIPE_WEBHOOK_SECRET");
                    if (secret == null || secret.isBlank()) {
                        throw new RevshareCommand.UserError("set STRIPE_WEBHOOK_SECRET to the webhook signing secret "
                                + "(events/ files are signed with whsec_revshare_local_test)");
                    }
                    APIGatewayV2HTTPEvent request = deserialize(json, APIGatewayV2HTTPEvent.class);
                    if (sign) {
                        Map<String, String> headers = new HashMap<>(request.getHeaders() == null ? Map.of() : request.getHeaders());
                        headers.put("stripe-signature", SampleStripeEvents.signatureHeader(request.getBody(), secret, clock.instant()));
                        request.setHeaders(headers);
                    }
                    APIGatewayV2HTTPResponse response = local.webhookFunction(() -> secret).handleRequest(request, null);
                    System.out.println(response.getStatusCode());
                    System.out.println(response.getBody());
                    return response.getStatusCode() / 100 == 2 ? 0 : 1;
                }
                case "MonthlyStatementsFunction" -> {
                    ScheduledEvent scheduled = deserialize(json, ScheduledEvent.class);
                    Map<String, Object> answer = local.statementsFunction().handleRequest(scheduled, null);
                    System.out.println(Json.writePretty(answer));
                    System.out.println("outbox: " + local.outbox);
                    return 0;
                }
                case "StatementWorkerFunction" -> {
                    SQSEvent messages = deserialize(json, SQSEvent.class);
                    SQSBatchResponse answer = new StatementWorkerFunction(local.statementRun()).handleRequest(messages, null);
                    System.out.println(Json.writePretty(answer));
                    System.out.println("outbox: " + local.outbox);
                    return answer.getBatchItemFailures().isEmpty() ? 0 : 1;
                }
                case "DeliverySweepFunction" -> {
                    ScheduledEvent scheduled = deserialize(json, ScheduledEvent.class);
                    Map<String, Object> answer;
                    try {
                        answer = local.deliverySweepFunction().handleRequest(scheduled, null);
                    } catch (DeliverySweepFunction.SweepFailedException e) {
                        // on the stack the invocation fails and Lambda retries it; here, said as `reconcile sweep` says it
                        System.err.println("revshare: " + e.getMessage());
                        return SweepCommand.FAILED;
                    }
                    System.out.println(Json.writePretty(answer));
                    if (((Number) answer.get("failures")).longValue() > 0) {
                        return SweepCommand.FAILED;
                    }
                    return ((Number) answer.get("endpointProblems")).longValue() > 0 ? SweepCommand.ENDPOINT_PROBLEM : 0;
                }
                default -> throw new RevshareCommand.UserError("unknown function '" + function
                        + "': use StripeWebhookFunction, MonthlyStatementsFunction, StatementWorkerFunction or "
                        + "DeliverySweepFunction (the names in template.yaml)");
            }
        }
    }

    /** Reads the event with the Lambda runtime's own serializer, as the java21 runtime does. */
    static <T> T deserialize(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, InvokeCommand.class.getClassLoader());
        return serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
