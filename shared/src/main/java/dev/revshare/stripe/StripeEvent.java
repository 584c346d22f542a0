package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The few fields of a Stripe event that revshare needs, read from the raw JSON tree so that events of
 * any API version can be read (stripe-java's typed objects only bind the version it pins).
 *
 * @param account the connected account the event is about (Connect), or null for the platform's own
 * @param object  {@code data.object}: the charge, refund, … the event describes
 */
public record StripeEvent(String id, String type, String account, Instant created, String apiVersion,
                          boolean livemode, JsonNode object) {
    private static final Pattern TYPE = Pattern.compile("[a-z_]{1,64}(\\.[a-z_]{1,64}){1,4}");

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
        String id = StripeJson.text(root, "id");
        String type = StripeJson.text(root, "type");
        JsonNode object = root.path("data").path("object");
        if (id == null || type == null || !root.path("created").isIntegralNumber() || !object.isObject()) {
            throw new MalformedEventException("Stripe event lacks id, type, created or data.object");
        }
        if (!StripeJson.isId(id) || !TYPE.matcher(type).matches()) {
            throw new MalformedEventException("Stripe event's id or type is not shaped like Stripe's");
        }
        try {
            return new StripeEvent(id, type, StripeJson.id(root, "account"), StripeJson.timestampOrNull(root, "created"),
                    StripeJson.text(root, "api_version"), root.path("livemode").asBoolean(false), object);
        } catch (UnreadableEventException e) {
            throw new MalformedEventException("Stripe event " + e.getMessage());
        }
    }

    /** The event's object's own id ({@code data.object.id}), or null when it has none of Stripe's shape. */
    public String objectId() {
        String id = StripeJson.text(object, "id");
        return StripeJson.isId(id) ? id : null;
    }

    /** The request body is not a readable Stripe event. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
