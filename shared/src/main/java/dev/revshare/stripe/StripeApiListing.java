package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import dev.revshare.json.Json;
import dev.revshare.stripe.ListingFailedException.Problem;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lists one of Stripe's collections with stripe-java ({@code rawRequest}), page by page ({@code limit=100},
 * {@code starting_after}), with a key (and {@code Stripe-Account} when it reads on behalf of a connected account).
 * All or nothing: a listing that fails part-way throws {@link ListingFailedException} with a sentence saying what
 * failed, and returns nothing, so that nothing is booked from half a list. The one way revshare's batch jobs
 * (reconciliation, the daily sweep) call Stripe.
 *
 * <p>Retries: stripe-java itself retries a page {@value #NETWORK_RETRIES} times, with its own back-off of half a
 * second to five seconds, when Stripe cannot be reached or does not answer within the read timeout, and on 409
 * and 5xx answers. It does not retry a 429: this class waits as long as Stripe's {@code Retry-After} asks (one
 * second when it names none), {@link Policy#rateLimitWaits()} times a page, and gives up when Stripe asks for
 * longer than {@link Policy#longestWait()}. A listing is a batch job, never a webhook's: its timeouts are longer
 * than {@link StripeApiLookup}'s.
 */
public final class StripeApiListing {
    /** Stripe's largest page. */
    static final int PAGE = 100;
    static final int NETWORK_RETRIES = 2;
    /** Keys are rotated now and then: a few old ones kept is harmless, many is a leak. */
    private static final int MAX_CLIENTS = 32;

    /**
     * How long to wait for Stripe, and how patiently.
     *
     * @param sleeper waits out a 429 (tests pass one that only notes the wait)
     */
    public record Policy(Duration connectTimeout, Duration readTimeout, int networkRetries, int rateLimitWaits,
                         Duration longestWait, Sleeper sleeper) {
        /**
         * A page of 100 transactions with their sources expanded takes Stripe a second or two; 30 s to read it
         * means Stripe is in trouble. Three attempts a page (stripe-java's retries) and three waits for a 429.
         */
        public static final Policy DEFAULT = new Policy(Duration.ofSeconds(5), Duration.ofSeconds(30), NETWORK_RETRIES, 3,
                Duration.ofSeconds(30), Thread::sleep);
    }

    /** Waits; interruptible. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * One of Stripe's collections, named for the messages a failure is told in.
     *
     * @param path   {@code /v1/balance_transactions}
     * @param plural "balance transactions"
     * @param unit   what a count of them is said in: "transactions"
     * @param one    "a balance transaction"
     * @param access what a restricted key needs to read it, in a sentence
     */
    public record Collection(String path, String plural, String unit, String one, String access) {}

    /** Told after each page. */
    @FunctionalInterface
    public interface Progress {
        void listed(int pages, int items);

        Progress NONE = (pages, items) -> { };
    }

    private final String apiBase;
    private final Policy policy;
    private final Map<String, StripeClient> clients = new ConcurrentHashMap<>();

    /** @param apiBase Stripe's API, or another that speaks it (stripe-mock, a fake in tests); null for Stripe's */
    public StripeApiListing(String apiBase, Policy policy) {
        this.apiBase = apiBase;
        this.policy = policy;
    }

    /**
     * @param key        the key to list with; its {@code onBehalfOf} becomes {@code Stripe-Account} when {@code onBehalf}
     * @param query      the filters, without {@code limit} and {@code starting_after} ({@code created[gte]=...&...}), or ""
     * @param read       one element of the list's {@code data}; {@link UnreadableEventException} when it is not one
     * @param idOf       an element's id, for {@code starting_after}
     * @return every element, in the order Stripe listed them (newest first)
     * @throws ListingFailedException when Stripe did not give the whole list
     */
    public <T> List<T> list(StripeApiKeys.ApiKey key, boolean onBehalf, Collection collection, String query,
                            Function<JsonNode, T> read, Function<T, String> idOf, Progress progress) {
        RawRequestOptions.RawRequestOptionsBuilder options = RawRequestOptions.builder();
        if (onBehalf && key.onBehalfOf() != null) {
            options.setStripeAccount(key.onBehalfOf());
        }
        RawRequestOptions requestOptions = options.build();
        StripeClient client = client(key.secret());
        String first = collection.path() + "?" + (query.isEmpty() ? "" : query + "&") + "limit=" + PAGE;
        List<T> listed = new ArrayList<>();
        String startingAfter = null;
        int pages = 0;
        while (true) {
            String path = startingAfter == null ? first : first + "&starting_after=" + encode(startingAfter);
            JsonNode page = page(client, path, requestOptions, collection, pages, listed.size());
            JsonNode data = page.path("data");
            if (!"list".equals(page.path("object").asText()) || !data.isArray()) {
                throw new ListingFailedException(Problem.REFUSED, where(collection, pages, listed.size())
                        + "Stripe answered something other than a list of " + collection.plural(), null);
            }
            for (JsonNode each : data) {
                try {
                    listed.add(read.apply(each));
                } catch (UnreadableEventException e) {
                    throw new ListingFailedException(Problem.REFUSED, where(collection, pages, listed.size())
                            + collection.one() + " cannot be read: " + e.getMessage(), e);
                }
            }
            pages++;
            progress.listed(pages, listed.size());
            if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                return listed;
            }
            startingAfter = idOf.apply(listed.get(listed.size() - 1));
        }
    }

    /** One page, waiting out rate limits; any other failure ends the listing. */
    private JsonNode page(StripeClient client, String path, RawRequestOptions options, Collection collection, int pages,
                          int listed) {
        for (int waited = 0; ; waited++) {
            try {
                StripeResponse response = client.rawRequest(ApiResource.RequestMethod.GET, path, null, options);
                return Json.mapper().readTree(response.body());
            } catch (RateLimitException e) {
                Duration wait = retryAfter(e);
                if (waited >= policy.rateLimitWaits() || wait.compareTo(policy.longestWait()) > 0) {
                    throw new ListingFailedException(Problem.RATE_LIMITED, where(collection, pages, listed)
                            + "Stripe is limiting this account's requests (429, Retry-After " + wait.toSeconds() + " s"
                            + (waited > 0 ? ", still after " + waited + " wait(s)" : "") + "); run it again later", e);
                }
                sleep(wait);
            } catch (AuthenticationException e) { // PermissionException (403) is one too
                throw new ListingFailedException(Problem.NOT_PERMITTED, where(collection, pages, listed)
                        + "Stripe refused the key (" + e.getStatusCode() + ": " + stripeMessage(e) + "); " + collection.access(), e);
            } catch (ApiConnectionException e) {
                throw new ListingFailedException(Problem.UNAVAILABLE, where(collection, pages, listed) + "Stripe did not answer ("
                        + e.getMessage() + "), in " + (policy.networkRetries() + 1) + " attempts of up to "
                        + seconds(policy.readTimeout()) + " s; run it again later", e);
            } catch (StripeException e) {
                boolean serverSide = e.getStatusCode() != null && e.getStatusCode() >= 500;
                throw new ListingFailedException(serverSide ? Problem.UNAVAILABLE : Problem.REFUSED, where(collection, pages, listed)
                        + (serverSide ? "Stripe's API failed (" + e.getStatusCode() + ", in " + (policy.networkRetries() + 1)
                        + " attempts); run it again later" : "Stripe refused the request (" + e.getStatusCode() + ": "
                        + stripeMessage(e) + ")"), e);
            } catch (IOException e) {
                throw new ListingFailedException(Problem.REFUSED, where(collection, pages, listed) + "Stripe answered no JSON", e);
            }
        }
    }

    private static String stripeMessage(StripeException e) {
        return e.getStripeError() != null && e.getStripeError().getMessage() != null ? e.getStripeError().getMessage()
                : e.getMessage();
    }

    private static Duration retryAfter(RateLimitException e) {
        String header = e.getStripeError() == null || e.getStripeError().getLastResponse() == null ? null
                : e.getStripeError().getLastResponse().headers().firstValue("Retry-After").orElse(null);
        try {
            return header == null ? Duration.ofSeconds(1) : Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException dateForm) {
            return Duration.ofSeconds(1); // Stripe sends seconds; an HTTP date is read as "a moment"
        }
    }

    private void sleep(Duration wait) {
        try {
            policy.sleeper().sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListingFailedException(Problem.UNAVAILABLE, "interrupted while waiting out Stripe's rate limit", e);
        }
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0);
    }

    private static String where(Collection collection, int pages, int listed) {
        return "listing " + collection.plural() + " failed after " + pages + " page(s) (" + listed + " " + collection.unit() + "): ";
    }

    private StripeClient client(String apiKey) {
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(apiKey)) {
            clients.clear();
        }
        return clients.computeIfAbsent(apiKey, secret -> {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(secret)
                    .setConnectTimeout(Math.toIntExact(policy.connectTimeout().toMillis()))
                    .setReadTimeout(Math.toIntExact(policy.readTimeout().toMillis()))
                    .setMaxNetworkRetries(policy.networkRetries());
            if (apiBase != null) {
                builder.setApiBase(apiBase);
            }
            return builder.build();
        });
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
