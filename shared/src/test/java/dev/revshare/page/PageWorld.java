package dev.revshare.page;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.review.ReviewDesk;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.signoff.SignOffs;
import dev.revshare.domain.Side;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.OutgoingEmail;
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
import java.util.List;
import java.util.Map;

/**
 * Two agreements on DynamoDB Local with their statements issued by the real run up to October 2026 (emailed with
 * each party's link), and November's lines booked so far; the party page over them, at 20 November 2026.
 */
final class PageWorld {
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final Instant CLOSING_DAY = Instant.parse("2026-11-05T06:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final String BASE = "https://page.example/";

    /** 25 % to the partner, a cap, a buyout clause, courses shared and tips held for review. */
    final Agreement sarah = sarahWithTerms();
    final Agreement other = TestAgreements.sarahCourse("acct_1OtherExample");
    final SettableClock clock = new SettableClock(CLOSING_DAY);
    final DynamoDbStores store = LocalDynamoDb.newStore();
    final SignOffStore signOffStore = DynamoDbStores.signOffsOver(LocalDynamoDb::client, store.tableName());
    final byte[] secret = "a-page-secret-of-at-least-32-bytes-for-tests".getBytes(StandardCharsets.UTF_8);
    final PageTokens tokens = new PageTokens(() -> secret, clock);
    final List<OutgoingEmail> sent = new ArrayList<>();
    final StatementMailer mailer = email -> {
        sent.add(email);
        return "message-" + sent.size();
    };
    final MonthlyStatementRun run;
    final SignOffs signOffs;
    final PartyPage page;

    PageWorld() {
        this(PartyPage.defaultLimiter(new SettableClock(NOW)));
    }

    PageWorld(RateLimiter limiter) {
        store.agreements().put(sarah, Instant.parse("2025-10-01T00:00:00Z"));
        store.agreements().put(other, Instant.parse("2025-10-01T00:00:00Z"));
        run = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), mailer,
                (statement, messageId) -> { }, "statements@revshare.example", clock, MonthlyStatementRun.DEFAULT_GRACE,
                dev.revshare.statements.BeforeClosing.NOTHING, new SignedPartyLinks(tokens, BASE), SignOffs.adjustments(signOffStore));
        // October: three sales, a refund of one of them, a payment held for review (a tip)
        sale("pi_oct1", "ch_oct1", 29_700, "2026-10-03T09:00:00Z", "course", "s***@example.com");
        sale("pi_oct2", "ch_oct2", 29_700, "2026-10-12T15:30:00Z", "course", "cus_Q1w2E3r4");
        sale("pi_oct3", "ch_oct3", 15_000, "2026-10-21T11:00:00Z", "course", "m***@example.org");
        line(new LedgerLine(sarah.id(), "re_oct2", "re_oct2", LineType.REFUND, -29_700, "usd", at("2026-10-25T08:00:00Z"),
                at("2026-10-12T15:30:00Z"), at("2026-10-25T08:00:05Z"), "course", "cus_Q1w2E3r4", "evt_re_oct2", "pi_oct2"));
        sale("pi_tip", "ch_tip", 2_000, "2026-10-28T18:00:00Z", "tip", "cus_Tip1");
        sale("pi_other", "ch_other", 50_000, "2026-10-10T10:00:00Z", "course", "cus_Other1", other);
        clock.set(CLOSING_DAY);
        run.run(CLOSING_DAY, null, null);
        // November so far
        sale("pi_nov1", "ch_nov1", 29_700, "2026-11-02T09:00:00Z", "course", "n***@example.com");
        sale("pi_nov2", "ch_nov2", 15_000, "2026-11-14T12:00:00Z", "course", "cus_Nov2");
        clock.set(NOW);
        signOffs = new SignOffs(store.agreements(), store.statements(), signOffStore, mailer, "statements@revshare.example", clock);
        page = new PartyPage(store.agreements(), store.statements(), signOffs,
                new ReviewDesk(store.agreements(), store.ledger(), store.bookings(), clock), run, tokens, limiter, clock);
    }

    private static Agreement sarahWithTerms() {
        Agreement plain = TestAgreements.sarahMindfulness();
        return new Agreement(plain.id(), plain.name(), plain.expert(), plain.partner(), plain.stripeAccount(), plain.currency(),
                plain.timezone(), plain.termStart(), java.time.LocalDate.of(2028, 10, 31), plain.split(),
                new dev.revshare.domain.RevenueDefinition(List.of("course"), Map.of(), List.of("tip"), Map.of(), null),
                2_000_000L, List.of(), null, new java.math.BigDecimal("2.5"), Agreement.DEFAULT_SETTLEMENT_DAYS);
    }

    String token(Agreement agreement, Side side) {
        return tokens.sign(agreement.id(), side, NOW.minus(Duration.ofDays(15)), Duration.ofDays(90));
    }

    PageResponse get(String path) {
        return page.handle(new PageRequest("GET", path, null, Map.of("host", "page.example"), null));
    }

    PageResponse get(String path, String query) {
        return page.handle(new PageRequest("GET", path, query, Map.of("host", "page.example"), null));
    }

    /** A post as a browser sends it from the page itself. */
    PageResponse post(String path, String form) {
        return post(path, form, Map.of("host", "page.example", "origin", "https://page.example", "sec-fetch-site", "same-origin",
                "content-type", "application/x-www-form-urlencoded"));
    }

    PageResponse post(String path, String form, Map<String, String> headers) {
        return page.handle(new PageRequest("POST", path, null, headers, form));
    }

    private void sale(String paymentIntent, String charge, long amount, String when, String category, String customer) {
        sale(paymentIntent, charge, amount, when, category, customer, sarah);
    }

    private void sale(String paymentIntent, String charge, long amount, String when, String category, String customer,
                      Agreement agreement) {
        Instant at = at(when);
        line(new LedgerLine(agreement.id(), paymentIntent, charge, LineType.SALE, amount, "usd", at, at, at.plusSeconds(20),
                category, customer, "evt_" + paymentIntent));
    }

    private void line(LedgerLine line) {
        TestLedger.record(store.bookings(), line);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}
