package dev.revshare.page;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the page answers: a status, its headers (the security headers on every answer) and a body. */
public record PageResponse(int status, Map<String, String> headers, byte[] body) {
    public PageResponse {
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static PageResponse of(int status, String contentType, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(PartyPage.SECURITY_HEADERS);
        headers.put("Content-Type", contentType);
        headers.putAll(extra);
        return new PageResponse(status, headers, body);
    }
}
