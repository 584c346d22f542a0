package dev.revshare.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A revenue-share agreement between an expert and a tech partner, as applied from its YAML file.
 * Month and agreement-year boundaries are taken in {@link #timezone()}.
 */
public record Agreement(
        String id,
        String name,
        Party expert,
        Party partner,
        String stripeAccount,
        String currency,
        ZoneId timezone,
        LocalDate termStart,
        LocalDate termEnd,
        List<SplitStep> split,
        RevenueDefinition revenue) {

    public Agreement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(termStart, "term.start");
        split = List.copyOf(split).stream().sorted(Comparator.comparingInt(SplitStep::year)).toList();
        revenue = revenue == null ? RevenueDefinition.SHARE_EVERYTHING : revenue;
        currency = currency.toLowerCase(java.util.Locale.ROOT);
    }

    /** One party of the agreement and where its statements go. */
    public record Party(String name, List<String> emails) {
        public Party {
            emails = List.copyOf(emails);
        }
    }

    /** The partner's percentage of shared revenue from the given agreement year on. */
    public record SplitStep(int year, BigDecimal partnerPercent) {}

    /**
     * Agreement year of an instant: year 1 starts on the term's start date (in the agreement's time zone),
     * year 2 one year later, and so on. Instants before the start belong to year 0.
     */
    public int agreementYearOf(Instant when) {
        LocalDate day = when.atZone(timezone).toLocalDate();
        if (day.isBefore(termStart)) {
            return 0;
        }
        int year = 1;
        while (!day.isBefore(termStart.plusYears(year))) {
            year++;
        }
        return year;
    }

    /** The partner's share of one unit of shared revenue in an agreement year (e.g. 0.25 for 25 %). */
    public BigDecimal partnerRate(int agreementYear) {
        BigDecimal percent = BigDecimal.ZERO;
        for (SplitStep step : split) {
            if (step.year() <= agreementYear) {
                percent = step.partnerPercent();
            }
        }
        return percent.movePointLeft(2);
    }

    /** True when a sale at this instant falls inside the term (start and end dates inclusive). */
    public boolean inTerm(Instant when) {
        LocalDate day = when.atZone(timezone).toLocalDate();
        return !day.isBefore(termStart) && (termEnd == null || !day.isAfter(termEnd));
    }

    public YearMonth firstMonth() {
        return YearMonth.from(termStart);
    }

    /** The calendar month, in the agreement's zone, that an instant falls in. */
    public YearMonth monthOf(Instant when) {
        return YearMonth.from(when.atZone(timezone));
    }

    /** First instant of a month in the agreement's zone. */
    public Instant monthStart(YearMonth month) {
        return month.atDay(1).atStartOfDay(timezone).toInstant();
    }

    /** First instant after a month in the agreement's zone. */
    public Instant monthEndExclusive(YearMonth month) {
        return monthStart(month.plusMonths(1));
    }
}
