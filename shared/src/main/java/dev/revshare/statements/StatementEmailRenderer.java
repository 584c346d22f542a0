package dev.revshare.statements;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.domain.SignOffWindow;
import dev.revshare.json.StatementDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a statement as the email both parties read: a subject, an HTML body and a plain-text body. */
public final class StatementEmailRenderer {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.US);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);
    private static final DateTimeFormatter SHORT_MONTH = DateTimeFormatter.ofPattern("MMM yy", Locale.US);

    private final Template html = compile("statement.html.mustache", true);
    private final Template text = compile("statement.txt.mustache", false);

    /** The chart's Content-ID: the HTML shows it as {@code cid:chart@revshare}, carried in the message. */
    public static final String CHART_CONTENT_ID = "chart@revshare";
    /**
     * More lines than this (of the ledger, and of those not shared) are in the attached CSV only: an email stays
     * readable, and small, in any month.
     */
    static final int LINES_SHOWN = 60;

    public Rendered render(Agreement agreement, Statement statement) {
        return render(agreement, statement, PartyLinks.Block.NONE, null);
    }

    /**
     * @param links   the party's link to its page (none: the block says the message could not carry it)
     * @param signOff where the statement stands with the two parties as the message goes out (null: no block)
     */
    public Rendered render(Agreement agreement, Statement statement, PartyLinks.Block links, StatementDocument.SignOff signOff) {
        Map<String, Object> view = view(agreement, statement);
        // the window runs whether or not the message carries the link: each party is told until when it may object
        boolean block = signOff != null && signOff.windowEnds() != null;
        view.put("hasSignOff", block);
        view.put("hasPageLinks", block && !links.links().isEmpty());
        view.put("pageLinks", links.links());
        view.put("signOffOpen", block && signOff.open());
        view.put("signOffUntil", block ? SignOffWindow.day(signOff.windowEnds(), agreement.timezone()) : "");
        view.put("signOffState", block ? signOff.summary() : "");
        byte[] chart = StatementChart.worthDrawing(statement) ? StatementChart.png(statement.recentPartnerShares()) : null;
        view.put("chart", chart != null);
        String subject = agreement.name() + ": " + (statement.supplementary() ? "supplementary statement" : "statement")
                + " for " + view.get("month") + ", partner share " + view.get("partnerShare");
        return new Rendered(subject, html.execute(view), text.execute(view), chart);
    }

    /**
     * The first date after {@code day} on which the agreement's terms change, and what changes then; null when none.
     * The page of each party shows it as the email does.
     */
    public static String nextTermsChange(Agreement agreement, java.time.LocalDate day) {
        return StatementTerms.nextCheckpoint(agreement, day);
    }

    /** @param chartPng the chart of recent months, or null when there is no history yet */
    public record Rendered(String subject, String html, String text, byte[] chartPng) {}

    private static Map<String, Object> view(Agreement agreement, Statement statement) {
        String currency = statement.currency();
        Statement.Totals totals = statement.totals();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("agreementName", agreement.name());
        view.put("expertName", agreement.expert().name());
        view.put("partnerName", agreement.partner().name());
        view.put("month", statement.period().format(MONTH));
        view.put("period", statement.period().toString());
        view.put("currency", currency.toUpperCase(Locale.ROOT));
        view.put("timezone", agreement.timezone().getId());
        view.put("termStart", agreement.termStart().format(DAY));
        view.put("termEnd", agreement.termEnd() == null ? "open-ended" : agreement.termEnd().format(DAY));
        view.put("final", statement.isFinal());
        view.put("supplementary", statement.supplementary());
        view.put("kind", statement.supplementary() ? "Supplementary revenue-share statement" : "Revenue-share statement");
        view.put("settlement", statement.supplementary() ? "settlement of the late lines" : "final settlement");
        YearMonth finalMonth = agreement.finalMonth();
        view.put("finalMonth", finalMonth == null ? "" : finalMonth.format(MONTH));
        view.put("grossSales", Money.format(totals.grossSales(), currency));
        view.put("refunds", takenOff(totals.refunds(), currency));
        view.put("disputes", takenOff(totals.disputes(), currency));
        view.put("hasDisputes", totals.disputes() != 0);
        view.put("carriedIn", Money.format(totals.carriedIn(), currency));
        view.put("hasCarriedIn", totals.carriedIn() != 0);
        view.put("partnerPayable", Money.format(totals.partnerPayable(), currency));
        view.put("partnerRepays", totals.partnerPayable() < 0);
        view.put("partnerRepayment", Money.format(-totals.partnerPayable(), currency));
        view.put("carriedForward", Money.format(totals.carriedForward(), currency));
        view.put("hasCarriedForward", totals.carriedForward() != 0);
        Statement.BuyoutQuote quote = statement.buyoutQuote();
        if (quote != null) {
            view.put("buyout", Map.of("amount", Money.format(quote.amount(), currency), "multiple", quote.multiple().toPlainString(),
                    "months", quote.months(), "trailing", Money.format(quote.trailingPartnerShare(), currency),
                    "due", quote.due()));
        }
        view.put("netRevenue", Money.format(totals.netRevenue(), currency));
        view.put("partnerShare", Money.format(totals.partnerShare(), currency));
        view.put("expertShare", Money.format(totals.expertShare(), currency));
        view.put("excluded", Money.format(totals.excluded(), currency));
        view.put("pendingReview", Money.format(totals.pendingReview(), currency));
        List<Map<String, Object>> years = new ArrayList<>();
        for (Statement.YearSummary year : statement.years()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("year", year.agreementYear());
            row.put("percent", year.rate().movePointRight(2).stripTrailingZeros().toPlainString());
            row.put("entitlement", Money.format(year.entitlementToDate(), currency));
            if (year.cap() != null) {
                row.put("cap", Money.format(year.cap(), currency));
                row.put("capReached", year.capReached());
                // whole percent, rounded down: "100% used" only once the cap is reached
                row.put("capUsedPercent", year.cap() == 0 ? "100" : Long.toString(year.entitlementToDate() * 100L / year.cap()));
                row.put("capLeft", Money.format(Math.max(0, year.cap() - year.entitlementToDate()), currency));
            }
            years.add(row);
        }
        view.put("years", years);
        // the body shows the first lines of each list; every line is in the attached CSV, so any month stays a
        // message mail clients open quickly and SES accepts
        List<Statement.StatementLine> all = statement.lines();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Statement.StatementLine line : all.subList(0, Math.min(all.size(), LINES_SHOWN))) {
            lines.add(row(agreement, line));
        }
        view.put("lines", lines);
        view.put("lineCount", all.size());
        view.put("linesNotShown", Math.max(0, all.size() - LINES_SHOWN));
        view.put("someLinesNotShown", all.size() > LINES_SHOWN);
        List<Map<String, Object>> notShared = new ArrayList<>();
        int notSharedCount = 0;
        for (Statement.StatementLine line : all) {
            if (line.classification() != Classification.SHARED && notSharedCount++ < LINES_SHOWN) {
                notShared.add(row(agreement, line));
            }
        }
        view.put("notShared", notShared);
        view.put("hasNotShared", notSharedCount > 0);
        view.put("notSharedNotShown", Math.max(0, notSharedCount - LINES_SHOWN));
        view.put("someNotSharedNotShown", notSharedCount > LINES_SHOWN);
        view.put("compressed", StatementAttachments.compressed(statement));
        List<Statement.StatementLine> adjustments = all.stream().filter(Statement.StatementLine::priorPeriod).toList();
        view.put("hasAdjustments", !adjustments.isEmpty());
        view.put("adjustmentCount", adjustments.size());
        view.put("adjustmentsShared", Money.format(adjustments.stream()
                .filter(l -> l.classification() == Classification.SHARED).mapToLong(Statement.StatementLine::amount).sum(), currency));
        view.putAll(StatementTerms.describe(agreement, statement));
        List<Map<String, Object>> months = new ArrayList<>();
        for (Statement.MonthShare month : statement.recentPartnerShares()) {
            months.add(Map.of("month", month.period().format(SHORT_MONTH),
                    "netRevenue", Money.format(month.netRevenue(), currency),
                    "partnerShare", Money.format(month.partnerShare(), currency)));
        }
        view.put("recentMonths", months);
        // the proof that the books were checked against Stripe before the month was closed, or why they were not
        view.put("reconciliation", ReconciliationProof.headline(statement, agreement.timezone()));
        view.put("reconciled", ReconciliationProof.reconciled(statement));
        view.put("reconciliationDifferences", ReconciliationProof.differences(statement, agreement.timezone()).stream()
                .map(line -> Map.of("line", line)).toList());
        // what was paid against earlier statements, and what is still owed
        List<String> payments = PaymentsSummary.lines(statement, agreement.timezone());
        view.put("hasPayments", !payments.isEmpty());
        view.put("payments", payments.stream().map(line -> Map.of("line", line)).toList());
        // the statement's place in the agreement's chain, for anyone to re-check (README: "Re-checking a statement")
        if (statement.hash() != null) {
            boolean chainStart = statement.previousHash() == null || statement.previousHash().isEmpty();
            view.put("hashes", Map.of("hash", statement.hash(), "chainStart", chainStart,
                    "previousHash", chainStart ? "" : statement.previousHash(),
                    "jsonFile", StatementEmail.reference(agreement, statement) + ".json"
                            + (StatementAttachments.compressed(statement) ? ".gz" : "")));
        }
        return view;
    }

    private static Map<String, Object> row(Agreement agreement, Statement.StatementLine line) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("date", line.time().atZone(agreement.timezone()).toLocalDate().toString());
        row.put("stripeId", line.stripeId());
        row.put("type", line.type().name().toLowerCase(Locale.ROOT));
        row.put("category", line.category() == null ? "" : line.category());
        row.put("amount", Money.format(line.amount(), line.currency()));
        row.put("classification", line.classification().name().toLowerCase(Locale.ROOT));
        row.put("reason", line.reason() == null ? "" : line.reason());
        row.put("priorPeriod", line.priorPeriod());
        row.put("notShared", line.classification() != Classification.SHARED);
        return row;
    }

    /** An amount subtracted from gross sales: "−$97.00", or "$0.00" when there is none. */
    private static String takenOff(long amount, String currency) {
        return amount == 0 ? Money.format(0, currency) : "\u2212" + Money.format(amount, currency);
    }

    private static Template compile(String name, boolean escapeHtml) {
        try (InputStream in = StatementEmailRenderer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("email template " + name + " is missing from the jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return Mustache.compiler().escapeHTML(escapeHtml).defaultValue("").compile(reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
