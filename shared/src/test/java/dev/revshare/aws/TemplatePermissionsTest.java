package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.revshare.ingest.EventRouter;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.page.PartyPage;
import dev.revshare.reconcile.ClosingReconciliation;
import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.reconcile.Reconciliation;
import dev.revshare.statements.ClosingDispatch;
import dev.revshare.statements.DeliveryReports;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.PacedMailer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Each function may do to the table and the queues exactly what its code does: the DynamoDB and SQS actions in
 * template.yaml are compared with the operations reachable, in the compiled classes, from what the function's
 * handler calls. A new DynamoDB or SQS call on a function's path fails this test until the template grants it; a
 * grant no code path needs fails it too, as does any wildcard action. (A worker's reading of its SQS event source
 * is Lambda's, granted by SAM's poller policy: no code of ours issues it.)
 */
class TemplatePermissionsTest {

    /**
     * What each handler (functions/, built after this module) calls into this library: its production wiring
     * and the one method it hands each event to. Keep in step with the handlers' source.
     */
    private static final Map<String, List<Entry>> HANDLER_ENTRIES = Map.of(
            "PartyPageFunction", List.of(
                    new Entry(PageWiring.class, "partyPage"), new Entry(PartyPage.class, "handle")),
            "ReconcileWorkerFunction", List.of(
                    new Entry(DynamoDbStores.class, "over"), new Entry(Reconciliation.class, "withStripeApi"),
                    new Entry(MonthlyStatementRun.class, "<init>"), new Entry(ClosingReconciliation.class, "<init>"),
                    new Entry(SqsClosingQueue.class, "<init>"), new Entry(ClosingReconciliation.class, "checked"),
                    new Entry(SqsClosingQueue.class, "enqueue")),
            "AutomaticPayoutFunction", List.of(
                    new Entry(SsmPartnerPayouts.class, "fromEnvironment"), new Entry(SsmPartnerPayouts.class, "payouts"),
                    new Entry(PartnerPayouts.class, "payIfAutomatic")),
            "DeliverySweepFunction", List.of(
                    new Entry(DynamoDbStores.class, "over"), new Entry(DeliverySweep.class, "withStripeApi"),
                    new Entry(DeliverySweep.class, "sweep")),
            "StripeWebhookFunction", List.of(
                    new Entry(IngestionWiring.class, "webhook"), new Entry(StripeWebhook.class, "receive")),
            "StripeEventBridgeFunction", List.of(
                    new Entry(IngestionWiring.class, "router"), new Entry(EventRouter.class, "receiveTrusted")),
            "MonthlyStatementsFunction", List.of(
                    new Entry(DynamoDbStores.class, "over"), new Entry(MonthlyStatementRun.class, "<init>"),
                    new Entry(SqsClosingQueue.class, "<init>"), new Entry(ClosingDispatch.class, "<init>"),
                    new Entry(ClosingDispatch.class, "dispatch")),
            "StatementWorkerFunction", List.of(
                    new Entry(DynamoDbStores.class, "over"), new Entry(MonthlyStatementRun.class, "<init>"),
                    new Entry(PacedMailer.class, "<init>"), new Entry(PageWiring.class, "statementLinks"),
                    new Entry(PageWiring.class, "adjustments"), new Entry(MonthlyStatementRun.class, "close")),
            "StatementDeliveryFunction", List.of(
                    new Entry(DynamoDbStores.class, "over"), new Entry(DeliveryReports.class, "<init>"),
                    new Entry(DeliveryReports.class, "record")));

