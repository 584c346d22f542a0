package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.Stripe;
import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads Stripe objects over Stripe's HTTP API, as raw JSON, so that {@code dev.revshare.ingest.PaymentReader}
 * reads every API version alike. It asks as stripe-java does (bearer key, {@code Stripe-Account} for a
 * connected account, the API version stripe-java pins, its retry rule and delays), over the JDK's
 * {@link HttpURLConnection}: stripe-java's own client would bring its typed models and their Gson bindings
 * (over a megabyte and hundreds of classes loaded on the first error answer) into the webhook's jar for
 * answers revshare never reads as models.
 */
public final class StripeApiLookup implements StripeLookup {
    private static final String STRIPE_API = "https://api.stripe.com";
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;
    /**
     * stripe-java's defaults (30 s to connect, 80 s to read) outlast the function. A request's worst case is
     * two attempts of 2 s + 5 s plus the back-off (under a second): about 15 s, which template.yaml's webhook
     * Timeout (30 s) allows twice; a timed-out delivery is answered 500 and retried.
     */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 5_000;
    static final int MAX_NETWORK_RETRIES = 1;
    /** stripe-java's back-off: 0.5 s doubled per retry, at most 5 s, less up to a quarter at random. */
    private static final long FIRST_RETRY_DELAY_MS = 500;
    private static final long MAX_RETRY_DELAY_MS = 5_000;

    private final StripeApiKeys keys;
    private final String apiBase;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, recorded answers in tests); null for Stripe's */
    public StripeApiLookup(StripeApiKeys keys, String apiBase) {
        this(keys, apiBase, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    }

    StripeApiLookup(StripeApiKeys keys, String apiBase, int connectTimeoutMs, int readTimeoutMs) {
        this.keys = keys;
        this.apiBase = apiBase == null ? STRIPE_API : apiBase.replaceAll("/+$", "");
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    @Override
    public boolean enabledFor(Agreement agreement) {
        return keys.keyFor(agreement) != null;
    }

    @Override
    public JsonNode get(Agreement agreement, String pathAndQuery) {
        StripeApiKeys.ApiKey key = keys.keyFor(agreement);
        if (key == null) {
            return null;
        }
        String request = "GET " + withoutQuery(pathAndQuery);
        for (int retries = 0; ; retries++) {
            Answer answer;
            try {
                answer = send(key, pathAndQuery);
            } catch (ConnectException | SocketTimeoutException e) {
                if (retries < MAX_NETWORK_RETRIES) {
                    pause(retries);
                    continue;
                }
                throw new StripeUnavailableException(request + " failed: " + e, e);
            } catch (IOException e) {
                throw new StripeUnavailableException(request + " failed: " + e, e);
            }
            if (answer.status() / 100 == 2) {
                try {
                    return Json.mapper().readTree(answer.body());
                } catch (IOException e) {
                    throw new StripeUnavailableException(request + " answered no JSON", e);
                }
            }
            if (answer.status() == NOT_FOUND) {
                return null;
            }
            if (retries < MAX_NETWORK_RETRIES && answer.worthRetrying()) {
                pause(retries);
                continue;
            }
            throw new StripeUnavailableException(request + " failed: " + answer.describe(), null);
        }
    }

    private Answer send(StripeApiKeys.ApiKey key, String pathAndQuery) throws IOException {
        // Stripe's filters and expansions have brackets (expand[]=...), which a URI carries percent-encoded
        String uri = apiBase + pathAndQuery.replace("[", "%5B").replace("]", "%5D");
        HttpURLConnection connection = (HttpURLConnection) URI.create(uri).toURL().openConnection();
        try {
            connection.setConnectTimeout(connectTimeoutMs);
            connection.setReadTimeout(readTimeoutMs);
            connection.setRequestProperty("Authorization", "Bearer " + key.secret());
            connection.setRequestProperty("Stripe-Version", Stripe.API_VERSION);
            if (key.onBehalfOf() != null) {
                connection.setRequestProperty("Stripe-Account", key.onBehalfOf());
            }
            connection.setRequestProperty("User-Agent", "revshare (stripe-java " + Stripe.VERSION + " API version)");
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, text, connection.getHeaderField("Stripe-Should-Retry"), connection.getHeaderField("Request-Id"));
        } finally {
            connection.disconnect();
        }
    }

    /** What Stripe answered, and whether stripe-java would ask again: when Stripe says so, on a conflict, on its own errors. */
    private record Answer(int status, String body, String shouldRetry, String requestId) {
        boolean worthRetrying() {
            if (shouldRetry != null) {
                return Boolean.parseBoolean(shouldRetry);
            }
            return status == CONFLICT || status >= 500;
        }

        /** Stripe's error type and message (they name no secret), and the request id Stripe's dashboard finds it by. */
        String describe() {
            String reason = "";
            try {
                JsonNode error = Json.mapper().readTree(body).path("error");
                reason = (error.path("type").asText("") + " " + error.path("message").asText("")).strip();
            } catch (IOException notJson) {
                // the status alone says enough
            }
            return "HTTP " + status + (reason.isEmpty() ? "" : ": " + reason) + (requestId == null ? "" : " (request " + requestId + ")");
        }
    }

    private static void pause(int retriesSoFar) {
        long delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS << retriesSoFar);
        delay = Math.max(FIRST_RETRY_DELAY_MS, (long) (delay * ThreadLocalRandom.current().nextDouble(0.75, 1.0)));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StripeUnavailableException("interrupted while waiting to ask Stripe again", e);
        }
    }

    private static String withoutQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
