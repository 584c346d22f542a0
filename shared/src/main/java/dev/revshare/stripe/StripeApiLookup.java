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

/**
 * Reads Stripe objects with stripe-java (its authentication, retries and API version), taking the
 * answers as raw JSON so that {@code dev.revshare.ingest.PaymentReader} reads every version alike.
 */
public final class StripeApiLookup implements StripeLookup {
    private static final int NOT_FOUND = 404;

    private final StripeApiKeys keys;
    private final String apiBase;

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, recorded answers in tests); null for Stripe's */
    public StripeApiLookup(StripeApiKeys keys, String apiBase) {
        this.keys = keys;
        this.apiBase = apiBase;
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
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(key.secret()).setMaxNetworkRetries(2);
        if (apiBase != null) {
            builder.setApiBase(apiBase);
        }
        RawRequestOptions.RawRequestOptionsBuilder options = RawRequestOptions.builder();
        if (key.onBehalfOf() != null) {
            options.setStripeAccount(key.onBehalfOf());
        }
        try {
            StripeResponse response = builder.build().rawRequest(ApiResource.RequestMethod.GET, pathAndQuery, null,
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

    private static String withoutQuery(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
