package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import dev.revshare.json.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/transfers} with stripe-java ({@code rawRequest}) and the platform's secret key, under the idempotency
 * key the caller names. stripe-java retries a request that got no answer, or a 5xx, twice, under the same key.
 */
public final class StripeApiTransfers implements StripeTransfers {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final StripeClient client;

    /**
     * @param secretKey the Connect platform's key, allowed to create transfers
     * @param apiBase   Stripe's API, or another that speaks it (stripe-mock, a fake in tests); null for Stripe's
     */
    public StripeApiTransfers(String secretKey, String apiBase) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(secretKey)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setReadTimeout(READ_TIMEOUT_MILLIS).setMaxNetworkRetries(2);
        if (apiBase != null && !apiBase.isBlank()) {
            builder.setApiBase(apiBase);
        }
        this.client = builder.build();
    }

    @Override
    public String transfer(Transfer request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(request.amount()));
        form.put("currency", request.currency());
        form.put("destination", request.destination());
        form.put("transfer_group", request.transferGroup());
        form.put("description", request.description());
        form.put("metadata[revshare_agreement]", request.agreementId());
        form.put("metadata[revshare_statement]", request.period());
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        RawRequestOptions options = RawRequestOptions.builder().setIdempotencyKey(request.idempotencyKey()).build();
        StripeResponse response;
        try {
            response = client.rawRequest(ApiResource.RequestMethod.POST, "/v1/transfers", body, options);
        } catch (ApiConnectionException | RateLimitException | IdempotencyException e) {
            throw new StripeTransfers.NotAnswered(notAnswered(e), e);
        } catch (StripeException e) {
            if (e.getStatusCode() == null || e.getStatusCode() >= 500) {
                throw new StripeTransfers.NotAnswered(notAnswered(e), e);
            }
            throw new StripeTransfers.Refused("Stripe refused the transfer (" + e.getStatusCode()
                    + (code(e) == null ? "" : ", " + code(e)) + "): " + message(e), e);
        }
        try {
            JsonNode transfer = Json.mapper().readTree(response.body());
            String id = transfer.path("id").asText("");
            if (!id.startsWith("tr_")) {
                throw new StripeTransfers.NotAnswered("Stripe answered the transfer without a transfer id", null);
            }
            return id;
        } catch (IOException e) {
            throw new StripeTransfers.NotAnswered("Stripe's answer to the transfer was not JSON", e);
        }
    }

    private static String notAnswered(StripeException e) {
        return "Stripe did not confirm the transfer (" + (e.getStatusCode() == null ? "no answer" : e.getStatusCode())
                + ": " + message(e) + "); ask again: the same idempotency key never pays twice";
    }

    private static String code(StripeException e) {
        return e.getStripeError() == null ? e.getCode() : e.getStripeError().getCode();
    }

    private static String message(StripeException e) {
        return e.getStripeError() != null && e.getStripeError().getMessage() != null ? e.getStripeError().getMessage()
                : e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
