package dev.revshare.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.functions.reconcile.DeliverySweepFunction;
import dev.revshare.json.Json;
import dev.revshare.page.PageTokens;
import dev.revshare.page.PartyPage;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.DeliveryReports;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeTransfers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Runs one function on one event file, as {@code sam local invoke} would, without Docker. */
@Command(name = "invoke", mixinStandardHelpOptions = true, description = "Invoke one of template.yaml's functions "
        + "locally with an event file (see events/): StripeWebhookFunction, PartyPageFunction, StripeEventBridgeFunction, "
        + "MonthlyStatementsFunction, ReconcileWorkerFunction, DeliverySweepFunction, StatementWorkerFunction, "
        + "StatementDeliveryFunction or AutomaticPayoutFunction. Every one works on the same local store, kept under "
        + "--data between calls. Locally MonthlyStatementsFunction closes what is due itself (there is no queue), and "
        + "ReconcileWorkerFunction prints the closing job it would queue for StatementWorkerFunction; Stripe is read "
        + "with STRIPE_API_KEY (and STRIPE_API_BASE) by the webhooks, the reconciliation and DeliverySweepFunction (which "
        + "checks the endpoints under WEBHOOK_URL when it is set); AutomaticPayoutFunction pays with STRIPE_PAYOUT_KEY "
        + "(and STRIPE_API_BASE).")
final class InvokeCommand implements Callable<Integer> {
    /** How one function runs here, on the local store. */
    interface Invocation {
        int invoke(InvokeCommand command, LocalRuntime local, String event);
    }

    /** template.yaml's functions, in its order, each as it runs here. */
    static final Map<String, Invocation> FUNCTIONS = functions();

    /** The headers the page's answer is read by, printed before its body (the security headers are on every answer). */
    private static final List<String> PAGE_HEADERS = List.of("Content-Type", "Location", "Content-Disposition",
            "Retry-After", "Allow");

    @ParentCommand
    RevshareCommand root;

    @Parameters(paramLabel = "FUNCTION", description = "The function's name in template.yaml: StripeWebhookFunction, "
            + "PartyPageFunction, StripeEventBridgeFunction, MonthlyStatementsFunction, ReconcileWorkerFunction, "
            + "DeliverySweepFunction, StatementWorkerFunction, StatementDeliveryFunction or AutomaticPayoutFunction")
    String function;

    @Option(names = "--event", required = true, paramLabel = "FILE.json", description = "The Lambda input event.")
    Path event;

    @Option(names = "--sign", description = "StripeWebhookFunction: sign the body now with STRIPE_WEBHOOK_SECRET, as "
            + "Stripe would (event files carry a signature that has expired).")
    boolean sign;

    @Option(names = "--party", paramLabel = "expert|partner", description = "PartyPageFunction, with --agreement: open "
            + "the page with a link signed now for this party with the local store's page secret (the event's own link "
            + "was signed with another secret, and is refused with 403); a form posted is re-signed too.")
    String party;

    @Option(names = "--agreement", paramLabel = "ID", description = "PartyPageFunction, with --party: whose page.")
    String agreementId;

    @Option(names = "--message-id", paramLabel = "ID", description = "StatementDeliveryFunction: note the SES report "
            + "on the statement that went out as this message (`revshare statements show` prints it) instead of the "
            + "SES message id in the event file, which no local statement has.")
    String messageId;

    private final Clock clock = Clock.systemUTC();

    private static Map<String, Invocation> functions() {
        Map<String, Invocation> functions = new LinkedHashMap<>();
        functions.put("StripeWebhookFunction", InvokeCommand::stripeWebhook);
        functions.put("PartyPageFunction", InvokeCommand::partyPage);
        functions.put("StripeEventBridgeFunction", InvokeCommand::stripeEventBridge);
        functions.put("MonthlyStatementsFunction", InvokeCommand::monthlyStatements);
        functions.put("ReconcileWorkerFunction", InvokeCommand::reconcileWorker);
        functions.put("DeliverySweepFunction", InvokeCommand::deliverySweep);
        functions.put("StatementWorkerFunction", InvokeCommand::statementWorker);
        functions.put("StatementDeliveryFunction", InvokeCommand::statementDelivery);
        functions.put("AutomaticPayoutFunction", InvokeCommand::automaticPayout);
        return Collections.unmodifiableMap(functions);
    }

