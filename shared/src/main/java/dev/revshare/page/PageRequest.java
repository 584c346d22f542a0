package dev.revshare.page;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request to the page, as the Function URL or the local server received it.
 *
 * @param headers names in lower case
 * @param body    the form of a post (application/x-www-form-urlencoded), or null
 */
public record PageRequest(String method, String path, String query, Map<String, String> headers, String body) {
    public PageRequest {
        Map<String, String> lower = new HashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        }
        headers = Map.copyOf(lower);
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "/" : path;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
