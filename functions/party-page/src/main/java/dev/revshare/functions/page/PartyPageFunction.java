package dev.revshare.functions.page;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.PageWiring;
import dev.revshare.page.PageHttpServer;
import dev.revshare.page.PageRequest;
import dev.revshare.page.PageResponse;
import dev.revshare.page.PartyPage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Each party's page behind the stack's Function URL (auth NONE: the signed link is the authentication): the Function
 * URL's request (payload 2.0) becomes a {@link PageRequest}, {@link PartyPage}'s answer goes back as it is, status,
 * headers (the Content-Security-Policy and the other security headers on every answer) and body. Everything the page
 * decides is decided in {@link PartyPage}, as for {@code revshare serve}.
 *
 * <p>The link is the key to a party's page: no log line names the path, the query or the form.
 */
public final class PartyPageFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger log = LoggerFactory.getLogger(PartyPageFunction.class);
    /** No client is built at start: each on its first use, after a SnapStart restore. */
    private static final AwsClients AWS = AwsClients.inLambda();

    private final PartyPage page;
    /** Powertools' logging context (request id, cold start) around an invocation, or nothing in tests. */
    private final BiFunction<Context, Supplier<APIGatewayV2HTTPResponse>, APIGatewayV2HTTPResponse> logging;

    /** Production wiring from the environment template.yaml sets (PageWiring); Powertools' JSON log lines. */
    public PartyPageFunction() {
        this(PageWiring.partyPage(AWS, Clock.systemUTC()), (context, handling) -> PowertoolsLogging.withLogging(context, handling));
    }

    /** The tests': plain log lines. */
    public PartyPageFunction(PartyPage page) {
        this(page, (context, handling) -> handling.get());
    }

    private PartyPageFunction(PartyPage page,
                              BiFunction<Context, Supplier<APIGatewayV2HTTPResponse>, APIGatewayV2HTTPResponse> logging) {
        this.page = page;
        this.logging = logging;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent request, Context context) {
        return logging.apply(context, () -> answer(request));
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent request) {
        String method = method(request);
        PageResponse response;
        try {
            response = page.handle(new PageRequest(method, request.getRawPath(), emptyToNull(request.getRawQueryString()),
                    request.getHeaders(), body(request)));
        } catch (RuntimeException e) {
            // the store, SSM (no page secret) or a bug: the page names none of it, the log does
            log.error("party page {} failed: answering 500", method, e);
            response = PartyPage.unavailable();
        }
        log.info("party page {} {}", method, response.status());
        return response(response, "HEAD".equals(method));
    }

    static APIGatewayV2HTTPResponse response(PageResponse response, boolean head) {
        APIGatewayV2HTTPResponse.APIGatewayV2HTTPResponseBuilder answer = APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status()).withHeaders(Map.copyOf(response.headers()));
        if (head || response.body().length == 0) {
            return answer.withBody("").withIsBase64Encoded(false).build();
        }
        if (isText(response.headers())) {
            return answer.withBody(response.bodyText()).withIsBase64Encoded(false).build();
        }
        return answer.withBody(Base64.getEncoder().encodeToString(response.body())).withIsBase64Encoded(true).build();
    }

    /** HTML, CSV and JSON go back as text; anything else (none today) base64-encoded, as Function URLs expect binary. */
    private static boolean isText(Map<String, String> headers) {
        String type = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse("").toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.startsWith("application/json");
    }

    private static String method(APIGatewayV2HTTPEvent request) {
        APIGatewayV2HTTPEvent.RequestContext context = request.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
    }

    /** The form as posted: Function URLs base64-encode bodies they consider binary (a form often is). Too long: empty. */
    private static String body(APIGatewayV2HTTPEvent request) {
        String body = request.getBody();
        if (body == null) {
            return null;
        }
        byte[] bytes = request.getIsBase64Encoded() ? decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return bytes.length > PageHttpServer.MAX_BODY ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] decode(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
