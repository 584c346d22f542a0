package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.revshare.json.Json;
import java.io.IOException;
import java.time.Instant;

/**
 * The few fields of a Stripe event that revshare needs, read from the raw JSON tree so that events of
 * any API version can be read (stripe-java's typed objects only bind the version it pins).
 *
 * @param account the connected account the event is about (Connect), or null for the platform's own
 * @param object  {@code data.object}: the charge, refund, … the event describes
 */
public record StripeEvent(String id, String type, String account, Instant created, String apiVersion,
                          boolean livemode, JsonNode object) {

    /** @throws MalformedEventException when the body is not a Stripe event */
    public static StripeEvent parse(String rawBody) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(rawBody);
        } catch (IOException e) {
            throw new MalformedEventException("body is not JSON");
        }
        if (root == null || !root.isObject() || !"event".equals(root.path("object").asText())) {
            throw new MalformedEventException("body is not a Stripe event object");
        }
        String id = root.path("id").asText(null);
        String type = root.path("type").asText(null);
        JsonNode created = root.path("created");
        JsonNode object = root.path("data").path("object");
        if (id == null || type == null || !created.canConvertToLong() || !object.isObject()) {
            throw new MalformedEventException("Stripe event lacks id, type, created or data.object");
        }
        return new StripeEvent(id, type, textOrNull(root, "account"), Instant.ofEpochSecond(created.asLong()),
                textOrNull(root, "api_version"), root.path("livemode").asBoolean(false), object);
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode value = node == null ? MissingNode.getInstance() : node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** The request body is not a readable Stripe event. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
