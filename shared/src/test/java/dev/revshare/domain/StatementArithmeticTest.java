package dev.revshare.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.revshare.domain.StatementArithmetic.Mismatch;
import dev.revshare.json.StatementJsonTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A statement's arithmetic checked from the statement alone: every statement the engine computes holds (fourteen
 * months with two rates, a cap reached, refunds, a dispute, excluded, held and resolved lines, a line in another
 * currency, a negative balance carried and a final buyout month); a figure changed anywhere is named, with what its
 * lines and terms give instead.
 */
class StatementArithmeticTest {
    private static final List<Statement> GOLDEN = StatementJsonTest.statements();

    @Test
    void everyStatementTheEngineComputesHolds() {
        for (Statement statement : GOLDEN) {
            assertThat(StatementArithmetic.check(statement)).as(statement.period().toString()).isEmpty();
        }
        // the months cover what the checks are about
        assertThat(GOLDEN).anySatisfy(s -> assertThat(s.years()).anySatisfy(y -> assertThat(y.capReached()).isTrue()));
        assertThat(GOLDEN).anySatisfy(s -> assertThat(s.totals().carriedForward()).isNegative());
        assertThat(GOLDEN).anySatisfy(s -> assertThat(s.totals().carriedIn()).isNegative());
        assertThat(GOLDEN).anySatisfy(s -> assertThat(s.totals().disputes()).isPositive());
        assertThat(GOLDEN).anySatisfy(s -> assertThat(s.years()).hasSize(2));
        assertThat(GOLDEN.get(GOLDEN.size() - 1).isFinal()).isTrue();
    }

    @Test
    void oneCentMoreOnALineIsNamedInEveryFigureItFeeds() {
        Statement november = GOLDEN.get(0);
        Statement tampered = november.withLines(changeLine(november.lines(), 0, 1));

        List<Mismatch> found = StatementArithmetic.check(tampered);

        assertThat(found).extracting(Mismatch::field, Mismatch::stated, Mismatch::expected).contains(
                tuple("totals.grossSales", "$297.01", "$297.02"),
                tuple("totals.netRevenue", "$297.01", "$297.02"));
        assertThat(found).extracting(Mismatch::field).doesNotContain("totals.partnerShare"); // a quarter cent rounds away
        assertThat(found.get(0).rule()).isEqualTo("the shared sales and sale reversals added up");
    }

    @Test
    void aChangedShareCapBalanceOrQuoteIsNamed() {
        Statement march = GOLDEN.stream().filter(s -> s.totals().carriedForward() < 0).findFirst().orElseThrow();
        Statement.Totals t = march.totals();

        Statement moreForThePartner = withTotals(march, new Statement.Totals(t.grossSales(), t.refunds(), t.disputes(),
                t.netRevenue(), t.partnerShare() + 10_000, t.expertShare(), t.excluded(), t.pendingReview(), t.carriedIn(),
                t.partnerPayable(), t.carriedForward()));
        assertThat(StatementArithmetic.check(moreForThePartner)).extracting(Mismatch::field).contains(
                "totals.partnerShare", "totals.expertShare", "totals.carriedForward", "recentPartnerShares");

        Statement nothingCarried = withTotals(march, new Statement.Totals(t.grossSales(), t.refunds(), t.disputes(),
                t.netRevenue(), t.partnerShare(), t.expertShare(), t.excluded(), t.pendingReview(), t.carriedIn(),
                t.partnerPayable(), 0));
        assertThat(StatementArithmetic.check(nothingCarried)).extracting(Mismatch::field, Mismatch::expected)
                .containsExactly(tuple("totals.carriedForward", dollars(t.carriedForward())));

        Statement capped = GOLDEN.stream().filter(s -> s.years().stream().anyMatch(Statement.YearSummary::capReached))
                .findFirst().orElseThrow();
        Statement.YearSummary year = capped.years().get(0);
        Statement lowerCap = new Statement(capped.agreementId(), capped.agreementName(), capped.period(), capped.currency(),
                capped.isFinal(), capped.supplementary(), capped.closedAt(), capped.totals(),
                List.of(new Statement.YearSummary(year.agreementYear(), year.rate(), year.cap() - 100, year.entitlementToDate(),
                        true, year.exactEntitlementToDate())), capped.lines(), capped.buyoutQuote(), capped.recentPartnerShares(),
                capped.reconciliation());
        assertThat(StatementArithmetic.check(lowerCap)).extracting(Mismatch::field)
                .contains("years[1].entitlementToDate", "totals.partnerShare");

        Statement.BuyoutQuote quote = march.buyoutQuote();
        Statement cheaper = new Statement(march.agreementId(), march.agreementName(), march.period(), march.currency(),
                march.isFinal(), march.supplementary(), march.closedAt(), march.totals(), march.years(), march.lines(),
                new Statement.BuyoutQuote(quote.asOf(), quote.multiple(), quote.months(), quote.trailingPartnerShare(),
                        quote.amount() - 1, quote.due()), march.recentPartnerShares(), march.reconciliation());
        assertThat(StatementArithmetic.check(cheaper)).extracting(Mismatch::field).containsExactly("buyoutQuote.amount");
    }

    @Test
    void aLineAtAnotherRateChangesTheShareItGives() {
        Statement december = GOLDEN.get(1);
        List<Statement.StatementLine> lines = new ArrayList<>(december.lines());
        Statement.StatementLine line = lines.stream().filter(l -> l.classification() == Classification.SHARED && l.amount() > 10_000)
                .findFirst().orElseThrow();
        lines.set(lines.indexOf(line), new Statement.StatementLine(line.lineId(), line.stripeId(), line.time(), line.type(),
                line.category(), line.classification(), line.reason(), line.amount(), line.currency(), new BigDecimal("0.5"),
                line.agreementYear(), line.priorPeriod(), line.customer()));

        assertThat(StatementArithmetic.check(december.withLines(lines))).extracting(Mismatch::field)
                .containsExactly("totals.partnerShare");
    }

    private static List<Statement.StatementLine> changeLine(List<Statement.StatementLine> lines, int index, long cents) {
        List<Statement.StatementLine> changed = new ArrayList<>(lines);
        Statement.StatementLine line = lines.get(index);
        changed.set(index, new Statement.StatementLine(line.lineId(), line.stripeId(), line.time(), line.type(), line.category(),
                line.classification(), line.reason(), line.amount() + cents, line.currency(), line.rate(), line.agreementYear(),
                line.priorPeriod(), line.customer()));
        return changed;
    }

    private static Statement withTotals(Statement s, Statement.Totals totals) {
        return new Statement(s.agreementId(), s.agreementName(), s.period(), s.currency(), s.isFinal(), s.supplementary(),
                s.closedAt(), totals, s.years(), s.lines(), s.buyoutQuote(), s.recentPartnerShares(), s.reconciliation());
    }

    private static String dollars(long cents) {
        return Money.format(cents, "usd");
    }
}
