package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Stripe objects with stripe-java (its authentication, retries and API version), taking the
 * answers as raw JSON so that {@code dev.revshare.ingest.PaymentReader} reads every version alike.
 * One client per API key, built on first use and kept for the container's life.
 */
public final class StripeApiLookup implements StripeLookup {
    private static final int NOT_FOUND = 404;
    /**
     * stripe-java's defaults (30 s to connect, 80 s to read) outlast the function. A request's worst case is
     * two attempts of 2 s + 5 s plus stripe-java's back-off (under a second): about 15 s, which
     * template.yaml's webhook Timeout (30 s) allows twice; a timed-out delivery is answered 500 and retried.
     */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 5_000;
    static final int MAX_NETWORK_RETRIES = 1;
    /** Keys are rotated now and then: a few old ones kept is harmless, many is a leak. */
    private static final int MAX_CLIENTS = 32;

    private final StripeApiKeys keys;
    private final String apiBase;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final Map<String, StripeClient> clients = new ConcurrentHashMap<>();

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, recorded answers in tests); null for Stripe's */
    public StripeApiLookup(StripeApiKeys keys, String apiBase) {
        this(keys, apiBase, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    }

    StripeApiLookup(StripeApiKeys keys, String apiBase, int connectTimeoutMs, int readTimeoutMs) {
        this.keys = keys;
        this.apiBase = apiBase;
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
        RawRequestOptions.RawRequestOptionsBuilder options = RawRequestOptions.builder();
        if (key.onBehalfOf() != null) {
            options.setStripeAccount(key.onBehalfOf());
        }
        try {
            StripeResponse response = client(key.secret()).rawRequest(ApiResource.RequestMethod.GET, pathAndQuery, null,
                    options.build());
            return Json.mapper().readTree(response.body());
        } catch (StripeException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == NOT_FOUND) {
                return null;
            }
            throw new StripeUnavailableException("GET " + withoutQuery(pathAndQuery) + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StripeUnavailableException("GET " + withoutQuery(pathAndQuery) + " answered no JSON", e);
        }
    }

    private StripeClient client(String apiKey) {
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(apiKey)) {
            clients.clear();
        }
        return clients.computeIfAbsent(apiKey, secret -> {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(secret)
                    .setConnectTimeout(connectTimeoutMs).setReadTimeout(readTimeoutMs)
                    .setMaxNetworkRetries(MAX_NETWORK_RETRIES);
            if (apiBase != null) {
                builder.setApiBase(apiBase);
            }
            return builder.build();
        });
    }

    private static String withoutQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
