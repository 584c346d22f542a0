package dev.revshare.testing;

import java.util.ArrayList;
import java.util.List;

/** Every order in which a set of Stripe deliveries can arrive: Stripe guarantees none. */
public final class DeliveryOrders {
    private DeliveryOrders() {}

    public static <T> List<List<T>> all(List<T> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> orders = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            List<T> rest = new ArrayList<>(deliveries);
            T first = rest.remove(i);
            for (List<T> tail : all(rest)) {
                List<T> order = new ArrayList<>(List.of(first));
                order.addAll(tail);
                orders.add(order);
            }
        }
        return orders;
    }

    /** The event type in a Stripe event body, to say which order failed. */
    public static String type(String stripeEvent) {
        return stripeEvent.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1");
    }
}
