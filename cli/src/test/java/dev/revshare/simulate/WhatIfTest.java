package dev.revshare.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.RunSummary;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The what-if engine on DynamoDB Local: a history issued month by month by the real statements run, then replayed.
 * Unchanged terms give every issued statement to the cent; a lower rate shows its difference month by month,
 * limited by the cap; bad proposals are refused; the store is the same after as before.
 */
class WhatIfTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final String TERMS = """
            id: what-if
            name: Coach x Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Studio, emails: [books@studio.example]}
            stripe: {account: acct_1WhatIf}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2025-01-01}
            split:
              - {year: 1, partnerPercent: 30}
              - {year: 2, partnerPercent: 20}
            cap: {perAgreementYear: "1000.00"}
            buyout: {multiple: 2}
            """;

    private final SettableClock clock = new SettableClock(Instant.parse("2024-12-15T10:00:00Z"));
    private final String table = LocalDynamoDb.newTable();
    private final DynamoDbStores store = DynamoDbStores.over(LocalDynamoDb.client(), table);
    private final AtomicInteger sent = new AtomicInteger();
    private final MonthlyStatementRun run = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(),
            email -> "message-" + sent.incrementAndGet(), (statement, messageId) -> { }, "statements@revshare.example",
            clock, MonthlyStatementRun.DEFAULT_GRACE);
    private final List<LedgerLine> history = new ArrayList<>();
    private final Set<String> recorded = new HashSet<>();

    @Test
    void unchangedTermsGiveTheIssuedStatementsToTheCent() {
        Agreement agreement = terms(TERMS);
        store.agreements().put(agreement, clock.instant());
        // year 1 at 30 %, capped at $1,000.00; year 2 (from 2026-01-01) at 20 %
        sale("jan-a", 100_000, "2025-01-10T10:00:00Z");
        sale("jan-b", 33_335, "2025-01-20T10:00:00Z");   // 30 % is half a cent: rounded once, on the year
        sale("feb-a", 50_000, "2025-02-12T10:00:00Z");
        refund("jan-a", "refund-1", 20_000, "2025-02-14T10:00:00Z");
        refund("jan-a", "refund-2", 80_000, "2025-03-03T10:00:00Z");
        refund("jan-b", "refund-3", 33_335, "2025-03-05T10:00:00Z"); // March's share is negative: carried forward
        sale("apr-a", 30_000, "2025-04-10T10:00:00Z");
        late(sale("apr-late", 12_345, "2025-04-29T10:00:00Z"), "2025-05-10T10:00:00Z"); // after April closed: May's
        sale("may-a", 200_000, "2025-05-12T10:00:00Z");
        dispute("may-a", "dispute-1", LineType.DISPUTE_WITHDRAWAL, 50_000, "2025-06-02T10:00:00Z");
        sale("jun-a", 10_000, "2025-06-20T10:00:00Z");
        dispute("may-a", "dispute-1-won", LineType.DISPUTE_REINSTATEMENT, 50_000, "2025-07-08T10:00:00Z");
        sale("sep-a", 200_000, "2025-09-09T10:00:00Z");  // year 1 reaches its cap
        sale("oct-a", 10_000, "2025-10-10T10:00:00Z");   // nothing more for the partner this year
        sale("jan26-a", 20_000, "2026-01-15T10:00:00Z");  // year 2, at 20 %
        refund("sep-a", "refund-4", 200_000, "2026-01-20T10:00:00Z"); // a year-1 sale: year 1 falls below its cap
        sale("feb26-a", 50_000, "2026-02-11T10:00:00Z");
        sale("apr26-a", 7_000, "2026-04-02T10:00:00Z");  // April 2026 is not issued: previewed
        issueThrough(YearMonth.of(2026, 3));
        clock.set(Instant.parse("2026-04-10T12:00:00Z"));
        List<Map<String, AttributeValue>> before = everything();

        Simulation simulation = whatIf().simulate("what-if", agreement, "what-if.yaml", null, YearMonth.of(2026, 4));

        assertThat(simulation.months()).hasSize(16).extracting(Simulation.Month::period)
                .startsWith(YearMonth.of(2025, 1)).endsWith(YearMonth.of(2026, 4));
        for (Simulation.Month month : simulation.months()) {
            assertThat(month.difference()).as(month.period().toString()).isZero();
            if (month.issued()) {
                Statement issued = store.statements().findWithoutLines("what-if", month.period()).orElseThrow().statement();
                assertThat(month.asIs()).isEqualTo(issued);
                // to the cent and line for line; the proof of reconciling with Stripe and what had been paid the partner
                // are facts of the issued close, not of the terms, and so are its hashes (a what-if issues nothing)
                assertThat(month.proposed().withReconciliation(issued.reconciliation()).withPayments(issued.payments()))
                        .as(month.period().toString())
                        .isEqualTo(issued.withHashes(null, null));
            }
        }
        Simulation.Month april = simulation.months().get(15);
        assertThat(april.issued()).isFalse();
        // a preview also says the month is not yet checked against Stripe; the simulation is about the terms alone
        assertThat(april.proposed().withReconciliation(null).withPayments(null))
                .isEqualTo(run.preview("what-if", YearMonth.of(2026, 4)).withLines(List.of()).withReconciliation(null)
                        .withPayments(null));
        // the history is what the brief asks for: a carried negative balance, the cap reached, two rates, a late line
        Map<YearMonth, Statement> issued = new java.util.TreeMap<>();
        simulation.months().forEach(m -> issued.put(m.period(), m.asIs()));
        assertThat(issued.get(YearMonth.of(2025, 3)).totals().carriedForward()).isNegative();
        assertThat(issued.get(YearMonth.of(2025, 9)).years()).singleElement()
                .satisfies(y -> assertThat(y.capReached()).isTrue());
        assertThat(issued.get(YearMonth.of(2026, 1)).totals().carriedForward()).isNegative();
        assertThat(issued.get(YearMonth.of(2026, 1)).years()).extracting(Statement.YearSummary::agreementYear,
                y -> y.rate().toPlainString()).containsExactly(tuple(1, "0.3"), tuple(2, "0.2"));
        assertThat(store.statements().find("what-if", YearMonth.of(2025, 5)).orElseThrow().statement().lines())
                .anySatisfy(line -> assertThat(line.priorPeriod()).isTrue());
        assertThat(issued.get(YearMonth.of(2025, 6)).totals().disputes()).isEqualTo(50_000);
        // it stored and sent nothing
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aLowerRateFromAMonthShowsItsDifferenceMonthByMonthUpToTheCap() {
        Agreement agreement = terms(TERMS);
        store.agreements().put(agreement, clock.instant());
        sale("jan", 100_000, "2025-01-10T10:00:00Z");
        sale("feb", 100_000, "2025-02-10T10:00:00Z");
        sale("mar", 100_000, "2025-03-10T10:00:00Z");
        sale("apr", 200_000, "2025-04-10T10:00:00Z");
        sale("may", 200_000, "2025-05-10T10:00:00Z");
        sale("jun", 100_000, "2025-06-10T10:00:00Z");
        issueThrough(YearMonth.of(2025, 6));
        Agreement twentyFromMarch = terms(TERMS + "amendments:\n  - {effective: 2025-03-01, split: [{year: 1, partnerPercent: 20}]}\n");

        Simulation simulation = whatIf().simulate("what-if", twentyFromMarch, "proposed.yaml", null, null);

        // as is: 30 % until the $1,000.00 cap in April; proposed: 20 % from March, so the cap is reached a month later
        // with more of April's sales: the year's total is the same, the months differ
        assertThat(simulation.months()).extracting(Simulation.Month::period, m -> m.asIs().totals().partnerShare(),
                m -> m.proposed().totals().partnerShare(), Simulation.Month::difference).containsExactly(
                tuple(YearMonth.of(2025, 1), 30_000L, 30_000L, 0L),
                tuple(YearMonth.of(2025, 2), 30_000L, 30_000L, 0L),
                tuple(YearMonth.of(2025, 3), 30_000L, 20_000L, -10_000L),
                tuple(YearMonth.of(2025, 4), 10_000L, 20_000L, 10_000L),
                tuple(YearMonth.of(2025, 5), 0L, 0L, 0L),
                tuple(YearMonth.of(2025, 6), 0L, 0L, 0L));
        assertThat(simulation.months()).extracting(m -> m.proposed().years().get(0).entitlementToDate(),
                m -> m.proposed().years().get(0).capReached()).containsExactly(
                tuple(30_000L, false), tuple(60_000L, false), tuple(80_000L, false), tuple(100_000L, true),
                tuple(100_000L, true), tuple(100_000L, true));
        // the buyout quote follows: 2 x the trailing months' shares
        assertThat(simulation.months()).extracting(m -> m.asIs().buyoutQuote().amount(), m -> m.proposed().buyoutQuote().amount())
                .containsExactly(tuple(60_000L, 60_000L), tuple(120_000L, 120_000L), tuple(180_000L, 160_000L),
                        tuple(200_000L, 200_000L), tuple(200_000L, 200_000L), tuple(200_000L, 200_000L));
        assertThat(simulation.totalDifference()).isZero();

        // the same proposal as a plain 20 % from --from 2025-03: the months before it stay as issued
        Agreement twenty = terms(TERMS.replace("partnerPercent: 30", "partnerPercent: 20"));
        Simulation fromMarch = whatIf().simulate("what-if", twenty, "twenty.yaml", YearMonth.of(2025, 3), null);
        assertThat(fromMarch.months()).extracting(Simulation.Month::period, Simulation.Month::difference).containsExactly(
                tuple(YearMonth.of(2025, 3), -10_000L), tuple(YearMonth.of(2025, 4), 10_000L),
                tuple(YearMonth.of(2025, 5), 0L), tuple(YearMonth.of(2025, 6), 0L));
    }

    @Test
    void proposalsForAnotherAgreementAccountCurrencyOrZoneAreRefusedWithTheReason() {
        Agreement agreement = terms(TERMS);
        store.agreements().put(agreement, clock.instant());
        sale("jan", 100_000, "2025-01-10T10:00:00Z");
        issueThrough(YearMonth.of(2025, 1));
        List<Map<String, AttributeValue>> before = everything();

        assertThatThrownBy(() -> whatIf().simulate("what-if", terms(TERMS.replace("id: what-if", "id: other-one")), "p.yaml", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("p.yaml is for agreement other-one, not what-if");
        assertThatThrownBy(() -> whatIf().simulate("what-if", terms(TERMS.replace("acct_1WhatIf", "acct_1Other")), "p.yaml", null, null))
                .hasMessageStartingWith("p.yaml changes the Stripe account from acct_1WhatIf to acct_1Other: the recorded history");
        assertThatThrownBy(() -> whatIf().simulate("what-if", terms(TERMS.replace("currency: usd", "currency: eur")), "p.yaml", null, null))
                .hasMessageStartingWith("p.yaml changes the currency from USD to EUR: the recorded amounts are in USD");
        assertThatThrownBy(() -> whatIf().simulate("what-if", terms(TERMS.replace("Europe/Madrid", "UTC")), "p.yaml", null, null))
                .hasMessageStartingWith("p.yaml changes the time zone from Europe/Madrid to UTC");
        assertThatThrownBy(() -> whatIf().simulate("nobody", agreement, "p.yaml", null, null))
                .hasMessage("no agreement with id nobody");
        assertThatThrownBy(() -> whatIf().simulate("what-if", agreement, "p.yaml", YearMonth.of(2024, 12), null))
                .hasMessage("--from 2024-12 is before the term of what-if starts (2025-01-01)");
        assertThatThrownBy(() -> whatIf().simulate("what-if", agreement, "p.yaml", null, YearMonth.of(2025, 3)))
                .hasMessageStartingWith("--to 2025-03 has not begun in Europe/Madrid (it is 2025-02 there)");
        assertThatThrownBy(() -> whatIf().simulate("what-if", agreement, "p.yaml", YearMonth.of(2025, 2), YearMonth.of(2025, 1)))
                .hasMessage("--to 2025-01 is before --from 2025-02");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void anAgreementWhoseTermHasNotStartedHasNothingToSimulate() {
        Agreement agreement = terms(TERMS);
        store.agreements().put(agreement, clock.instant());

        assertThatThrownBy(() -> whatIf().simulate("what-if", agreement, "p.yaml", null, null))
                .hasMessage("the term of what-if starts on 2025-01-01: it has no month to simulate yet");
    }

    private WhatIf whatIf() {
        return new WhatIf(store.agreements(), store.ledger(), store.statements(), clock);
    }

    private static Agreement terms(String yaml) {
        return AgreementFile.parse(yaml, "what-if.yaml");
    }

    /** Closes every month up to {@code last} as the daily run does, each on the 5th of the month after. */
    private void issueThrough(YearMonth last) {
        for (YearMonth month = YearMonth.of(2025, 1); !month.isAfter(last); month = month.plusMonths(1)) {
            Instant closing = month.plusMonths(1).atDay(5).atStartOfDay(MADRID).toInstant();
            history.stream().filter(line -> line.recordedAt().isBefore(closing) && recorded.add(line.lineId()))
                    .forEach(line -> TestLedger.record(store.bookings(), line));
            clock.set(closing);
            RunSummary summary = run.run(closing, null, "what-if");
            assertThat(summary.results()).extracting(RunSummary.Result::outcome).containsOnly(RunSummary.Outcome.SENT);
        }
        assertThat(store.statements().find("what-if", last).map(StoredStatement::statement)).isPresent();
    }

    private LedgerLine sale(String id, long amount, String at) {
        Instant when = Instant.parse(at);
        return add(new LedgerLine("what-if", "ch_" + id, "ch_" + id, LineType.SALE, amount, "usd", when, when,
                when.plus(Duration.ofMinutes(1)), null, "cus_" + id, "evt_" + id));
    }

    private void refund(String saleId, String id, long amount, String at) {
        Instant when = Instant.parse(at);
        LedgerLine sale = history.stream().filter(l -> l.lineId().equals("ch_" + saleId)).findFirst().orElseThrow();
        add(new LedgerLine("what-if", "re_" + id, "re_" + id, LineType.REFUND, -amount, "usd", when, sale.saleOccurredAt(),
                when.plus(Duration.ofMinutes(1)), null, sale.customer(), "evt_" + id, sale.lineId()));
    }

    private void dispute(String saleId, String id, LineType type, long amount, String at) {
        Instant when = Instant.parse(at);
        LedgerLine sale = history.stream().filter(l -> l.lineId().equals("ch_" + saleId)).findFirst().orElseThrow();
        add(new LedgerLine("what-if", "txn_" + id, "dp_" + id, type, type.sign * amount, "usd", when, sale.saleOccurredAt(),
                when.plus(Duration.ofMinutes(1)), null, sale.customer(), "evt_" + id, sale.lineId()));
    }

    /** The line reached revshare late, at {@code recordedAt}. */
    private void late(LedgerLine line, String recordedAt) {
        history.remove(line);
        history.add(new LedgerLine(line.agreementId(), line.lineId(), line.stripeId(), line.type(), line.amount(),
                line.currency(), line.occurredAt(), line.saleOccurredAt(), Instant.parse(recordedAt), line.category(),
                line.customer(), line.eventId(), line.saleId()));
    }

    private LedgerLine add(LedgerLine line) {
        history.add(line);
        return line;
    }

    /** Every item of the table: what "nothing stored" is checked against. */
    private List<Map<String, AttributeValue>> everything() {
        return LocalDynamoDb.client().scan(b -> b.tableName(table).consistentRead(true)).items();
    }
}
