package dev.revshare.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A revenue-share agreement between an expert and a tech partner, as applied from its YAML file.
 * Month and agreement-year boundaries are taken in {@link #timezone()}. Every rule that depends on
 * time asks for the date of the <em>sale</em>: amendments apply to sales made on or after their date.
 *
 * @param termEnd             last day of the term, or null for an open-ended agreement
 * @param capPerAgreementYear the most the partner's share of one agreement year can reach, in minor
 *                            units, or null for no cap
 * @param settlementDays      after the end, refunds and disputes of in-term sales keep adjusting the
 *                            statements for this many days; then the final statement is issued
 * @param buyoutMultiple      the buyout price is this multiple of the partner's share over the
 *                            trailing 12 months, or null when the agreement has no buyout clause
 * @param payouts             how the partner is paid: by hand (the default) or by Stripe Connect transfer
 * @param objectionWindowDays each party may object to an issued statement for this many days after it was sent;
 *                            then, unless objected to, it is final ({@link #DEFAULT_OBJECTION_WINDOW_DAYS} when 0:
 *                            agreements applied before sign-off existed)
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
        RevenueDefinition revenue,
        Long capPerAgreementYear,
        List<Amendment> amendments,
        Termination termination,
        BigDecimal buyoutMultiple,
        int settlementDays,
        PayoutTerms payouts,
        int objectionWindowDays) {

    public static final int DEFAULT_SETTLEMENT_DAYS = 120;
    public static final int DEFAULT_OBJECTION_WINDOW_DAYS = 30;

    public Agreement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(termStart, "term.start");
        split = List.copyOf(split).stream().sorted(Comparator.comparingInt(SplitStep::year)).toList();
        revenue = revenue == null ? RevenueDefinition.SHARE_EVERYTHING : revenue;
        currency = currency.toLowerCase(Locale.ROOT);
        amendments = amendments == null ? List.of()
                : amendments.stream().sorted(Comparator.comparing(Amendment::effective)).toList();
        payouts = payouts == null ? PayoutTerms.BY_HAND : payouts;
        objectionWindowDays = objectionWindowDays <= 0 ? DEFAULT_OBJECTION_WINDOW_DAYS : objectionWindowDays;
    }

    /** An agreement whose partner is paid as its file says, with the default objection window. */
    public Agreement(String id, String name, Party expert, Party partner, String stripeAccount, String currency,
                     ZoneId timezone, LocalDate termStart, LocalDate termEnd, List<SplitStep> split,
                     RevenueDefinition revenue, Long capPerAgreementYear, List<Amendment> amendments,
                     Termination termination, BigDecimal buyoutMultiple, int settlementDays, PayoutTerms payouts) {
        this(id, name, expert, partner, stripeAccount, currency, timezone, termStart, termEnd, split, revenue,
                capPerAgreementYear, amendments, termination, buyoutMultiple, settlementDays, payouts,
                DEFAULT_OBJECTION_WINDOW_DAYS);
    }

    /** An agreement whose partner is paid by hand, with the objection window given. */
    public Agreement(String id, String name, Party expert, Party partner, String stripeAccount, String currency,
                     ZoneId timezone, LocalDate termStart, LocalDate termEnd, List<SplitStep> split,
                     RevenueDefinition revenue, Long capPerAgreementYear, List<Amendment> amendments,
                     Termination termination, BigDecimal buyoutMultiple, int settlementDays, int objectionWindowDays) {
        this(id, name, expert, partner, stripeAccount, currency, timezone, termStart, termEnd, split, revenue,
                capPerAgreementYear, amendments, termination, buyoutMultiple, settlementDays, PayoutTerms.BY_HAND,
                objectionWindowDays);
    }

    /** An agreement whose partner is paid by hand, with the default objection window. */
    public Agreement(String id, String name, Party expert, Party partner, String stripeAccount, String currency,
                     ZoneId timezone, LocalDate termStart, LocalDate termEnd, List<SplitStep> split,
                     RevenueDefinition revenue, Long capPerAgreementYear, List<Amendment> amendments,
                     Termination termination, BigDecimal buyoutMultiple, int settlementDays) {
        this(id, name, expert, partner, stripeAccount, currency, timezone, termStart, termEnd, split, revenue,
                capPerAgreementYear, amendments, termination, buyoutMultiple, settlementDays, PayoutTerms.BY_HAND,
                DEFAULT_OBJECTION_WINDOW_DAYS);
    }

    /** The agreement as issue #2's demo wrote it: one schedule, no cap, amendments or termination. */
    public Agreement(String id, String name, Party expert, Party partner, String stripeAccount, String currency,
                     ZoneId timezone, LocalDate termStart, LocalDate termEnd, List<SplitStep> split,
                     RevenueDefinition revenue) {
        this(id, name, expert, partner, stripeAccount, currency, timezone, termStart, termEnd, split, revenue,
                null, List.of(), null, null, DEFAULT_SETTLEMENT_DAYS);
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
     * A dated change of terms (a renegotiation checkpoint). A changed split or revenue definition applies
     * to sales made on or after {@code effective}; a changed cap applies from the first agreement year
     * that starts on or after it, since a cap limits a whole year's total.
     *
     * @param split    the partner's percentage for the listed agreement years (others unchanged), or null
     * @param cap      the new cap in minor units, or null for no change
     * @param removeCap true when the amendment lifts the cap
     * @param revenue  the new revenue definition, or null for no change
     */
    public record Amendment(LocalDate effective, List<SplitStep> split, Long cap, boolean removeCap,
                            RevenueDefinition revenue) {
        public Amendment {
            Objects.requireNonNull(effective, "effective");
            split = split == null ? List.of() : List.copyOf(split);
        }
    }

    /** How the agreement ends early (or confirms its natural expiry), and on which day. */
    public record Termination(Type type, LocalDate effective) {
        public enum Type { EXPIRY, BUYOUT, MUTUAL, BREACH }
    }

    // ------------------------------------------------------------------ time

    /** The calendar day of an instant in the agreement's zone. */
    public LocalDate dayOf(Instant when) {
        return when.atZone(timezone).toLocalDate();
    }

    /**
     * Agreement year of an instant: year 1 starts on the term's start date (in the agreement's time zone),
     * year 2 one year later, and so on. Instants before the start belong to year 0.
     */
    public int agreementYearOf(Instant when) {
        return agreementYearOf(dayOf(when));
    }

    public int agreementYearOf(LocalDate day) {
        if (day.isBefore(termStart)) {
            return 0;
        }
        int year = 1;
        while (!day.isBefore(termStart.plusYears(year))) {
            year++;
        }
        return year;
    }

    /** First day of an agreement year. */
    public LocalDate agreementYearStart(int year) {
        return termStart.plusYears(year - 1L);
    }

    /** The last day of the term: the termination date when it ends early, else the end date (or null). */
    public LocalDate lastDay() {
        if (termination != null && (termEnd == null || termination.effective().isBefore(termEnd))) {
            return termination.effective();
        }
        return termEnd;
    }

    public boolean boughtOut() {
        return termination != null && termination.type() == Termination.Type.BUYOUT;
    }

    /** True when a sale at this instant falls inside the term (first and last day inclusive). */
    public boolean inTerm(Instant when) {
        LocalDate day = dayOf(when);
        LocalDate last = lastDay();
        return !day.isBefore(termStart) && (last == null || !day.isAfter(last));
    }

    /**
     * The last day on which refunds and disputes of in-term sales still adjust the statements: the end
     * of the settlement period, or the buyout date (a buyout settles everything on its date). Null while
     * the agreement is open-ended.
     */
    public LocalDate settlementEnd() {
        LocalDate last = lastDay();
        if (last == null) {
            return null;
        }
        return boughtOut() ? last : last.plusDays(settlementDays);
    }

    /** The month of the final statement, or null while the agreement has no end. */
    public YearMonth finalMonth() {
        LocalDate end = settlementEnd();
        return end == null ? null : YearMonth.from(end);
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

    // ------------------------------------------------------------------ terms in force

    /** The partner's share of one unit of revenue from a sale made on {@code saleDay} (0.25 for 25 %). */
    public BigDecimal partnerRate(LocalDate saleDay) {
        TreeMap<Integer, BigDecimal> schedule = new TreeMap<>();
        split.forEach(step -> schedule.put(step.year(), step.partnerPercent()));
        for (Amendment amendment : amendments) {
            if (!amendment.effective().isAfter(saleDay)) {
                amendment.split().forEach(step -> schedule.put(step.year(), step.partnerPercent()));
            }
        }
        var inForce = schedule.floorEntry(agreementYearOf(saleDay));
        return inForce == null ? BigDecimal.ZERO : inForce.getValue().movePointLeft(2);
    }

    /** The partner's rate for sales made at this instant. */
    public BigDecimal partnerRate(Instant sale) {
        return partnerRate(dayOf(sale));
    }

    /** The partner's rate in agreement year 1 under the original schedule (for headlines). */
    public BigDecimal initialPartnerRate() {
        return split.isEmpty() ? BigDecimal.ZERO : split.get(0).partnerPercent().movePointLeft(2);
    }

    /** The cap on the partner's share of an agreement year, in minor units, or null for none. */
    public Long capFor(int agreementYear) {
        LocalDate yearStart = agreementYearStart(agreementYear);
        Long cap = capPerAgreementYear;
        for (Amendment amendment : amendments) {
            if (!amendment.effective().isAfter(yearStart)) {
                if (amendment.removeCap()) {
                    cap = null;
                } else if (amendment.cap() != null) {
                    cap = amendment.cap();
                }
            }
        }
        return cap;
    }

    /** The revenue definition that classifies a sale made on {@code saleDay}. */
    public RevenueDefinition revenueOn(LocalDate saleDay) {
        RevenueDefinition inForce = revenue;
        for (Amendment amendment : amendments) {
            if (amendment.revenue() != null && !amendment.effective().isAfter(saleDay)) {
                inForce = amendment.revenue();
            }
        }
        return inForce;
    }

    /** Dates on which the terms change (amendments, the end, the settlement end), for statements to show. */
    public List<LocalDate> checkpoints() {
        List<LocalDate> dates = new ArrayList<>();
        amendments.forEach(a -> dates.add(a.effective()));
        if (lastDay() != null) {
            dates.add(lastDay());
        }
        return dates.stream().sorted().distinct().toList();
    }
}