    @Override
    public Integer call() {
        Invocation invocation = FUNCTIONS.get(function);
        if (invocation == null) {
            throw new RevshareCommand.UserError("unknown function '" + function + "': use " + names()
                    + " (the names in template.yaml)");
        }
        Path data = root.localOnly("invoke");
        checkOptions();
        String json = AgreementsCommand.read(event);
        try (LocalRuntime local = LocalRuntime.persistent(data, clock)) {
            return invocation.invoke(this, local, json);
        }
    }

    /** "A, B or C": every function invoke runs. */
    static String names() {
        List<String> names = new ArrayList<>(FUNCTIONS.keySet());
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** Options given for another function, and what a function needs from the environment, refused before anything runs. */
    private void checkOptions() {
        onlyFor("--sign", sign, "StripeWebhookFunction");
        onlyFor("--party", party != null, "PartyPageFunction");
        onlyFor("--agreement", agreementId != null, "PartyPageFunction");
        onlyFor("--message-id", messageId != null, "StatementDeliveryFunction");
        if ((party == null) != (agreementId == null)) {
            throw new RevshareCommand.UserError("--party and --agreement go together: the party (expert or partner) and "
                    + "the agreement whose page to open with a link signed now");
        }
        if (party != null) {
            Side.parse(party);
        }
        if (function.equals("StripeWebhookFunction") && blank(System.getenv("STRIPE_WEBHOOK_SECRET"))) {
            throw new RevshareCommand.UserError("set STRIPE_WEBHOOK_SECRET to the webhook signing secret "
                    + "(events/ files are signed with whsec_revshare_local_test)");
        }
        if (function.equals("AutomaticPayoutFunction") && blank(System.getenv("STRIPE_PAYOUT_KEY"))) {
            throw new RevshareCommand.UserError("set STRIPE_PAYOUT_KEY to the Connect platform's secret key (or a "
                    + "restricted key that may write Transfers), and STRIPE_API_BASE for stripe-mock or another endpoint: "
                    + "AutomaticPayoutFunction pays by Stripe transfer. Nothing was paid.");
        }
    }

    private void onlyFor(String option, boolean given, String owner) {
        if (given && !function.equals(owner)) {
            throw new RevshareCommand.UserError(option + " is for " + owner + ", not " + function);
        }
    }

    private int stripeWebhook(LocalRuntime local, String json) {
        String secret = System.getenv("STRIPE_WEBHOOK_SECRET");
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

    /** The page's answer as the browser would get it: status, the headers it is read by, then the body. */
    private int partyPage(LocalRuntime local, String json) {
        APIGatewayV2HTTPEvent request = deserialize(json, APIGatewayV2HTTPEvent.class);
        if (party != null) {
            Agreement agreement = local.store().agreements().find(agreementId).orElseThrow(() ->
                    new RevshareCommand.UserError("no agreement with id " + agreementId + " in " + local.where()));
            PageTokens tokens = new PageTokens(local.pageSecret(), clock);
            String token = tokens.sign(agreement.id(), Side.parse(party), clock.instant(),
                    PageTokens.validity(agreement.objectionWindowDays()));
            withLink(request, token, tokens.formToken(token));
        }
        APIGatewayV2HTTPResponse response = local.partyPageFunction().handleRequest(request, null);
        System.out.println(response.getStatusCode());
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        for (String name : PAGE_HEADERS) {
            headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).findFirst()
                    .ifPresent(h -> System.out.println(h.getKey() + ": " + h.getValue()));
        }
        System.out.println();
        String body = response.getBody() == null ? "" : response.getBody();
        System.out.println(response.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body);
        return response.getStatusCode() < 400 ? 0 : 1;
    }

    /**
     * The event's link replaced by one signed now (the rest of its path kept: a download, a form's action), and a posted
     * form's {@code csrf} by the one that link's page would carry.
     */
    private static void withLink(APIGatewayV2HTTPEvent request, String token, String formToken) {
        String path = request.getRawPath() == null ? "" : request.getRawPath();
        String rest = "";
        if (path.startsWith(PartyPage.PREFIX)) {
            int slash = path.indexOf('/', PartyPage.PREFIX.length());
            rest = slash < 0 ? "" : path.substring(slash);
        }
        String signed = PartyPage.PREFIX + token + rest;
        request.setRawPath(signed);
        if (request.getRequestContext() != null && request.getRequestContext().getHttp() != null) {
            request.getRequestContext().getHttp().setPath(signed);
        }
        String body = request.getBody();
        if (body != null) {
            boolean encoded = request.getIsBase64Encoded();
            String form = encoded ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
            String resigned = form.replaceAll("(^|&)csrf=[^&]*", "$1csrf=" + Matcher.quoteReplacement(formToken));
            request.setBody(encoded ? Base64.getEncoder().encodeToString(resigned.getBytes(StandardCharsets.UTF_8)) : resigned);
        }
    }

    private int stripeEventBridge(LocalRuntime local, String json) {
        ScheduledEvent delivered = deserialize(json, ScheduledEvent.class);
        Map<String, String> answer;
        try {
            answer = local.stripeEventBridgeFunction().handleRequest(delivered, null);
        } catch (IllegalStateException e) {
            // on the stack the invocation fails and Lambda retries it; here, whoever invoked it does
            System.err.println("revshare: " + e.getMessage() + "; here, invoke it again (nothing is booked twice)");
            return SweepCommand.FAILED;
        }
        System.out.println(Json.writePretty(answer));
        return 0;
    }

    private int monthlyStatements(LocalRuntime local, String json) {
        ScheduledEvent scheduled = deserialize(json, ScheduledEvent.class);
        Map<String, Object> answer = local.statementsFunction().handleRequest(scheduled, null);
        System.out.println(Json.writePretty(answer));
        System.out.println("outbox: " + local.outbox);
        return 0;
    }

    /** Reconciles each job's months; what the stack would queue for StatementWorkerFunction is printed (no queue here). */
    private int reconcileWorker(LocalRuntime local, String json) {
        SQSEvent messages = deserialize(json, SQSEvent.class);
        List<ClosingJob> forwarded = new ArrayList<>();
        SQSBatchResponse answer = local.reconcileWorkerFunction(forwarded::addAll).handleRequest(messages, null);
        System.out.println(Json.writePretty(answer));
        for (ClosingJob job : forwarded) {
            System.out.println("for StatementWorkerFunction (no queue here: invoke it with this message body, as in "
                    + "events/statement-worker/closing-job.json): " + Json.write(job));
        }
        return answer.getBatchItemFailures().isEmpty() ? 0 : 1;
    }

    private int deliverySweep(LocalRuntime local, String json) {
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

    private int statementWorker(LocalRuntime local, String json) {
        SQSEvent messages = deserialize(json, SQSEvent.class);
        SQSBatchResponse answer = local.statementWorkerFunction().handleRequest(messages, null);
        System.out.println(Json.writePretty(answer));
        System.out.println("outbox: " + local.outbox);
        return answer.getBatchItemFailures().isEmpty() ? 0 : 1;
    }

    private int statementDelivery(LocalRuntime local, String json) {
        ScheduledEvent report = deserialize(json, ScheduledEvent.class);
        if (messageId != null) {
            report.setDetail(withMessageId(report.getDetail(), messageId));
        }
        Map<String, Object> answer = local.statementDeliveryFunction().handleRequest(report, null);
        System.out.println(Json.writePretty(answer));
        if (DeliveryReports.Noted.UNKNOWN_MESSAGE.name().equals(answer.get("noted"))) {
            System.err.println("revshare: no statement went out here as the event's message; pass the message id "
                    + "`revshare statements show` prints for the statement with --message-id");
            return 1;
        }
        return 0;
    }

    /** The SES event record with {@code mail.messageId} replaced; a record without {@code mail} is left for the function to refuse. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withMessageId(Map<String, Object> detail, String messageId) {
        if (detail == null || !(detail.get("mail") instanceof Map<?, ?> mail)) {
            return detail;
        }
        Map<String, Object> replaced = new LinkedHashMap<>(detail);
        Map<String, Object> withId = new LinkedHashMap<>((Map<String, Object>) mail);
        withId.put("messageId", messageId);
        replaced.put("mail", withId);
        return replaced;
    }

    private int automaticPayout(LocalRuntime local, String json) {
        ScheduledEvent issued = deserialize(json, ScheduledEvent.class);
        Map<String, Object> answer;
        try {
            answer = local.automaticPayoutFunction().handleRequest(issued, null);
        } catch (StripeTransfers.NotAnswered e) {
            // on the stack Lambda asks again; here, as `payouts pay` says it
            System.err.println("revshare: " + e.getMessage() + ". The transfer is recorded as submitted: invoke it again "
                    + "(it asks Stripe under the same idempotency key, so it is never paid twice).");
            return SweepCommand.FAILED;
        }
        System.out.println(Json.writePretty(answer));
        return List.of("not-made", "refused").contains(String.valueOf(answer.get("outcome"))) ? 1 : 0;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Reads the event with the Lambda runtime's own serializer, as the java21 runtime does. */
    static <T> T deserialize(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, InvokeCommand.class.getClassLoader());
        return serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
