package dev.revshare.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A DynamoDbClient that passes every call on to another one and notes in the current {@link Tally}, per
 * kind of call, how many were made and how long they took, and keeps the TransactWriteItemsRequests so
 * that the bare side of the benchmark can replay exactly what the store wrote. Both sides of the benchmark
 * go through it, so its few nanoseconds per call count on both.
 *
 * <p>A decorating proxy rather than an SDK ExecutionInterceptor: DynamoDB Local's in-process client is
 * not built by the SDK, so it has no interceptor chain. The SDK's convenience overloads (taking a
 * {@code Consumer} of a request builder) are run as the interface defines them, so they come back here
 * with the built request.
 */
final class RecordingDynamoDb implements InvocationHandler {
    private final DynamoDbClient target;
    private final DynamoDbClient client;
    private Tally tally;

    private RecordingDynamoDb(DynamoDbClient target) {
        this.target = target;
        this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, this);
    }

    static RecordingDynamoDb around(DynamoDbClient target) {
        return new RecordingDynamoDb(target);
    }

    /** The client to hand to the store and to the bare side. */
    DynamoDbClient client() {
        return client;
    }

    /** Notes the calls from now on in {@code tally}; null notes nothing. */
    void recordInto(Tally tally) {
        this.tally = tally;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (args != null && args.length == 1 && args[0] instanceof DynamoDbRequest request) {
            Tally noting = tally;
            if (noting == null) {
                return forward(method, args);
            }
            if (request instanceof TransactWriteItemsRequest transaction) {
                noting.transactions.add(transaction);
            }
            long start = System.nanoTime();
            try {
                return forward(method, args);
            } finally {
                noting.add(kind(request), System.nanoTime() - start);
            }
        }
        if (method.isDefault()) {
            // builds the request and calls back with it (or throws, for an operation the SDK lacks)
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "RecordingDynamoDb(" + target + ")";
            };
        }
        return forward(method, args);
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The operation and what it touches, by the partition key's prefix (the part before the first {@code #}):
     * "Query AGREEMENT", "GetItem REFUNDED#", "TransactWriteItems EVENT# LINE# LEDGER#".
     */
    static String kind(DynamoDbRequest request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        if (request instanceof QueryRequest query && query.hasExpressionAttributeValues()) {
            return operation + " " + prefix(query.expressionAttributeValues().get(":pk"));
        }
        if (request instanceof GetItemRequest get && get.hasKey()) {
            return operation + " " + prefix(get.key().get("pk"));
        }
        if (request instanceof TransactWriteItemsRequest transaction) {
            StringBuilder kind = new StringBuilder(operation);
            for (TransactWriteItem item : transaction.transactItems()) {
                kind.append(' ').append(item.put() != null ? prefix(item.put().item().get("pk"))
                        : item.conditionCheck() != null ? "check:" + prefix(item.conditionCheck().key().get("pk")) : "(other)");
            }
            return kind.toString();
        }
        return operation;
    }

    private static String prefix(AttributeValue pk) {
        if (pk == null || pk.s() == null) {
            return "?";
        }
        int hash = pk.s().indexOf('#');
        return hash < 0 ? pk.s() : pk.s().substring(0, hash + 1);
    }

    /** Calls by kind ({@link #kind}) and the time spent in them; the transactions, in the order issued. */
    static final class Tally {
        private final Map<String, long[]> calls = new TreeMap<>();
        private final List<TransactWriteItemsRequest> transactions = new ArrayList<>();

        private void add(String kind, long nanos) {
            long[] stats = calls.computeIfAbsent(kind, k -> new long[2]);
            stats[0]++;
            stats[1] += nanos;
        }

        /** Kind → {calls, nanoseconds}, in name order. */
        Map<String, long[]> calls() {
            return calls;
        }

        long nanos() {
            return calls.values().stream().mapToLong(stats -> stats[1]).sum();
        }

        List<TransactWriteItemsRequest> transactions() {
            return transactions;
        }
    }
}
