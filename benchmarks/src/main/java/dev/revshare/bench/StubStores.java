package dev.revshare.bench;

import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingStore;
import dev.revshare.store.AgreementStore;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores that do no I/O, for timing the webhook's CPU path alone. Built as proxies that answer by return
 * type (a write is written, a lookup finds nothing, a list is empty), so a method
 * added to the store interfaces later does not break the benchmark; the agreement store knows one
 * agreement. Each stub counts the calls it gets, by method, so the report can show what the handler asked.
 */
final class StubStores {
    private final Agreement agreement;
    private final Map<String, long[]> calls = new TreeMap<>();
    private final AgreementStore agreements;
    private final BookingStore bookings;

    StubStores(Agreement agreement) {
        this.agreement = agreement;
        this.agreements = stub(AgreementStore.class);
        this.bookings = stub(BookingStore.class);
    }

    AgreementStore agreements() {
        return agreements;
    }

    BookingStore bookings() {
        return bookings;
    }

    /** Calls since the last reset, as "Interface.method" → count. */
    Map<String, Long> calls() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((method, count) -> copy.put(method, count[0]));
        return copy;
    }

    long calls(String method) {
        long[] count = calls.get(method);
        return count == null ? 0 : count[0];
    }

    void reset() {
        calls.clear();
    }

    private <T> T stub(Class<T> type) {
        InvocationHandler answers = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "stub " + type.getSimpleName();
                };
            }
            calls.computeIfAbsent(type.getSimpleName() + "." + method.getName(), k -> new long[1])[0]++;
            return answer(type, method);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, answers));
    }

    private Object answer(Class<?> type, Method method) {
        Class<?> returns = method.getReturnType();
        if (type == AgreementStore.class && method.getName().equals("find")) {
            return Optional.of(agreement);
        }
        if (type == AgreementStore.class && method.getName().equals("all")) {
            return List.of(agreement);
        }
        if (returns.isEnum()) {
            return returns.getEnumConstants()[0]; // the happy answer comes first: Written.WRITTEN
        }
        if (returns == Optional.class) {
            return Optional.empty();
        }
        if (returns == List.class || returns == Collection.class) {
            return List.of();
        }
        if (returns == Set.class) {
            return Set.of();
        }
        if (returns == Map.class) {
            return Map.of();
        }
        if (returns.isPrimitive() && returns != void.class) {
            return Array.get(Array.newInstance(returns, 1), 0); // false, 0, 0L...
        }
        return null;
    }
}