    /** The SDK's DynamoDbClient methods, by the IAM action each needs (transactWriteItems: see its items). */
    private static final Map<String, String> DYNAMODB_METHOD_ACTIONS = Map.ofEntries(
            Map.entry("batchGetItem", "dynamodb:BatchGetItem"), Map.entry("batchGetItemPaginator", "dynamodb:BatchGetItem"),
            Map.entry("batchWriteItem", "dynamodb:BatchWriteItem"), Map.entry("getItem", "dynamodb:GetItem"),
            Map.entry("putItem", "dynamodb:PutItem"), Map.entry("updateItem", "dynamodb:UpdateItem"),
            Map.entry("deleteItem", "dynamodb:DeleteItem"), Map.entry("query", "dynamodb:Query"),
            Map.entry("queryPaginator", "dynamodb:Query"), Map.entry("scan", "dynamodb:Scan"),
            Map.entry("scanPaginator", "dynamodb:Scan"), Map.entry("transactGetItems", "dynamodb:GetItem"),
            Map.entry("createTable", "dynamodb:CreateTable"), Map.entry("describeTable", "dynamodb:DescribeTable"));
    /** The SDK's SqsClient methods, by the IAM action each needs (a batch needs its single message's action). */
    private static final Map<String, String> SQS_METHOD_ACTIONS = Map.of(
            "sendMessage", "sqs:SendMessage", "sendMessageBatch", "sqs:SendMessage",
            "receiveMessage", "sqs:ReceiveMessage", "deleteMessage", "sqs:DeleteMessage",
            "deleteMessageBatch", "sqs:DeleteMessage", "changeMessageVisibility", "sqs:ChangeMessageVisibility",
            "getQueueUrl", "sqs:GetQueueUrl", "getQueueAttributes", "sqs:GetQueueAttributes");
    /** The clients whose calls are checked, by class name. */
    private static final Map<String, Map<String, String>> CLIENT_METHOD_ACTIONS = Map.of(
            DynamoDbClient.class.getName(), DYNAMODB_METHOD_ACTIONS, SqsClient.class.getName(), SQS_METHOD_ACTIONS);
    /** Client methods that send no request (building, closing the client). */
    private static final Set<String> NOT_REQUESTS = Set.of("builder", "create", "close", "serviceName",
            "serviceClientConfiguration", "waiter");
    /**
     * A transaction needs the actions of its items (AWS: "Using IAM with DynamoDB transactions"; there is no
     * dynamodb:TransactWriteItems action): Put, Update and Delete as PutItem, UpdateItem and DeleteItem, a
     * ConditionCheck as dynamodb:ConditionCheckItem.
     */
    private static final Map<String, String> TRANSACTION_ITEM_ACTIONS = Map.of(
            "put", "dynamodb:PutItem", "update", "dynamodb:UpdateItem", "delete", "dynamodb:DeleteItem",
            "conditionCheck", "dynamodb:ConditionCheckItem");

    private static JavaClasses classes;
    private static JsonNode resources;

