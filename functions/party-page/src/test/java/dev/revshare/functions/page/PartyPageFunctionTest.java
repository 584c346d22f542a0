package dev.revshare.functions.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.page.PageResponse;
import dev.revshare.page.PageSecret;
import dev.revshare.page.PageTokens;
import dev.revshare.page.PartyPage;
import dev.revshare.review.ReviewDesk;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.signoff.SignOffs;
import dev.revshare.statements.BeforeClosing;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.PartyLinks;
import dev.revshare.statements.StatementMailer;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestAgreements;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Function URL's requests, read by the runtime's own event classes from events/party-page/get-page.json, answered
 * by the party page on DynamoDB Local: the page, the security headers on every answer, a tampered link's 403, a form
 * posted base64-encoded (as Function URLs pass forms) recorded, an objection emailed, and a failure's 500.
 */
class PartyPageFunctionTest {
    /** The key events/party-page/get-page.json's link is signed with (events/README.md). */
    static final byte[] EVENT_SECRET = "revshare-local-test-page-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final Instant CLOSING_DAY = Instant.parse("2026-11-05T06:00:00Z");
    /** The event's time: within October's statement's sign-off window. */
    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static final Agreement SARAH = TestAgreements.sarahMindfulness();
    private static final SettableClock clock = new SettableClock(CLOSING_DAY);
    private static final List<OutgoingEmail> sent = new ArrayList<>();
    private static DynamoDbStores store;
    private static SignOffStore signOffStore;
    private static PageTokens tokens;
    private static PartyPageFunction function;

