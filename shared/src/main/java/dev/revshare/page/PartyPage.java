package dev.revshare.page;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementDocument;
import dev.revshare.review.ReviewDesk;
import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffState;
import dev.revshare.signoff.SignOffs;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.StatementCsv;
import dev.revshare.statements.StatementEmail;
import dev.revshare.statements.StatementEmailRenderer;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A party's page of an agreement, behind its signed link {@code /p/{token}}: the month so far (computed by the
 * statement engine, as its statement will be), its ledger lines, the payments held for review, and the issued
 * statements with their CSV, JSON and sign-off, where the party acknowledges or objects. HTML rendered here, no
 * script, nothing fetched from elsewhere. Transport-neutral: the Function URL's handler and {@code revshare serve}
 * both hand it a {@link PageRequest}.
 *
 * <p>Whatever is wrong with a request's link (missing, tampered with, expired, another key's, an agreement that is
 * gone) the answer is the same 403 with the same body: it tells nothing about why.
 */
public final class PartyPage {
    private static final Logger log = LoggerFactory.getLogger(PartyPage.class);
    /** Link paths start with this; the token follows. */
    public static final String PREFIX = "/p/";
    /** Requests per link per minute: a person reading and signing off never comes near it. */
    public static final int REQUESTS_PER_MINUTE = 60;
    /** Lines of the month shown on the page; a statement lists them all. */
    static final int LINES_SHOWN = 500;
    /** Lines offered to pick in an objection. */
    static final int OBJECTION_LINES_SHOWN = 200;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.US);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.US);

    private static final String CSS = resource("party-page.css");
    private static final Template PAGE = Mustache.compiler().escapeHTML(true).defaultValue("").emptyStringIsFalse(true).zeroIsFalse(true)
            .compile(resource("party-page.html.mustache"));
    /** No script, no frames, nothing from elsewhere; the one style block allowed by its hash; forms post here only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS) + "'; img-src 'none'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final Map<String, String> SECURITY_HEADERS = securityHeaders();
    private static final byte[] FORBIDDEN = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not "
            + "available</title></head><body><p>This link does not open a page. Links in statement emails work for a "
            + "limited time; the next statement email brings a new one.</p></body></html>").getBytes(StandardCharsets.UTF_8);

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final SignOffs signOffs;
    private final ReviewDesk reviewDesk;
    private final MonthlyStatementRun engine;
    private final PageTokens tokens;
    private final RequestLimit limiter;
    private final Clock clock;

    /**
     * @param engine the statement engine: the month so far is its {@link MonthlyStatementRun#preview}, nothing else
     */
    public PartyPage(AgreementStore agreements, StatementStore statements, SignOffs signOffs, ReviewDesk reviewDesk,
                     MonthlyStatementRun engine, PageTokens tokens, RequestLimit limiter, Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.signOffs = signOffs;
        this.reviewDesk = reviewDesk;
        this.engine = engine;
        this.tokens = tokens;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** The limiter the page uses by default: {@link #REQUESTS_PER_MINUTE} per link. */
    public static RateLimiter defaultLimiter(Clock clock) {
        return new RateLimiter(REQUESTS_PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    /** The link a party's statement email carries: {@code base} (the page's address, ending in /) then the token. */
    public static String link(String base, String token) {
        return SignedPartyLinks.link(base, token);
    }

    public PageResponse handle(PageRequest request) {
        if (!request.path().startsWith(PREFIX)) {
            return forbidden();
        }
        String[] parts = request.path().substring(PREFIX.length()).split("/", -1);
        String token = parts[0];
        // a link that is not ours is refused at the cost of one HMAC, touching nothing: only links that open a page
        // are counted (a count per made-up link would be a write per request of a flood)
        Optional<PageTokens.Access> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            return forbidden();
        }
        PageTokens.Access access = verified.get();
        boolean allowed;
        try {
            allowed = limiter.allow(token);
        } catch (RuntimeException e) {
            // the count is kept in the table the page reads: without it, there is no page to show either
            log.error("agreement {}: a {} page request could not be counted against its link's limit", access.agreementId(),
                    access.side().word(), e);
            return unavailable();
        }
        if (!allowed) {
            return PageResponse.of(429, "text/plain; charset=utf-8",
                    "Too many requests for this link: wait a minute.".getBytes(StandardCharsets.UTF_8),
                    Map.of("Retry-After", Long.toString(limiter.retryAfterSeconds(token))));
        }
        Optional<Agreement> found = agreements.find(access.agreementId());
        if (found.isEmpty()) {
            return forbidden();
        }
        Agreement agreement = found.get();
        List<String> rest = List.of(parts).subList(1, parts.length);
        try {
            if (rest.isEmpty() || rest.equals(List.of(""))) {
                return switch (request.method()) {
                    case "GET", "HEAD" -> page(agreement, access, token, banner(request.query()));
                    default -> methodNotAllowed();
                };
            }
            if (rest.size() == 2 && rest.get(0).equals("statements") && "GET".equals(request.method())) {
                return download(agreement, rest.get(1));
            }
            if (rest.size() == 3 && rest.get(0).equals("statements") && "POST".equals(request.method())) {
                return post(agreement, access, token, request, rest.get(1), rest.get(2));
            }
            return notFound();
        } catch (RuntimeException e) {
            log.error("agreement {}: the {} page failed", agreement.id(), access.side().word(), e);
            return unavailable();
        }
    }

    /** The 500 of a page that failed (the store, the secret, a bug): with the security headers, and nothing about why. */
    public static PageResponse unavailable() {
        return PageResponse.of(500, "text/plain; charset=utf-8",
                "The page could not be shown just now; try again in a few minutes.".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    // ------------------------------------------------------------------ answers

    static PageResponse forbidden() {
        return PageResponse.of(403, "text/html; charset=utf-8", FORBIDDEN, Map.of());
    }

    private static PageResponse notFound() {
        return PageResponse.of(404, "text/plain; charset=utf-8", "No such page.".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static PageResponse methodNotAllowed() {
        return PageResponse.of(405, "text/plain; charset=utf-8", "Not allowed.".getBytes(StandardCharsets.UTF_8),
                Map.of("Allow", "GET, POST"));
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        // the link is the key: never sent to another site as a referrer, never kept by a cache ("no-referrer" would make
        // browsers send "Origin: null" with the page's own forms, which the cross-site check refuses)
        headers.put("Referrer-Policy", "same-origin");
        headers.put("Cache-Control", "no-store");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        return headers;
    }

    /** A statement's CSV or JSON, as attached to its email. */
    private PageResponse download(Agreement agreement, String file) {
        int dot = file.lastIndexOf('.');
        YearMonth period = dot < 0 ? null : month(file.substring(0, dot));
        String kind = dot < 0 ? "" : file.substring(dot + 1);
        if (period == null || !Set.of("csv", "json").contains(kind)) {
            return notFound();
        }
        Optional<StoredStatement> stored = statements.find(agreement.id(), period);
        if (stored.isEmpty()) {
            return notFound();
        }
        Statement statement = stored.get().statement();
        String name = StatementEmail.reference(agreement, statement) + "." + kind;
        Map<String, String> disposition = Map.of("Content-Disposition", "attachment; filename=\"" + name + "\"");
        return "csv".equals(kind)
                ? PageResponse.of(200, "text/csv; charset=utf-8",
                        StatementCsv.write(statement, agreement.timezone()).getBytes(StandardCharsets.UTF_8), disposition)
                : PageResponse.of(200, "application/json", StatementDocument.writePretty(statement,
                        signOffs.document(agreement, stored.get(), clock.instant()))
                        .getBytes(StandardCharsets.UTF_8), disposition);
    }

    /** Acknowledge or object: from this page only (its form token, and no other site's origin), then back to the page. */
    private PageResponse post(Agreement agreement, PageTokens.Access access, String token, PageRequest request,
                              String monthText, String action) {
        Map<String, List<String>> form = form(request.body());
        if (crossSite(request) || !tokens.formTokenMatches(token, first(form, "csrf"))) {
            return forbidden();
        }
        YearMonth period = month(monthText);
        if (period == null || !Set.of("acknowledge", "object").contains(action)
                || statements.findWithoutLines(agreement.id(), period).isEmpty()) {
            return notFound();
        }
        SignOffs.Result result = "acknowledge".equals(action)
                ? signOffs.acknowledge(agreement.id(), period, access.side())
                : signOffs.object(agreement.id(), period, access.side(), form.getOrDefault("line", List.of()), first(form, "reason"));
        String done = switch (result.outcome()) {
            case RECORDED -> "acknowledge".equals(action) ? "acknowledged" : "objected";
            case ALREADY_DONE -> "already";
            case NOT_OPEN -> "closed";
            case REFUSED -> "refused";
        };
        return PageResponse.of(303, "text/plain; charset=utf-8", new byte[0],
                Map.of("Location", PREFIX + token + "?done=" + done + "&month=" + period + "#s-" + period));
    }

    /**
     * A post another site made the browser send: browsers name the requesting site in Sec-Fetch-Site and the origin in
     * Origin; either, when present, must be this site's.
     */
    static boolean crossSite(PageRequest request) {
        String site = request.header("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return true;
        }
        String origin = request.header("origin");
        if (origin == null) {
            return false;
        }
        String host = request.header("host");
        try {
            URI uri = URI.create(origin);
            return host == null || uri.getAuthority() == null || !uri.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException notAnOrigin) {
            return true;
        }
    }

    // ------------------------------------------------------------------ the page

    private static final Map<String, String> BANNERS = Map.of(
            "acknowledged", "Thank you: your acknowledgement of the statement for %s is recorded.",
            "objected", "Your objection to the statement for %s is recorded and was sent to the other party.",
            "already", "You had already signed off the statement for %s: nothing changed.",
            "closed", "The statement for %s can no longer be signed off: nothing changed.",
            "refused", "Nothing was recorded for %s: an objection needs a reason (and lines of that statement).");

    /** The note after a post, from a fixed list (nothing the request says is echoed). */
    private static Map<String, Object> banner(String query) {
        Map<String, List<String>> params = form(query);
        String done = first(params, "done");
        YearMonth month = month(first(params, "month"));
        if (done == null || month == null || !BANNERS.containsKey(done)) {
            return null;
        }
        return Map.of("text", String.format(BANNERS.get(done), month.format(MONTH)),
                "warn", !done.equals("acknowledged") && !done.equals("objected"));
    }

    private PageResponse page(Agreement agreement, PageTokens.Access access, String token, Map<String, Object> banner) {
        Instant now = clock.instant();
        String currency = agreement.currency();
        Side side = access.side();
        Map<String, Object> view = new HashMap<>();
        view.put("css", CSS);
        view.put("agreementName", agreement.name());
        view.put("partyName", side.of(agreement).name());
        view.put("side", side.word());
        view.put("otherSide", side.other().word());
        view.put("otherName", side.other().of(agreement).name());
        view.put("expertName", agreement.expert().name());
        view.put("partnerName", agreement.partner().name());
        view.put("currency", currency.toUpperCase(Locale.ROOT));
        view.put("timezone", agreement.timezone().getId());
        view.put("expires", DAY.format(access.expiresAt().atZone(agreement.timezone())));
        if (banner != null) {
            view.put("banner", banner);
        }
        monthSoFar(agreement, now, view);
        List<Map<String, Object>> held = new ArrayList<>();
        for (ReviewDesk.HeldPayment payment : reviewDesk.held(agreement)) {
            held.add(Map.of("saleId", payment.saleId(), "since", DAY.format(payment.firstAt().atZone(agreement.timezone())),
                    "category", payment.category() == null ? "none" : payment.category(),
                    "reasons", String.join("; ", payment.reasons()),
                    "amount", Money.format(payment.heldAmount(), payment.currency() == null ? currency : payment.currency())));
        }
        view.put("held", held);
        view.put("hasHeld", !held.isEmpty());
        view.put("heldCount", held.size());
        view.put("statements", issued(agreement, side, token, now));
        return PageResponse.of(200, "text/html; charset=utf-8", PAGE.execute(view).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The month in progress in the agreement's zone, as the statement engine computes it now. */
    private void monthSoFar(Agreement agreement, Instant now, Map<String, Object> view) {
        YearMonth month = agreement.monthOf(now);
        view.put("monthTitle", month.format(MONTH) + " so far");
        if (month.isBefore(agreement.firstMonth())) {
            view.put("noMonth", "The term starts on " + DAY.format(agreement.termStart()) + ".");
            return;
        }
        Statement statement;
        try {
            statement = engine.preview(agreement.id(), month);
        } catch (IllegalArgumentException nothingToCompute) {
            view.put("noMonth", nothingToCompute.getMessage());
            return;
        }
        String currency = statement.currency();
        Statement.Totals totals = statement.totals();
        Map<String, Object> m = new HashMap<>();
        m.put("monthName", month.format(MONTH));
        m.put("grossSales", Money.format(totals.grossSales(), currency));
        m.put("refunds", Money.format(-totals.refunds(), currency));
        m.put("disputes", Money.format(-totals.disputes(), currency));
        m.put("netRevenue", Money.format(totals.netRevenue(), currency));
        m.put("expertShare", Money.format(totals.expertShare(), currency));
        m.put("partnerShare", Money.format(totals.partnerShare(), currency));
        List<Map<String, Object>> years = new ArrayList<>();
        for (Statement.YearSummary year : statement.years()) {
            years.add(Map.of("year", year.agreementYear(), "capUsed", year.cap() == null
                    ? Money.format(year.entitlementToDate(), currency) + " to date, no cap"
                    : Money.format(year.entitlementToDate(), currency) + " of " + Money.format(year.cap(), currency)
                    + (year.capReached() ? " (reached)" : "")));
        }
        m.put("years", years);
        String next = StatementEmailRenderer.nextTermsChange(agreement, month.atEndOfMonth());
        m.put("nextChange", next == null ? "none scheduled" : next);
        Statement.BuyoutQuote quote = statement.buyoutQuote();
        m.put("buyout", quote == null ? "the agreement has no buyout clause"
                : Money.format(quote.amount(), currency) + " (" + quote.multiple().toPlainString() + " × "
                + Money.format(quote.trailingPartnerShare(), currency) + ", the partner's share over " + quote.months()
                + (quote.months() == 1 ? " month)" : " months)"));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Statement.StatementLine line : statement.lines().subList(0, Math.min(LINES_SHOWN, statement.lines().size()))) {
            lines.add(line(agreement, statement, line));
        }
        m.put("lines", lines);
        m.put("hasLines", !lines.isEmpty());
        m.put("lineCount", statement.lines().size());
        int more = statement.lines().size() - lines.size();
        if (more > 0) {
            m.put("moreLines", more);
        }
        view.put("month", m);
    }

    private static Map<String, Object> line(Agreement agreement, Statement statement, Statement.StatementLine line) {
        Map<String, Object> row = new HashMap<>();
        row.put("date", DAY_TIME.format(line.time().atZone(agreement.timezone())));
        row.put("stripeId", line.stripeId() == null ? line.lineId() : line.stripeId());
        row.put("type", line.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (line.priorPeriod() ? " (adjusts an earlier month)" : ""));
        row.put("category", line.category() == null ? "none" : line.category());
        row.put("counted", line.classification().name().toLowerCase(Locale.ROOT)
                + (line.rate() == null ? "" : ", year " + line.agreementYear() + " at " + line.rate().movePointRight(2).stripTrailingZeros().toPlainString() + "%"));
        row.put("why", line.reason() == null ? "" : line.reason());
        row.put("amount", Money.format(line.amount(), line.currency() == null ? statement.currency() : line.currency()));
        row.put("customer", line.customer() == null ? "" : line.customer());
        return row;
    }

    /** The issued statements, newest first, each with its sign-off and, while the party may act, the forms. */
    private List<Map<String, Object>> issued(Agreement agreement, Side side, String token, Instant now) {
        List<Map<String, Object>> issued = new ArrayList<>();
        YearMonth last = agreement.monthOf(now);
        String csrf = tokens.formToken(token);
        for (YearMonth m = last; !m.isBefore(agreement.firstMonth()); m = m.minusMonths(1)) {
            Optional<StoredStatement> found = statements.findWithoutLines(agreement.id(), m);
            if (found.isEmpty()) {
                continue;
            }
            StoredStatement stored = found.get();
            Statement statement = stored.statement();
            String currency = statement.currency();
            SignOffState state = signOffs.state(agreement, stored);
            Map<String, Object> s = new HashMap<>();
            s.put("period", m.toString());
            s.put("monthName", m.format(MONTH));
            s.put("title", (statement.supplementary() ? "Supplementary statement for " : "Statement for ") + m.format(MONTH)
                    + (statement.isFinal() ? " (final statement of the agreement)" : ""));
            s.put("netRevenue", Money.format(statement.totals().netRevenue(), currency));
            s.put("partnerShare", Money.format(statement.totals().partnerShare(), currency));
            s.put("partnerPayable", Money.format(statement.totals().partnerPayable(), currency));
            s.put("state", state.describe(agreement, agreement.timezone()));
            s.put("stateClass", state.status().name().toLowerCase(Locale.ROOT).replace("not_sent", "open"));
            List<Map<String, Object>> objections = new ArrayList<>();
            for (Objection o : state.objections()) {
                Map<String, Object> row = new HashMap<>();
                row.put("id", o.id());
                row.put("by", o.side().of(agreement).name());
                row.put("reason", o.reason());
                if (o.resolution() != null) {
                    row.put("resolution", (o.resolution().partnerAdjustment() == 0 ? "no change"
                            : "the partner's share adjusted by " + Money.format(o.resolution().partnerAdjustment(), currency)
                            + " on the next statement") + " (" + o.resolution().reason() + ")");
                }
                objections.add(row);
            }
            s.put("objections", objections);
            String base = PREFIX + token + "/statements/" + m;
            s.put("csvHref", base + ".csv");
            s.put("jsonHref", base + ".json");
            if (state.canAct(side, now)) {
                s.put("canAct", true);
                s.put("csrf", csrf);
                s.put("ackAction", base + "/acknowledge");
                s.put("objectAction", base + "/object");
                List<Statement.StatementLine> lines = statements.find(agreement.id(), m).orElseThrow().statement().lines();
                List<Map<String, Object>> pick = new ArrayList<>();
                for (Statement.StatementLine line : lines.subList(0, Math.min(OBJECTION_LINES_SHOWN, lines.size()))) {
                    pick.add(Map.of("lineId", line.lineId(), "label", (line.stripeId() == null ? line.lineId() : line.stripeId())
                            + ", " + DAY.format(line.time().atZone(agreement.timezone())) + ", "
                            + line.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", "
                            + Money.format(line.amount(), line.currency() == null ? currency : line.currency()) + ", "
                            + line.classification().name().toLowerCase(Locale.ROOT)));
                }
                s.put("objectLines", pick);
                if (lines.size() > pick.size()) {
                    s.put("moreObjectLines", Map.of("shown", pick.size()));
                }
            }
            issued.add(s);
        }
        return issued;
    }

    // ------------------------------------------------------------------ helpers

    static YearMonth month(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}")) {
            return null;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An application/x-www-form-urlencoded body or query; a malformed one reads as empty. */
    static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new HashMap<>();
        if (body == null || body.isEmpty() || body.length() > 200_000) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException malformed) {
                return new HashMap<>();
            }
        }
        return form;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PartyPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + PartyPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
