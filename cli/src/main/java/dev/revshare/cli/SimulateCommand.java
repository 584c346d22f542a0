package dev.revshare.cli;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.simulate.Simulation;
import dev.revshare.simulate.WhatIf;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "simulate", mixinStandardHelpOptions = true, description = {"What-if for a renegotiation checkpoint: "
        + "replays the agreement's recorded history under proposed terms (an agreement file for the same agreement) and "
        + "prints, month by month, the partner's share as it is (the issued statements; a preview for a month not issued "
        + "yet) and as proposed, the difference, the cap used in the month's agreement year and the buyout quote. The same "
        + "computation as the statements: unchanged terms give the issued statements to the cent.",
        "Stores and sends nothing; on a stack (--stack) it only reads."})
final class SimulateCommand implements Callable<Integer> {
    @ParentCommand
    AgreementsCommand parent;

    @Option(names = "--agreement", required = true, paramLabel = "ID")
    String agreementId;

    @Option(names = "--proposed", required = true, paramLabel = "FILE.yaml", description = "The proposed terms: an "
            + "agreement file for the same agreement (same id, Stripe account, currency and time zone), checked as "
            + "`agreements apply` checks it; usually the applied file with a changed split, cap or amendments.")
    Path proposedFile;

    @Option(names = "--from", paramLabel = "YYYY-MM", description = "The first month recomputed under the proposed terms "
            + "(default: the term's first month); the months before it stay as issued.")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM", description = "The last month (default: the last month issued); up to "
            + "the current month, where the months not issued yet are computed as if closed now.")
    String to;

    @Option(names = "--json", description = "Print the months as JSON (amounts in minor units) instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        YearMonth first = month("--from", from);
        YearMonth last = month("--to", to);
        Agreement proposed = AgreementFile.parse(AgreementsCommand.read(proposedFile), proposedFile.toString());
        Clock clock = Clock.systemUTC();
        try (Backend backend = parent.root.backend(clock)) {
            Simulation simulation = new WhatIf(backend.store().agreements(), backend.store().ledger(),
                    backend.store().statements(), backend.signOffs().adjustments(), clock).simulate(agreementId, proposed, proposedFile.toString(), first, last);
            System.out.print(json ? Json.writePretty(Document.of(simulation)) + "\n" : table(simulation));
        }
        return 0;
    }

    private static YearMonth month(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new RevshareCommand.UserError(option + " must be a month as YYYY-MM, was '" + value + "'");
        }
    }

    // ---------------------------------------------------------------- the table

    static String table(Simulation simulation) {
        Agreement recorded = simulation.recorded();
        String currency = recorded.currency();
        StringBuilder out = new StringBuilder();
        out.append(String.format("What-if for %s (%s) under the terms in %s%n", recorded.id(), recorded.name(),
                simulation.source()));
        out.append(String.format("%s to %s, months in %s, %s. As is: the issued statements. Nothing was stored or sent.%n%n",
                simulation.from(), simulation.to(), recorded.timezone(), currency.toUpperCase(java.util.Locale.ROOT)));
        if (simulation.months().isEmpty()) {
            out.append("No month of ").append(simulation.from()).append(" to ").append(simulation.to())
                    .append(" has a statement to compare.\n");
            return out.toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Month", "Share as is", "Share proposed", "Difference", "Year", "Cap used as is",
                "Cap used proposed", "Buyout as is", "Buyout proposed"});
        boolean previews = false;
        for (Simulation.Month month : simulation.months()) {
            previews |= !month.issued();
            int yearAsIs = WhatIf.agreementYearOf(recorded, month.period());
            int yearProposed = WhatIf.agreementYearOf(simulation.proposed(), month.period());
            rows.add(new String[] {month.period() + (month.issued() ? " " : "*"),
                    Money.format(month.asIs().totals().partnerShare(), currency),
                    Money.format(month.proposed().totals().partnerShare(), currency),
                    Money.format(month.difference(), currency),
                    yearAsIs == yearProposed ? String.valueOf(yearAsIs) : yearAsIs + "/" + yearProposed,
                    capUsed(recorded, month.asIs(), yearAsIs), capUsed(simulation.proposed(), month.proposed(), yearProposed),
                    buyout(month.asIs()), buyout(month.proposed())});
        }
        rows.add(new String[] {"Total", money(simulation.total(s -> s.totals().partnerShare(), false), currency),
                money(simulation.total(s -> s.totals().partnerShare(), true), currency),
                money(simulation.totalDifference(), currency), "", "", "", "", ""});
        out.append(aligned(rows));
        if (previews) {
            out.append("* not issued yet: computed as if closed at ").append(simulation.previewedAt()).append('\n');
        }
        Simulation.Month lastMonth = simulation.months().get(simulation.months().size() - 1);
        out.append(String.format("%nPayable to the partner over these months: as is %s, proposed %s; balance carried "
                        + "forward after %s: as is %s, proposed %s.%n",
                money(simulation.total(s -> s.totals().partnerPayable(), false), currency),
                money(simulation.total(s -> s.totals().partnerPayable(), true), currency), lastMonth.period(),
                money(lastMonth.asIs().totals().carriedForward(), currency),
                money(lastMonth.proposed().totals().carriedForward(), currency)));
        out.append(String.format("Cap use by agreement year after %s:%n", lastMonth.period()));
        List<String[]> years = new ArrayList<>();
        years.add(new String[] {"Year", "From", "As is", "Proposed"});
        for (int year : yearsIn(lastMonth)) {
            years.add(new String[] {String.valueOf(year), simulation.proposed().agreementYearStart(year).toString(),
                    capUsed(recorded, lastMonth.asIs(), year), capUsed(simulation.proposed(), lastMonth.proposed(), year)});
        }
        out.append(aligned(years));
        return out.toString();
    }

    private static TreeSet<Integer> yearsIn(Simulation.Month month) {
        TreeSet<Integer> years = new TreeSet<>();
        month.asIs().years().forEach(y -> years.add(y.agreementYear()));
        month.proposed().years().forEach(y -> years.add(y.agreementYear()));
        return years;
    }

    /** "$1,262.25 of $20,000.00", "… (reached)", or "$1,262.25, no cap". */
    private static String capUsed(Agreement agreement, Statement statement, int year) {
        String currency = agreement.currency();
        Statement.YearSummary summary = Simulation.year(statement, year).orElse(null);
        long used = summary == null ? 0 : summary.entitlementToDate();
        Long cap = summary == null ? agreement.capFor(year) : summary.cap();
        if (cap == null) {
            return money(used, currency) + ", no cap";
        }
        return money(used, currency) + " of " + money(cap, currency) + (summary != null && summary.capReached() ? " (reached)" : "");
    }

    private static String buyout(Statement statement) {
        return statement.buyoutQuote() == null ? "-" : money(statement.buyoutQuote().amount(), statement.currency());
    }

    private static String money(long minorUnits, String currency) {
        return Money.format(minorUnits, currency);
    }

    /** The first column left-aligned, the others right-aligned, each as wide as its widest cell. */
    private static String aligned(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? String.format("%-" + widths[i] + "s", row[i]) : String.format("%" + widths[i] + "s", row[i]);
                line.append(i == 0 ? "" : "   ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- the JSON

    /** The simulation for machines: amounts in minor units of {@code currency}, as in statements. */
    record Document(String agreementId, String proposedTerms, String currency, String timezone, YearMonth from, YearMonth to,
                    Instant previewedAt, List<MonthJson> months, Totals totals) {
        static Document of(Simulation simulation) {
            List<MonthJson> months = simulation.months().stream().map(m -> new MonthJson(m.period(), m.issued(),
                    Side.of(simulation.recorded(), m.asIs()), Side.of(simulation.proposed(), m.proposed()), m.difference())).toList();
            Totals totals = new Totals(simulation.total(s -> s.totals().partnerShare(), false),
                    simulation.total(s -> s.totals().partnerShare(), true), simulation.totalDifference(),
                    simulation.total(s -> s.totals().partnerPayable(), false),
                    simulation.total(s -> s.totals().partnerPayable(), true));
            Agreement recorded = simulation.recorded();
            return new Document(recorded.id(), simulation.source(), recorded.currency(), recorded.timezone().getId(),
                    simulation.from(), simulation.to(), simulation.previewedAt(), months, totals);
        }
    }

    /** @param issued false when {@code asIs} is a preview: the month is not issued yet */
    record MonthJson(YearMonth period, boolean issued, Side asIs, Side proposed, long difference) {}

    /** @param buyoutQuote null when there is no quote (no buyout clause, or a supplementary statement) */
    record Side(long netRevenue, long partnerShare, long partnerPayable, long carriedForward, boolean finalStatement,
                int agreementYear, List<YearUse> years, Long buyoutQuote) {
        static Side of(Agreement agreement, Statement statement) {
            Statement.Totals totals = statement.totals();
            return new Side(totals.netRevenue(), totals.partnerShare(), totals.partnerPayable(), totals.carriedForward(),
                    statement.isFinal(), WhatIf.agreementYearOf(agreement, statement.period()),
                    statement.years().stream().map(y -> new YearUse(y.agreementYear(), y.entitlementToDate(), y.cap(),
                            y.capReached())).toList(),
                    statement.buyoutQuote() == null ? null : statement.buyoutQuote().amount());
        }
    }

    record YearUse(int agreementYear, long entitlementToDate, Long cap, boolean capReached) {}

    record Totals(long partnerShareAsIs, long partnerShareProposed, long difference, long partnerPayableAsIs,
                  long partnerPayableProposed) {}
}