    @BeforeAll
    static void importClassesAndTemplate() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.revshare");
        resources = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../template.yaml").toFile()).path("Resources");
    }

    @Test
    void eachFunctionMayDoToTheTableExactlyWhatItsCodeDoes() {
        Map<String, Set<String>> granted = new TreeMap<>();
        Map<String, Set<String>> needed = new TreeMap<>();
        HANDLER_ENTRIES.forEach((function, entries) -> {
            granted.put(function, checkedActions(function));
            needed.put(function, actionsReachableFrom(entries));
        });

        assertThat(granted).isEqualTo(needed);
        assertThat(needed.get("StripeWebhookFunction")).as("the derivation finds the booking transaction")
                .contains("dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem")
                .doesNotContain("dynamodb:UpdateItem", "dynamodb:Scan");
        // a statement's leftover line chunks (a run stopped half-way, the loser of two runs) are deleted
        assertThat(needed.get("StatementWorkerFunction")).as("the derivation finds the statement moves")
                .contains("dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:DeleteItem")
                .doesNotContain("dynamodb:BatchGetItem", "dynamodb:Scan", "sqs:SendMessage");
        // the daily run reads what is due and queues it; the one thing it writes is the note of its look for late lines
        assertThat(needed.get("MonthlyStatementsFunction")).as("the derivation finds the queueing")
                .containsExactly("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "sqs:SendMessage");
        // the sweep books through the webhook's path: the same actions, and never a statement's or a queue's
        assertThat(needed.get("DeliverySweepFunction")).as("the derivation finds the sweep's bookings")
                .isEqualTo(needed.get("StripeWebhookFunction"));
    }

    @Test
    void everyFunctionIsCoveredAndNoneGrantsWildcardsOrDynamoDbPolicyTemplates() {
        List<String> functions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        resources.fields().forEachRemaining(resource -> {
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                return;
            }
            functions.add(resource.getKey());
            for (JsonNode policy : resource.getValue().path("Properties").path("Policies")) {
                policy.fieldNames().forEachRemaining(name -> {
                    if (name.startsWith("DynamoDB")) {
                        problems.add(resource.getKey() + ": policy template " + name + " (grant the actions one by one)");
                    }
                });
                for (JsonNode statement : policy.path("Statement")) {
                    for (String action : actions(statement)) {
                        if (action.contains("*")) {
                            problems.add(resource.getKey() + ": wildcard action " + action);
                        }
                    }
                    if (actions(statement).stream().anyMatch(a -> a.startsWith("sqs:"))
                            && !statement.path("Resource").asText().endsWith("Queue.Arn")) {
                        problems.add(resource.getKey() + ": SQS actions on " + statement.path("Resource")
                                + " rather than one of the stack's queues");
                    }
                    if (actions(statement).stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
                        if (!"RevshareTable.Arn".equals(statement.path("Resource").asText())) {
                            problems.add(resource.getKey() + ": DynamoDB actions on " + statement.path("Resource")
                                    + " rather than the table alone (the code queries no index)");
                        }
                    }
                }
            }
        });

        assertThat(functions).containsExactlyInAnyOrderElementsOf(HANDLER_ENTRIES.keySet());
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------ the template

    /** The DynamoDB and SQS actions the function's policies grant. */
    private static Set<String> checkedActions(String function) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : resources.path(function).path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                actions.addAll(actions(statement).stream()
                        .filter(a -> a.startsWith("dynamodb:") || a.startsWith("sqs:")).toList());
            }
        }
        return actions;
    }

    private static List<String> actions(JsonNode statement) {
        JsonNode action = statement.path("Action");
        if (action.isTextual()) {
            return List.of(action.asText());
        }
        List<String> all = new ArrayList<>();
        action.forEach(a -> all.add(a.asText()));
        return all;
    }

    // ------------------------------------------------------------------ the code

    /**
     * Walks the calls from the entries through revshare's classes: a call to an interface or an overridable
     * method reaches every implementation among them (over-approximating, never missing one); a lambda's body
     * counts as its declaring method's (ArchUnit attributes it so). Collects the DynamoDbClient calls met,
     * and the kinds of TransactWriteItem built.
     */
    private static Set<String> actionsReachableFrom(List<Entry> entries) {
        Deque<JavaCodeUnit> toVisit = new ArrayDeque<>();
        for (Entry entry : entries) {
            List<JavaCodeUnit> units = classes.get(entry.owner()).getCodeUnits().stream()
                    .filter(unit -> unit.getName().equals(entry.method())).toList();
            assertThat(units).as("%s.%s", entry.owner().getSimpleName(), entry.method()).isNotEmpty();
            toVisit.addAll(units);
        }
        Set<JavaCodeUnit> visited = new HashSet<>();
        Set<String> clientCalls = new TreeSet<>();
        Set<String> transactionItems = new TreeSet<>();
        while (!toVisit.isEmpty()) {
            JavaCodeUnit unit = toVisit.pop();
            if (!visited.add(unit)) {
                continue;
            }
            accessesOf(unit).forEach(access -> {
                AccessTarget target = access.getTarget();
                String owner = target.getOwner().getName();
                if (CLIENT_METHOD_ACTIONS.containsKey(owner) && !NOT_REQUESTS.contains(target.getName())) {
                    clientCalls.add(owner + "#" + target.getName());
                } else if (CLIENT_METHOD_ACTIONS.containsKey(owner)) {
                    return;
                } else if (owner.equals(TransactWriteItem.Builder.class.getName())
                        && TRANSACTION_ITEM_ACTIONS.containsKey(target.getName())) {
                    transactionItems.add(target.getName());
                } else if (owner.startsWith("dev.revshare.")) {
                    toVisit.addAll(implementations(target));
                }
            });
        }
        Set<String> actions = new TreeSet<>();
        for (String call : clientCalls) {
            String client = call.substring(0, call.indexOf('#'));
            String method = call.substring(call.indexOf('#') + 1);
            if (method.equals("transactWriteItems")) {
                assertThat(transactionItems).as("items of a transaction on the path").isNotEmpty();
                transactionItems.forEach(item -> actions.add(TRANSACTION_ITEM_ACTIONS.get(item)));
            } else {
                Map<String, String> methods = CLIENT_METHOD_ACTIONS.get(client);
                assertThat(methods).as("%s needs an IAM action in this test's map", call).containsKey(method);
                actions.add(methods.get(method));
            }
        }
        return actions;
    }

    private static Stream<? extends JavaAccess<?>> accessesOf(JavaCodeUnit unit) {
        return Stream.of(unit.getMethodCallsFromSelf(), unit.getConstructorCallsFromSelf(),
                unit.getMethodReferencesFromSelf(), unit.getConstructorReferencesFromSelf()).flatMap(Set::stream);
    }

    /** The code the call may run: the resolved member, and its overrides in every subclass or implementation. */
    private static Set<JavaCodeUnit> implementations(AccessTarget target) {
        Set<JavaCodeUnit> units = new HashSet<>();
        if (!(target instanceof AccessTarget.CodeUnitAccessTarget codeUnit)) {
            return units;
        }
        String[] parameters = codeUnit.getRawParameterTypes().stream().map(JavaClass::getName).toArray(String[]::new);
        JavaClass owner = target.getOwner();
        Set<JavaClass> candidates = new HashSet<>(owner.getAllSubclasses());
        candidates.add(owner);
        candidates.addAll(owner.getAllRawSuperclasses()); // an inherited method called on the subclass
        for (JavaClass candidate : candidates) {
            if (!candidate.getName().startsWith("dev.revshare.")) {
                continue;
            }
            candidate.getCodeUnits().stream()
                    .filter(unit -> unit.getName().equals(target.getName()))
                    .filter(unit -> unit.getRawParameterTypes().stream().map(JavaClass::getName).toList()
                            .equals(List.of(parameters)))
                    .forEach(units::add);
        }
        return units;
    }

    private record Entry(Class<?> owner, String method) {}
}
