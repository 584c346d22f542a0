package dev.revshare.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.StatementDocument;
import dev.revshare.json.StatementHash;
import dev.revshare.statements.StatementResend;
import dev.revshare.testing.ReceivedEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementCsv;
import dev.revshare.time.SettableClock;
import java.util.ArrayList;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The party page on DynamoDB Local: what it shows (the statement engine's month so far, every line, held payments,
 * the issued statements with their files), its links in the statement emails, sign-off through its forms, and every
 * way a request without the right link or from another site is refused without changing anything.
 */
class PartyPageTest {
    private static PageWorld world;

    @BeforeAll
    static void world() {
        world = new PageWorld();
    }

    @Test
    void thePageShowsTheMonthSoFarAsTheStatementEngineComputesIt() {
        String token = world.token(world.sarah, Side.EXPERT);
        PageResponse response = world.get("/p/" + token);

        assertThat(response.status()).isEqualTo(200);
        String html = response.bodyText();
        Statement november = world.run.preview(world.sarah.id(), YearMonth.of(2026, 11));
        assertThat(november.lines()).hasSize(2);
        assertThat(html).contains("November 2026 so far", "The page of Sarah Lee (expert)",
                Money.format(november.totals().grossSales(), "usd"), Money.format(november.totals().netRevenue(), "usd"),
                Money.format(november.totals().partnerShare(), "usd"), Money.format(november.totals().expertShare(), "usd"),
                "ch_nov1", "ch_nov2", "n***@example.com", "cus_Nov2",
                // the cap used, the next change of terms and the buyout quote, all from the same statement
                "of $20,000.00", "1 Nov 2027, agreement year 3 starts",
                Money.format(november.buyoutQuote().amount(), "usd"));
        // the held tip, with its reason, and October's statement with its files
        assertThat(html).contains("pi_tip", "Statement for October 2026", "/statements/2026-10.csv", "/statements/2026-10.json");
        assertThat(html).contains("Open for sign-off until");
        // no script, nothing fetched from elsewhere, no party's address
        assertThat(html).doesNotContain("<script", "src=", "http://", "https://", "sarah@example.com", "books@dalai.example");
    }

    @Test
    void everyResponseCarriesAStrictContentSecurityPolicy() {
        for (PageResponse response : List.of(world.get("/p/" + world.token(world.sarah, Side.PARTNER)), world.get("/p/nonsense"),
                world.get("/"))) {
            String csp = response.headers().get("Content-Security-Policy");
            assertThat(csp).startsWith("default-src 'none'; style-src 'sha256-").contains("form-action 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(response.headers()).containsEntry("Referrer-Policy", "same-origin")
                    .containsEntry("Cache-Control", "no-store").containsEntry("X-Content-Type-Options", "nosniff");
        }
    }

    @Test
    void everyBadLinkGetsTheSame403() {
        String good = world.token(world.sarah, Side.EXPERT);
        String payload = good.substring(0, good.indexOf('.'));
        String mac = good.substring(good.indexOf('.') + 1);
        String asPartner = b64(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).replace(":expert:", ":partner:"));
        assertThat(asPartner).isNotEqualTo(payload);
        String asOther = b64(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
                .replace(world.sarah.id(), world.other.id()));
        String expired = world.tokens.sign(world.sarah.id(), Side.EXPERT, PageWorld.NOW.minus(Duration.ofDays(91)), Duration.ofDays(90));
        String otherKey = new PageTokens(() -> "another-secret-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8),
                world.clock).sign(world.sarah.id(), Side.EXPERT, PageWorld.NOW, Duration.ofDays(90));
        String ghost = world.tokens.sign("no-such-agreement", Side.EXPERT, PageWorld.NOW, Duration.ofDays(90));
        Map<String, String> bad = new HashMap<>();
        bad.put("missing", "/p/");
        bad.put("no path", "/");
        bad.put("garbage", "/p/hello");
        bad.put("the other party's, tampered", "/p/" + asPartner + "." + mac);
        bad.put("another agreement's, tampered", "/p/" + asOther + "." + mac);
        bad.put("a changed signature", "/p/" + payload + "." + mac.substring(0, mac.length() - 2) + (mac.endsWith("AA") ? "AB" : "AA"));
        bad.put("a signature changed in the unused bits of its last character", "/p/" + payload + "." + withUnusedBitFlipped(mac));
        bad.put("no signature", "/p/" + payload);
        bad.put("expired", "/p/" + expired);
        bad.put("signed with another key (a rotated secret)", "/p/" + otherKey);
        bad.put("an agreement that is not there", "/p/" + ghost);
        bad.put("a file behind a bad link", "/p/" + otherKey + "/statements/2026-10.json");

        byte[] forbidden = world.get("/p/hello").body();
        bad.forEach((what, path) -> {
            PageResponse response = world.get(path);
            assertThat(response.status()).as(what).isEqualTo(403);
            assertThat(response.body()).as(what).isEqualTo(forbidden);
        });
        assertThat(new String(forbidden, StandardCharsets.UTF_8)).doesNotContain(world.sarah.name(), "expired", "signature");
    }