    @BeforeAll
    static void octoberIssuedByTheRealRun() {
        store = LocalDynamoDb.newStore();
        signOffStore = DynamoDbStores.signOffsOver(LocalDynamoDb::client, store.tableName());
        store.agreements().put(SARAH, Instant.parse("2025-10-01T00:00:00Z"));
        sale("pi_oct1", "ch_oct1", 29_700, "2026-10-03T09:00:00Z");
        sale("pi_oct2", "ch_oct2", 15_000, "2026-10-21T11:00:00Z");
        StatementMailer mailer = email -> {
            sent.add(email);
            return "message-" + sent.size();
        };
        MonthlyStatementRun run = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), mailer,
                (statement, messageId) -> { }, "statements@revshare.example", clock, MonthlyStatementRun.DEFAULT_GRACE,
                BeforeClosing.NOTHING, PartyLinks.NONE, SignOffs.adjustments(signOffStore));
        run.run(CLOSING_DAY, null, null);
        clock.set(NOW);
        tokens = new PageTokens(() -> EVENT_SECRET, clock);
        function = new PartyPageFunction(page(() -> EVENT_SECRET, mailer, run));
    }

    private static PartyPage page(PageSecret secret, StatementMailer mailer, MonthlyStatementRun run) {
        SignOffs signOffs = new SignOffs(store.agreements(), store.statements(), signOffStore, mailer,
                "statements@revshare.example", clock);
        return new PartyPage(store.agreements(), store.statements(), signOffs,
                new ReviewDesk(store.agreements(), store.ledger(), store.bookings(), clock), run, new PageTokens(secret, clock),
                PartyPage.defaultLimiter(clock), clock);
    }

    @Test
    void theEventsLinkOpensTheExpertsPageWithTheSecurityHeaders() {
        APIGatewayV2HTTPResponse response = function.handleRequest(event(), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getIsBase64Encoded()).isFalse();
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/html; charset=utf-8");
        assertSecurityHeaders(response);
        assertThat(response.getBody()).contains("The page of Sarah Lee (expert)", "Statement for October 2026",
                "/statements/2026-10.csv").doesNotContain("<script", "sarah@example.com");
    }

    @Test
    void aTamperedLinkGetsTheSame403AsNoLinkAndTheHeaders() {
        APIGatewayV2HTTPEvent tampered = event();
        String path = tampered.getRawPath();
        char last = path.charAt(path.length() - 1);
        tampered.setRawPath(path.substring(0, path.length() - 1) + (last == 'A' ? 'B' : 'A'));
        APIGatewayV2HTTPEvent none = event();
        none.setRawPath("/");

        APIGatewayV2HTTPResponse refused = function.handleRequest(tampered, null);
        APIGatewayV2HTTPResponse noLink = function.handleRequest(none, null);

        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(noLink.getStatusCode()).isEqualTo(403);
        assertThat(refused.getBody()).isEqualTo(noLink.getBody()).doesNotContain("Sarah", "October");
        assertSecurityHeaders(refused);
    }

    @Test
    void anAcknowledgementPostedBase64EncodedIsRecordedAndTheBrowserSentBackToThePage() {
        APIGatewayV2HTTPEvent get = event();
        String token = get.getRawPath().substring("/p/".length());
        APIGatewayV2HTTPEvent post = formPost(get, "/statements/2026-10/acknowledge", "csrf=" + tokens.formToken(token), true);

        APIGatewayV2HTTPResponse response = function.handleRequest(post, null);

        assertThat(response.getStatusCode()).isEqualTo(303);
        assertThat(response.getHeaders().get("Location"))
                .isEqualTo("/p/" + token + "?done=acknowledged&month=2026-10#s-2026-10");
        assertSecurityHeaders(response);
        assertThat(signOffStore.acknowledgements(SARAH.id(), OCTOBER)).extracting(a -> a.side()).containsExactly(Side.EXPERT);
        APIGatewayV2HTTPEvent back = event();
        back.setRawQueryString("done=acknowledged&month=2026-10");
        assertThat(function.handleRequest(back, null).getBody())
                .contains("your acknowledgement of the statement for October 2026 is recorded");
    }

    @Test
    void aPostWithoutTheFormTokenOrFromAnotherSiteChangesNothing() {
        String partner = tokens.sign(SARAH.id(), Side.PARTNER, NOW.minus(Duration.ofDays(1)), Duration.ofDays(90));
        APIGatewayV2HTTPEvent base = event();
        base.setRawPath("/p/" + partner);
        APIGatewayV2HTTPEvent noToken = formPost(base, "/statements/2026-10/acknowledge", "csrf=", false);
        APIGatewayV2HTTPEvent crossSite = formPost(base, "/statements/2026-10/acknowledge",
                "csrf=" + tokens.formToken(partner), false);
        crossSite.getHeaders().put("origin", "https://evil.example");
        crossSite.getHeaders().put("sec-fetch-site", "cross-site");

        assertThat(function.handleRequest(noToken, null).getStatusCode()).isEqualTo(403);
        assertThat(function.handleRequest(crossSite, null).getStatusCode()).isEqualTo(403);
        assertThat(signOffStore.acknowledgements(SARAH.id(), OCTOBER)).noneMatch(a -> a.side() == Side.PARTNER);
    }

    @Test
    void thePartnersObjectionIsRecordedAndEmailedToTheExpert() {
        String partner = tokens.sign(SARAH.id(), Side.PARTNER, NOW.minus(Duration.ofDays(2)), Duration.ofDays(90));
        APIGatewayV2HTTPEvent base = event();
        base.setRawPath("/p/" + partner);
        int mailsBefore = sent.size();
        APIGatewayV2HTTPEvent post = formPost(base, "/statements/2026-10/object",
                "csrf=" + tokens.formToken(partner) + "&line=pi_oct2&reason=Refunded+on+2+November", false);

        APIGatewayV2HTTPResponse response = function.handleRequest(post, null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(303);
        assertThat(response.getHeaders().get("Location")).contains("done=objected");
        assertThat(signOffStore.objections(SARAH.id())).singleElement().satisfies(objection -> {
            assertThat(objection.side()).isEqualTo(Side.PARTNER);
            assertThat(objection.lineIds()).containsExactly("pi_oct2");
            assertThat(objection.reason()).isEqualTo("Refunded on 2 November");
        });
        assertThat(sent.subList(mailsBefore, sent.size())).singleElement()
                .satisfies(email -> assertThat(email.recipients()).contains("sarah@example.com"));
    }

    @Test
    void aStatementsCsvGoesBackAsText() {
        APIGatewayV2HTTPEvent csv = event();
        csv.setRawPath(csv.getRawPath() + "/statements/2026-10.csv");

        APIGatewayV2HTTPResponse response = function.handleRequest(csv, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getIsBase64Encoded()).isFalse();
        assertThat(response.getHeaders().get("Content-Type")).startsWith("text/csv");
        assertThat(response.getHeaders().get("Content-Disposition")).contains("sarah-mindfulness-2026-10.csv");
        assertThat(response.getBody()).contains("ch_oct1", "ch_oct2");
    }

    /** No page secret in SSM: the link cannot be checked, and the party learns only to try again later. */
    @Test
    void aPageThatCannotBeCheckedAnswers500WithTheSecurityHeaders() {
        PartyPageFunction withoutSecret = new PartyPageFunction(page(() -> {
            throw new IllegalStateException("no page secret in SSM: put one with `aws ssm put-parameter ...`");
        }, email -> "unused", null));

        APIGatewayV2HTTPResponse response = withoutSecret.handleRequest(event(), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).contains("try again in a few minutes").doesNotContain("SSM", "secret");
        assertSecurityHeaders(response);
    }

    @Test
    void aBodyThatIsNotTextGoesBackBase64Encoded() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};

        APIGatewayV2HTTPResponse response = PartyPageFunction.response(
                new PageResponse(200, Map.of("Content-Type", "image/png"), png), false);

        assertThat(response.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(response.getBody())).isEqualTo(png);
    }

    private static APIGatewayV2HTTPEvent event() {
        return EventLoader.loadApiGatewayHttpEvent("../../events/party-page/get-page.json");
    }

    /** A form the page's own page posts, as the Function URL passes it (base64-encoded when it takes it for binary). */
    private static APIGatewayV2HTTPEvent formPost(APIGatewayV2HTTPEvent page, String action, String form, boolean base64) {
        APIGatewayV2HTTPEvent post = event();
        post.setRawPath(page.getRawPath() + action);
        post.getRequestContext().getHttp().setMethod("POST");
        post.getRequestContext().getHttp().setPath(post.getRawPath());
        Map<String, String> headers = new HashMap<>(page.getHeaders());
        headers.put("content-type", "application/x-www-form-urlencoded");
        headers.put("origin", "https://" + headers.get("host"));
        headers.put("sec-fetch-site", "same-origin");
        post.setHeaders(headers);
        post.setBody(base64 ? Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)) : form);
        post.setIsBase64Encoded(base64);
        return post;
    }

    private static void assertSecurityHeaders(APIGatewayV2HTTPResponse response) {
        assertThat(response.getHeaders().get("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'sha256-")
                .contains("form-action 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(response.getHeaders()).containsEntry("Referrer-Policy", "same-origin")
                .containsEntry("Cache-Control", "no-store").containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("X-Frame-Options", "DENY");
    }

    private static void sale(String paymentIntent, String charge, long amount, String when) {
        Instant at = Instant.parse(when);
        TestLedger.record(store.bookings(), new LedgerLine(SARAH.id(), paymentIntent, charge, LineType.SALE, amount, "usd", at,
                at, at.plusSeconds(20), "course", "cus_Student" + paymentIntent, "evt_" + paymentIntent));
    }
}
