package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stripe's undelivered events ({@code GET /v1/events?delivery_success=false}) and webhook endpoints
 * ({@code GET /v1/webhook_endpoints}), listed with stripe-java as the balance transactions are
 * ({@link StripeApiListing}: page by page, all or nothing, rate limits waited out).
 */
public final class StripeApiEvents implements EventDeliveries {
    static final StripeApiListing.Collection EVENTS = new StripeApiListing.Collection("/v1/events", "undelivered events",
            "events", "an event", "a restricted key needs read access to Events");
    static final StripeApiListing.Collection ENDPOINTS = new StripeApiListing.Collection("/v1/webhook_endpoints",
            "webhook endpoints", "endpoints", "a webhook endpoint", "a restricted key needs read access to Webhook Endpoints");

    private final StripeApiListing stripe;

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, a fake in tests); null for Stripe's */
    public StripeApiEvents(String apiBase) {
        this(new StripeApiListing(apiBase, StripeApiListing.Policy.DEFAULT));
    }

    public StripeApiEvents(StripeApiListing stripe) {
        this.stripe = stripe;
    }

    /** One listed event: its JSON, and what orders it. */
    private record Listed(String id, long created, String json) {}

    @Override
    public List<String> undelivered(StripeApiKeys.ApiKey key, Instant since, StripeApiListing.Progress progress) {
        List<Listed> listed = new ArrayList<>(stripe.list(key, true, EVENTS,
                "created[gte]=" + since.getEpochSecond() + "&delivery_success=false",
                node -> read(node, key), Listed::id, progress));
        // Stripe lists newest first; booked in the order they happened, a sale before its refund
        listed.sort(Comparator.comparingLong(Listed::created).thenComparing(Listed::id));
        return listed.stream().map(Listed::json).toList();
    }

    @Override
    public List<Endpoint> webhookEndpoints(StripeApiKeys.ApiKey key) {
        return stripe.list(key, false, ENDPOINTS, "", StripeApiEvents::endpoint, Endpoint::id, StripeApiListing.Progress.NONE);
    }

    private static Listed read(JsonNode node, StripeApiKeys.ApiKey key) {
        String id = StripeJson.text(node, "id");
        if (!node.isObject() || !StripeJson.isId(id) || !node.path("created").isIntegralNumber()) {
            throw new UnreadableEventException("an event lacks its id or created time");
        }
        // a Connect endpoint's delivery names the connected account; listed on its behalf, an event may not
        if (key.onBehalfOf() != null && StripeJson.text(node, "account") == null) {
            ((ObjectNode) node).put("account", key.onBehalfOf());
        }
        return new Listed(id, node.path("created").asLong(), Json.write(node));
    }

    private static Endpoint endpoint(JsonNode node) {
        String id = StripeJson.text(node, "id");
        String url = StripeJson.text(node, "url");
        String status = StripeJson.text(node, "status");
        if (id == null || url == null || status == null) {
            throw new UnreadableEventException("a webhook endpoint lacks its id, url or status");
        }
        List<String> events = new ArrayList<>();
        node.path("enabled_events").forEach(type -> events.add(type.asText()));
        return new Endpoint(id, url, "enabled".equals(status), events);
    }
}
