package dev.revshare.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The statement engine's invariants over random agreements and ledgers: up to three split years with
 * two-decimal percentages, an optional cap, amendments, end and termination; sales with refunds (never
 * more than the sale), dispute withdrawals and reinstatements, recorded after random delays; statements
 * chained month by month as {@link dev.revshare.statements.MonthlyStatementRun} chains them (each continues
 * from the last, closed some time after its month's end), over about two years.
 *
 * <p>The chain runs on past the final statement until every line has been recorded, so that each line
 * has a statement to land in.
 */
class StatementPropertiesTest {
    private static final int TRIES = 200;
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Madrid"),
            ZoneId.of("America/Los_Angeles"), ZoneId.of("Pacific/Auckland"));

    private final StatementCalculator calculator = new StatementCalculator();

    @Property(tries = TRIES)
    void noCentIsCreatedOrLost(@ForAll("scenarios") Scenario scenario) {
        List<Statement> statements = chain(scenario, month -> scenario.ledger());
        Statement last = statements.getLast();

        long partner = sum(statements, Statement.Totals::partnerShare);
        assertThat(partner + sum(statements, Statement.Totals::expertShare))
                .isEqualTo(sum(statements, Statement.Totals::netRevenue));
        assertThat(partner).isEqualTo(last.years().stream().mapToLong(Statement.YearSummary::entitlementToDate).sum());
        assertThat(sum(statements, Statement.Totals::partnerPayable) + last.totals().carriedForward()).isEqualTo(partner);
        // net revenue is exactly the shared lines: excluded and held lines never change the split
        assertThat(sum(statements, Statement.Totals::netRevenue)).isEqualTo(statements.stream()
                .flatMap(s -> s.lines().stream())
                .filter(line -> line.classification() == Classification.SHARED)
                .mapToLong(Statement.StatementLine::amount).sum());
    }

    @Property(tries = TRIES)
    void everyLineIsIncludedInExactlyOneStatement(@ForAll("scenarios") Scenario scenario) {
        Agreement agreement = scenario.agreement();
        List<Statement> statements = chain(scenario, month -> scenario.ledger());
        List<String> listed = statements.stream().flatMap(s -> s.lines().stream()).map(Statement.StatementLine::lineId).toList();
        Statement finalStatement = statements.stream().filter(Statement::isFinal).findFirst().orElse(null);

        assertThat(listed).doesNotHaveDuplicates();
        // the one exception: after the final statement, a sale made outside the term is not the agreement's (README, 11)
        assertThat(scenario.ledger()).filteredOn(line -> !listed.contains(line.lineId())).allSatisfy(line -> {
            assertThat(agreement.inTerm(line.saleOccurredAt())).as("outside the term").isFalse();
            assertThat(finalStatement).isNotNull();
            assertThat(StatementCalculator.includes(agreement, finalStatement.period(), finalStatement.closedAt(), null, line))
                    .as("after the final statement").isFalse();
        });
    }

    @Property(tries = TRIES)
    void theYearlyEntitlementNeverExceedsItsCap(@ForAll("scenarios") Scenario scenario) {
        Agreement agreement = scenario.agreement();
        List<Statement> statements = chain(scenario, month -> scenario.ledger());

        assertThat(statements).allSatisfy(statement -> assertThat(statement.years()).allSatisfy(year -> {
            Long cap = agreement.capFor(year.agreementYear());
            assertThat(year.cap()).isEqualTo(cap);
            if (cap != null) {
                assertThat(year.entitlementToDate()).isLessThanOrEqualTo(cap);
            }
        }));
    }

    @Property(tries = TRIES)
    void statementsRecomputedFromTheSameLedgerAreIdenticalByteForByte(@ForAll("scenarios") Scenario scenario) {
        List<String> first = json(chain(scenario, month -> scenario.ledger()));
        List<String> second = json(chain(scenario, month -> List.copyOf(scenario.ledger())));

        assertThat(second).isEqualTo(first);
    }

    @Property(tries = TRIES)
    void continuingFromTheStoredJsonGivesTheSameStatements(@ForAll("scenarios") Scenario scenario) {
        // the monthly run reads the previous statement back from the store, as JSON
        List<String> inMemory = json(chain(scenario, month -> scenario.ledger()));
        List<String> fromStore = new ArrayList<>();
        Statement previous = null;
        for (int m = 0; m < scenario.months(); m++) {
            Statement read = previous == null ? null : Json.read(Json.write(previous), Statement.class);
            previous = calculator.compute(scenario.agreement(), scenario.month(m), scenario.closedAt(m), read,
                    scenario.ledger());
            fromStore.add(Json.write(previous));
        }

        assertThat(fromStore).isEqualTo(inMemory);
    }

    @Property(tries = TRIES)
    void theOrderOfTheLinesDoesNotChangeAnyStatement(@ForAll("scenarios") Scenario scenario, @ForAll long seed) {
        Random random = new Random(seed);
        List<String> inOrder = json(chain(scenario, month -> scenario.ledger()));
        List<String> shuffled = json(chain(scenario, month -> {
            List<LedgerLine> lines = new ArrayList<>(scenario.ledger());
            Collections.shuffle(lines, random);
            return lines;
        }));

        assertThat(shuffled).isEqualTo(inOrder);
    }

    // ---------------------------------------------------------------- chaining

    /** Closes every month of the scenario in order, each statement continuing from the one before. */
    private List<Statement> chain(Scenario scenario, Function<YearMonth, List<LedgerLine>> candidates) {
        List<Statement> statements = new ArrayList<>();
        Statement previous = null;
        for (int m = 0; m < scenario.months(); m++) {
            YearMonth month = scenario.month(m);
            previous = calculator.compute(scenario.agreement(), month, scenario.closedAt(m), previous,
                    candidates.apply(month));
            statements.add(previous);
        }
        return statements;
    }

    private static List<String> json(List<Statement> statements) {
        return statements.stream().map(Json::write).toList();
    }

    private static long sum(List<Statement> statements, ToLongFunction<Statement.Totals> figure) {
        return statements.stream().mapToLong(s -> figure.applyAsLong(s.totals())).sum();
    }

    // ---------------------------------------------------------------- generators

    /**
     * An agreement, its ledger and when each month is closed.
     *
     * @param closeDelays minutes after each month's end at which its statement is closed
     * @param months      how many statements to chain: at least 24, and enough for every line to be recorded
     */
    record Scenario(Agreement agreement, List<LedgerLine> ledger, List<Integer> closeDelays, int months) {
        YearMonth month(int index) {
            return agreement.firstMonth().plusMonths(index);
        }

        Instant closedAt(int index) {
            return agreement.monthEndExclusive(month(index)).plus(Duration.ofMinutes(closeDelays.get(index)));
        }

        static Scenario of(Agreement agreement, List<SaleSpec> sales, List<Integer> closeDelays) {
            List<LedgerLine> ledger = ledgerOf(agreement, sales);
            Instant lastRecorded = ledger.stream().map(LedgerLine::recordedAt).max(Comparator.naturalOrder())
                    .orElse(agreement.monthStart(agreement.firstMonth()));
            int needed = (int) agreement.firstMonth().until(agreement.monthOf(lastRecorded), ChronoUnit.MONTHS) + 1;
            int months = Math.max(24, needed);
            if (months > closeDelays.size()) {
                throw new IllegalStateException("a ledger longer than the generated closes: " + months + " months");
            }
            return new Scenario(agreement, ledger, closeDelays, months);
        }

        @Override
        public String toString() {
            return agreement + "\n" + String.join("\n", ledger.stream().map(LedgerLine::toString).toList());
        }
    }

    /** A sale {@code day} days after the term's start (negative: before it), and what happens to it afterwards. */
    record SaleSpec(int day, int minuteOfDay, long amount, boolean foreignCurrency, int recordDelayMinutes,
                    List<MovementSpec> movements) {}

    /**
     * A refund or dispute withdrawal of {@code permille} ‰ of what is still open of the sale, {@code daysAfter}
     * the previous movement; a withdrawal may be reinstated {@code reinstatedDaysAfter} days later.
     */
    record MovementSpec(boolean dispute, int permille, int daysAfter, int minuteOfDay, int recordDelayMinutes,
                        boolean reinstated, int reinstatedDaysAfter) {}

    private static List<LedgerLine> ledgerOf(Agreement agreement, List<SaleSpec> sales) {
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 0; i < sales.size(); i++) {
            SaleSpec spec = sales.get(i);
            String id = "ch_" + i;
            String currency = spec.foreignCurrency() ? "eur" : "usd";
            Instant saleAt = agreement.termStart().atStartOfDay(agreement.timezone()).plusDays(spec.day())
                    .plusMinutes(spec.minuteOfDay()).toInstant();
            lines.add(line(agreement, id, LineType.SALE, spec.amount(), currency, saleAt, saleAt, spec.recordDelayMinutes()));
            long open = spec.amount(); // neither refunded nor held in a dispute
            Instant last = saleAt;
            for (int j = 0; j < spec.movements().size() && open > 0; j++) {
                MovementSpec movement = spec.movements().get(j);
                long part = Math.min(open, Math.max(1, open * movement.permille() / 1000));
                Instant at = last.plus(Duration.ofDays(movement.daysAfter())).plus(Duration.ofMinutes(movement.minuteOfDay()));
                LineType type = movement.dispute() ? LineType.DISPUTE_WITHDRAWAL : LineType.REFUND;
                lines.add(line(agreement, id + ":" + j, type, -part, currency, at, saleAt, movement.recordDelayMinutes()));
                open -= part;
                last = at;
                if (movement.dispute() && movement.reinstated()) {
                    Instant won = at.plus(Duration.ofDays(movement.reinstatedDaysAfter()));
                    lines.add(line(agreement, id + ":" + j + ":won", LineType.DISPUTE_REINSTATEMENT, part, currency,
                            won, saleAt, movement.recordDelayMinutes()));
                    open += part;
                    last = won;
                }
            }
        }
        return List.copyOf(lines);
    }

    private static LedgerLine line(Agreement agreement, String id, LineType type, long amount, String currency,
                                   Instant at, Instant saleAt, int recordDelayMinutes) {
        return new LedgerLine(agreement.id(), id, id.split(":")[0], type, amount, currency, at, saleAt,
                at.plus(Duration.ofMinutes(recordDelayMinutes)), null, null, "evt_" + id);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Integer>> closeDelays = Arbitraries.integers().between(1, 5 * 24 * 60).list().ofSize(36);
        return Combinators.combine(agreements(), sales().list().ofMaxSize(30), closeDelays).as(Scenario::of)
                .withoutEdgeCases(); // jqwik's edge cases (empty ledgers, one-cent sales) would otherwise fill most tries
    }

    private Arbitrary<Agreement> agreements() {
        Arbitrary<LocalDate> start = Arbitraries.integers().between(0, 364).map(d -> LocalDate.of(2026, 1, 1).plusDays(d));
        Arbitrary<List<Agreement.SplitStep>> split = percent().list().ofMinSize(1).ofMaxSize(3).map(percents -> {
            List<Agreement.SplitStep> steps = new ArrayList<>();
            for (int year = 1; year <= percents.size(); year++) {
                steps.add(new Agreement.SplitStep(year, percents.get(year - 1)));
            }
            return steps;
        });
        Arbitrary<Long> cap = Arbitraries.longs().between(1, 300_000).injectNull(0.4);
        Arbitrary<Integer> termMonths = Arbitraries.integers().between(3, 20).injectNull(0.4);
        Arbitrary<Integer> settlementDays = Arbitraries.integers().between(0, 150);
        Arbitrary<BigDecimal> buyoutMultiple = Arbitraries.bigDecimals().between(new BigDecimal("0.5"), new BigDecimal("5"))
                .ofScale(2).injectNull(0.5);
        return Combinators.combine(start, Arbitraries.of(ZONES), split, cap, termMonths, settlementDays, buyoutMultiple)
                .as(Terms::new)
                .flatMap(terms -> Combinators.combine(amendment(terms.start()).list().ofMaxSize(2)
                                .uniqueElements(Agreement.Amendment::effective), termination(terms))
                        .as(terms::agreement));
    }

    /** The terms drawn first; amendments and the termination are drawn within them. */
    private record Terms(LocalDate start, ZoneId zone, List<Agreement.SplitStep> split, Long cap, Integer termMonths,
                         int settlementDays, BigDecimal buyoutMultiple) {
        LocalDate end() {
            return termMonths == null ? null : start.plusMonths(termMonths).minusDays(1);
        }

        Agreement agreement(List<Agreement.Amendment> amendments, Agreement.Termination termination) {
            BigDecimal multiple = termination != null && termination.type() == Agreement.Termination.Type.BUYOUT
                    && buyoutMultiple == null ? new BigDecimal("2.5") : buyoutMultiple;
            return new Agreement("p", "Property x Test", new Agreement.Party("E", List.of("e@example.com")),
                    new Agreement.Party("P", List.of("p@example.com")), "acct_1", "usd", zone, start, end(), split, null,
                    cap, amendments, termination, multiple, settlementDays);
        }
    }

    private Arbitrary<Agreement.Amendment> amendment(LocalDate start) {
        Arbitrary<LocalDate> effective = Arbitraries.integers().between(1, 500).map(start::plusDays);
        Arbitrary<List<Agreement.SplitStep>> split = Combinators.combine(Arbitraries.integers().between(1, 3), percent())
                .as((year, percent) -> List.of(new Agreement.SplitStep(year, percent))).injectNull(0.4);
        Arbitrary<Long> cap = Arbitraries.longs().between(1, 300_000).injectNull(0.5);
        return Combinators.combine(effective, split, cap, Arbitraries.of(true, false).withoutEdgeCases())
                .as((date, steps, newCap, lift) -> new Agreement.Amendment(date, steps, newCap,
                        newCap == null && lift, null));
    }

    private Arbitrary<Agreement.Termination> termination(Terms terms) {
        int latest = terms.end() == null ? 450 : (int) Math.min(450, ChronoUnit.DAYS.between(terms.start(), terms.end()));
        Arbitrary<LocalDate> effective = Arbitraries.integers().between(0, latest).map(terms.start()::plusDays);
        return Combinators.combine(Arbitraries.of(Agreement.Termination.Type.class), effective)
                .as(Agreement.Termination::new).injectNull(0.6);
    }

    /** One sale in ten is paid in another currency. */
    private Arbitrary<Boolean> foreignCurrency() {
        return Arbitraries.integers().between(1, 10).map(n -> n == 1);
    }

    private Arbitrary<BigDecimal> percent() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100")).ofScale(2);
    }

    private Arbitrary<SaleSpec> sales() {
        Arbitrary<Integer> delay = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 10)),
                Tuple.of(1, Arbitraries.integers().between(0, 35 * 24 * 60)));
        Arbitrary<MovementSpec> movement = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 1000),
                        Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 1439), delay,
                        Arbitraries.of(true, false), Arbitraries.integers().between(0, 45))
                .as(MovementSpec::new);
        return Combinators.combine(Arbitraries.integers().between(-30, 540), Arbitraries.integers().between(0, 1439),
                        Arbitraries.longs().between(1, 200_000), foreignCurrency(), delay, movement.list().ofMaxSize(2))
                .as(SaleSpec::new);
    }
}