    @Test
    void aLinkOpensItsOwnAgreementOnly() {
        String otherToken = world.token(world.other, Side.PARTNER);
        String html = world.get("/p/" + otherToken).bodyText();
        assertThat(html).contains(world.other.name(), "The page of Acme (partner)").doesNotContain(world.sarah.name(), "ch_oct1", "ch_nov1");
        // October of the other agreement: its own lines only
        String json = world.get("/p/" + otherToken + "/statements/2026-10.json").bodyText();
        assertThat(Json.read(json, Statement.class).agreementId()).isEqualTo(world.other.id());
        assertThat(json).doesNotContain("ch_oct1");
    }

    @Test
    void theFilesAreTheStatementsCsvAndJson() {
        String token = world.token(world.sarah, Side.PARTNER);
        Statement october = world.store.statements().find(world.sarah.id(), PageWorld.OCTOBER).orElseThrow().statement();

        PageResponse csv = world.get("/p/" + token + "/statements/2026-10.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.bodyText()).isEqualTo(StatementCsv.write(october, world.sarah.timezone()));
        assertThat(csv.headers().get("Content-Disposition")).isEqualTo("attachment; filename=\"sarah-mindfulness-2026-10.csv\"");
        PageResponse json = world.get("/p/" + token + "/statements/2026-10.json");
        JsonNode document = tree(json.bodyText());
        // the statement as issued, its hash unchanged, then where it stands with the parties as the file is written
        ObjectNode statementPart = document.deepCopy();
        statementPart.remove("signOff");
        assertThat(statementPart).isEqualTo(tree(Json.writePretty(october)));
        assertThat(october.hash()).isNotBlank();
        assertThat(StatementHash.of(document)).isEqualTo(october.hash());
        StatementDocument.SignOff signOff = StatementDocument.signOffOf(document).orElseThrow();
        assertThat(signOff.asOf()).isEqualTo(PageWorld.NOW);
        assertThat(signOff.windowEnds()).isEqualTo(PageWorld.CLOSING_DAY.plus(Duration.ofDays(30)));
        assertThat(signOff.status()).isIn("open", "objected");
        assertThat(world.get("/p/" + token + "/statements/2025-10.json").status()).isEqualTo(404);
        assertThat(world.get("/p/" + token + "/statements/..%2f.json").status()).isEqualTo(404);
    }

    @Test
    void eachPartysStatementEmailCarriesItsOwnSignedLinkAloneAndTheWindow() {
        Map<String, String> bySide = new HashMap<>();
        for (Side side : Side.values()) {
            OutgoingEmail october = world.sent.stream()
                    .filter(e -> e.reference().equals("sarah-mindfulness-2026-10-" + side.word())).findFirst().orElseThrow();
            assertThat(october.recipients()).isEqualTo(side.of(world.sarah).emails());
            Matcher links = Pattern.compile("https://page\\.example/p/[A-Za-z0-9_.-]+").matcher(october.text());
            List<String> urls = new ArrayList<>();
            while (links.find()) {
                urls.add(links.group());
            }
            // the other party's link is not in this party's message: neither can act as the other
            assertThat(urls).as("links in the %s's message", side.word()).singleElement().satisfies(url -> {
                PageTokens.Access access = world.tokens.verify(url.substring(url.indexOf("/p/") + 3)).orElseThrow();
                assertThat(access.side()).isEqualTo(side);
                assertThat(access.agreementId()).isEqualTo(world.sarah.id());
                assertThat(access.issuedAt()).isEqualTo(PageWorld.CLOSING_DAY);
                assertThat(access.expiresAt()).isEqualTo(PageWorld.CLOSING_DAY.plus(Duration.ofDays(90)));
            });
            assertThat(october.text()).contains("Sign off this statement by 5 Dec 2026");
            assertThat(october.html()).contains("Sign off this statement</b> by 5 Dec 2026", urls.get(0));
            // its JSON attachment: the statement as stored (same hash), open for sign-off from the day it was sent
            JsonNode attached = tree(ReceivedEmail.parse(october.mime()).attachments
                    .get("sarah-mindfulness-2026-10.json"));
            assertThat(StatementHash.of(attached)).isEqualTo(world.store.statements().find(world.sarah.id(), PageWorld.OCTOBER)
                    .orElseThrow().statement().hash());
            assertThat(StatementDocument.signOffOf(attached).orElseThrow()).isEqualTo(new StatementDocument.SignOff("open",
                    "Open for sign-off until 5 Dec 2026", PageWorld.CLOSING_DAY, PageWorld.CLOSING_DAY.plus(Duration.ofDays(30)),
                    List.of(), List.of()));
            bySide.put(side.word(), urls.get(0));
        }
        assertThat(bySide.get("expert")).isNotEqualTo(bySide.get("partner"));
        // a new link in each email
        OutgoingEmail september = world.sent.stream().filter(e -> e.reference().equals("sarah-mindfulness-2026-09-partner"))
                .findFirst().orElseThrow();
        assertThat(september.text()).doesNotContain(bySide.get("partner"));
    }

    @Test
    void crossSitePostsAreRefusedAndChangeNothing() {
        String token = world.token(world.other, Side.EXPERT);
        String csrf = world.tokens.formToken(token);
        String action = "/p/" + token + "/statements/2026-10/acknowledge";
        String sarahsCsrf = world.tokens.formToken(world.token(world.sarah, Side.EXPERT));
        Map<String, Map.Entry<String, Map<String, String>>> attempts = Map.of(
                "no form token", Map.entry("", sameSite()),
                "the form token of another link", Map.entry("csrf=" + sarahsCsrf, sameSite()),
                "another site's origin", Map.entry("csrf=" + csrf, Map.of("host", "page.example", "origin", "https://evil.example")),
                "an opaque origin", Map.entry("csrf=" + csrf, Map.of("host", "page.example", "origin", "null")),
                "a cross-site fetch", Map.entry("csrf=" + csrf, Map.of("host", "page.example", "sec-fetch-site", "cross-site")),
                "a same-site (subdomain) fetch", Map.entry("csrf=" + csrf, Map.of("host", "page.example", "sec-fetch-site", "same-site")));
        attempts.forEach((what, attempt) -> {
            PageResponse response = world.post(action, attempt.getKey(), attempt.getValue());
            assertThat(response.status()).as(what).isEqualTo(403);
        });
        assertThat(world.signOffStore.acknowledgements(world.other.id(), PageWorld.OCTOBER)).isEmpty();

        // from the page itself, it is recorded
        PageResponse ok = world.post(action, "csrf=" + csrf);
        assertThat(ok.status()).isEqualTo(303);
        assertThat(world.signOffStore.acknowledgements(world.other.id(), PageWorld.OCTOBER)).extracting(a -> a.side()).containsExactly(Side.EXPERT);
    }

    @Test
    void aPartyAcknowledgesOnceAndTheOtherObjectsToLinesWithAReason() {
        String expert = world.token(world.sarah, Side.EXPERT);
        String partner = world.token(world.sarah, Side.PARTNER);
        String october = "/statements/2026-10/";

        PageResponse acknowledged = world.post("/p/" + expert + october + "acknowledge", "csrf=" + world.tokens.formToken(expert));
        assertThat(acknowledged.status()).isEqualTo(303);
        assertThat(acknowledged.headers().get("Location")).isEqualTo("/p/" + expert + "?done=acknowledged&month=2026-10#s-2026-10");
        assertThat(world.get("/p/" + expert, "done=acknowledged&month=2026-10").bodyText())
                .contains("your acknowledgement of the statement for October 2026 is recorded", "acknowledged by Sarah Lee (expert)")
                .doesNotContain("Acknowledge the statement for October 2026");
        PageResponse again = world.post("/p/" + expert + october + "acknowledge", "csrf=" + world.tokens.formToken(expert));
        assertThat(again.headers().get("Location")).contains("done=already");

        int emailsBefore = world.sent.size();
        String noReason = "csrf=" + world.tokens.formToken(partner) + "&line=re_oct2&reason=%20";
        assertThat(world.post("/p/" + partner + october + "object", noReason).headers().get("Location")).contains("done=refused");
        String unknownLine = "csrf=" + world.tokens.formToken(partner) + "&line=ch_nope&reason=wrong";
        assertThat(world.post("/p/" + partner + october + "object", unknownLine).headers().get("Location")).contains("done=refused");
        assertThat(world.signOffStore.objections(world.sarah.id())).isEmpty();

        String reason = "The refund re_oct2 was for <another> course & should not count";
        String form = "csrf=" + world.tokens.formToken(partner) + "&line=re_oct2&line=pi_oct3&reason="
                + URLEncoder.encode(reason, StandardCharsets.UTF_8);
        assertThat(world.post("/p/" + partner + october + "object", form).headers().get("Location")).contains("done=objected");

        List<Objection> objections = world.signOffStore.objections(world.sarah.id());
        assertThat(objections).singleElement().satisfies(o -> {
            assertThat(o.side()).isEqualTo(Side.PARTNER);
            assertThat(o.lineIds()).containsExactly("re_oct2", "pi_oct3");
            assertThat(o.reason()).isEqualTo(reason);
        });
        // emailed to the other party
        assertThat(world.sent).hasSize(emailsBefore + 1);
        OutgoingEmail email = world.sent.get(world.sent.size() - 1);
        assertThat(email.recipients()).containsExactly("sarah@example.com");
        assertThat(email.text()).contains(reason, "re_oct2", "pi_oct3".replace("pi_", "ch_"), objections.get(0).id());
        String html = world.get("/p/" + partner).bodyText();
        assertThat(html).contains("Objected to by Dalai Digital (partner)",
                "The refund re_oct2 was for &lt;another&gt; course &amp; should not count");
        // the JSON either party downloads now says so
        StatementDocument.SignOff signOff = StatementDocument.signOffOf(tree(
                world.get("/p/" + expert + "/statements/2026-10.json").bodyText())).orElseThrow();
        assertThat(signOff.status()).isEqualTo("objected");
        assertThat(signOff.acknowledgedBy()).containsExactly("expert");
        assertThat(signOff.objections()).containsExactly(new StatementDocument.ObjectionNote(objections.get(0).id(), "partner", true));
        assertThat(signOff.summary()).startsWith("Objected to by Dalai Digital (partner)");

        // a message sent again now says where the statement stands, in its text and its JSON, not "sign off by"
        List<OutgoingEmail> resent = new ArrayList<>();
        new StatementResend(world.store.agreements(), world.store.statements(), world.signOffs::document, message -> {
            resent.add(message);
            return "resent-1";
        }, "statements@revshare.example", new SignedPartyLinks(world.tokens, PageWorld.BASE), world.clock)
                .resend(world.sarah.id(), PageWorld.OCTOBER, Side.PARTNER, List.of("dalai.books@example.org"), "ops@revshare.example");
        assertThat(resent).singleElement().satisfies(message -> {
            assertThat(message.text()).contains("Sign-off: Objected to by Dalai Digital (partner)").doesNotContain("Sign off this statement by");
            JsonNode attached = tree(ReceivedEmail.parse(message.mime()).attachments.get("sarah-mindfulness-2026-10.json"));
            assertThat(StatementDocument.signOffOf(attached).orElseThrow().status()).isEqualTo("objected");
            assertThat(StatementDocument.signOffOf(attached).orElseThrow().windowEnds())
                    .isEqualTo(PageWorld.CLOSING_DAY.plus(Duration.ofDays(30)));
        });
    }

    @Test
    void requestsAreLimitedPerLink() {
        SettableClock clock = new SettableClock(PageWorld.NOW);
        PartyPage limited = new PartyPage(world.store.agreements(), world.store.statements(), world.signOffs,
                new dev.revshare.review.ReviewDesk(world.store.agreements(), world.store.ledger(), world.store.bookings(), clock),
                world.run, world.tokens, new RateLimiter(3, Duration.ofMinutes(1), clock), world.clock);
        String token = world.token(world.sarah, Side.PARTNER);
        PageRequest request = new PageRequest("GET", "/p/" + token + "/statements/2026-10.json", null, Map.of(), null);
        for (int i = 0; i < 3; i++) {
            assertThat(limited.handle(request).status()).isEqualTo(200);
        }
        PageResponse refused = limited.handle(request);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("Retry-After", "60");
        // another link is counted on its own
        assertThat(limited.handle(new PageRequest("GET", "/p/" + world.token(world.sarah, Side.EXPERT) + "/statements/2026-10.json",
                null, Map.of(), null)).status()).isEqualTo(200);
        clock.set(PageWorld.NOW.plusSeconds(61));
        assertThat(limited.handle(request).status()).isEqualTo(200);
    }

    @Test
    void aLinkWhoseRequestCannotBeCountedGetsThe500AndABadOneIsNotCounted() {
        List<String> counted = new ArrayList<>();
        RequestLimit failing = new RequestLimit() {
            @Override
            public boolean allow(String key) {
                counted.add(key);
                throw new IllegalStateException("the table did not answer");
            }

            @Override
            public long retryAfterSeconds(String key) {
                return 60;
            }
        };
        PartyPage page = new PartyPage(world.store.agreements(), world.store.statements(), world.signOffs,
                new dev.revshare.review.ReviewDesk(world.store.agreements(), world.store.ledger(), world.store.bookings(), world.clock),
                world.run, world.tokens, failing, world.clock);

        assertThat(page.handle(new PageRequest("GET", "/p/hello", null, Map.of(), null)).status()).isEqualTo(403);
        assertThat(counted).as("a link that is not ours costs no count").isEmpty();
        PageResponse failed = page.handle(new PageRequest("GET", "/p/" + world.token(world.sarah, Side.EXPERT), null, Map.of(), null));
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.bodyText()).doesNotContain(world.sarah.name(), "table");
        assertThat(counted).hasSize(1);
    }

    private static Map<String, String> sameSite() {
        return Map.of("host", "page.example", "origin", "https://page.example", "sec-fetch-site", "same-origin");
    }

    /** A 32-byte signature is 43 characters, whose last carries 2 bits no byte uses: a decoder reads the same bytes. */
    private static String withUnusedBitFlipped(String signature) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = signature.charAt(signature.length() - 1);
        String changed = signature.substring(0, signature.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(Base64.getUrlDecoder().decode(changed)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        return changed;
    }

    private static JsonNode tree(String json) {
        return Json.read(json, JsonNode.class);
    }

    private static JsonNode tree(byte[] json) {
        return tree(new String(json, StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
