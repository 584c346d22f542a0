package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terms that applied to a statement, in words for the email: the split by agreement year, the term
 * and the time left, and the next date on which something changes.
 */
final class StatementTerms {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);

    private StatementTerms() {}

    static Map<String, Object> describe(Agreement agreement, Statement statement) {
        // a supplementary statement follows the terms of the final month
        LocalDate periodEnd = (statement.supplementary() ? agreement.finalMonth() : statement.period()).atEndOfMonth();
        Map<String, Object> view = new LinkedHashMap<>();
        List<String> split = new ArrayList<>();
        for (Agreement.SplitStep step : agreement.split()) {
            split.add(percent(step.partnerPercent()) + "% from year " + step.year());
        }
        view.put("splitSchedule", String.join(", ", split));
        view.put("rateNow", percent(agreement.partnerRate(periodEnd).movePointRight(2)));
        view.put("agreementYearNow", agreement.agreementYearOf(periodEnd));
        Long cap = agreement.capFor(agreement.agreementYearOf(periodEnd));
        view.put("capNow", cap == null ? "no cap" : Money.format(cap, statement.currency()) + " per agreement year");
        LocalDate last = agreement.lastDay();
        view.put("timeLeft", last == null ? "open-ended" : left(periodEnd, last));
        String next = nextCheckpoint(agreement, periodEnd);
        view.put("nextCheckpoint", next);
        view.put("hasNextCheckpoint", next != null);
        return view;
    }

    private static String left(LocalDate periodEnd, LocalDate last) {
        if (!last.isAfter(periodEnd)) {
            return "the term has ended (last day " + last.format(DAY) + ")";
        }
        Period left = Period.between(periodEnd, last);
        List<String> parts = new ArrayList<>();
        if (left.getYears() > 0) {
            parts.add(left.getYears() + (left.getYears() == 1 ? " year" : " years"));
        }
        if (left.getMonths() > 0) {
            parts.add(left.getMonths() + (left.getMonths() == 1 ? " month" : " months"));
        }
        if (parts.isEmpty()) {
            parts.add(left.getDays() + (left.getDays() == 1 ? " day" : " days"));
        }
        return String.join(" and ", parts) + " left, to " + last.format(DAY);
    }

    /** The first date after the period on which the terms change, and what changes then; null when none. */
    static String nextCheckpoint(Agreement agreement, LocalDate periodEnd) {
        LocalDate best = null;
        String what = null;
        LocalDate last = agreement.lastDay();
        int nextYear = agreement.agreementYearOf(periodEnd) + 1;
        LocalDate yearStart = agreement.agreementYearStart(nextYear);
        if (last == null || !yearStart.isAfter(last)) {
            best = yearStart;
            what = "agreement year " + nextYear + " starts: partner " + percent(agreement.partnerRate(yearStart).movePointRight(2)) + "%";
        }
        for (Agreement.Amendment amendment : agreement.amendments()) {
            if (amendment.effective().isAfter(periodEnd) && (best == null || amendment.effective().isBefore(best))) {
                best = amendment.effective();
                what = "an amendment takes effect";
            }
        }
        if (last != null && last.isAfter(periodEnd) && (best == null || last.isBefore(best))) {
            best = last;
            what = agreement.boughtOut() ? "the buyout ends the agreement" : "the term's last day";
        }
        LocalDate settlementEnd = agreement.settlementEnd();
        if (best == null && settlementEnd != null && settlementEnd.isAfter(periodEnd)) {
            best = settlementEnd;
            what = "the settlement period ends: refunds and disputes after it no longer adjust the statements";
        }
        return best == null ? null : best.format(DAY) + ", " + what;
    }

    private static String percent(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
