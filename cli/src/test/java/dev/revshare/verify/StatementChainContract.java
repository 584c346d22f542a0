package dev.revshare.verify;

import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementArithmetic;
import dev.revshare.ingest.BookingStore;
import dev.revshare.json.Json;
import dev.revshare.json.StatementHash;
import dev.revshare.statements.MonthComputation;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.RunSummary;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import dev.revshare.verify.ChainVerification.Checked;
import dev.revshare.verify.ChainVerification.Difference;
import dev.revshare.verify.ChainVerification.Link;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain of an agreement's statements as the statements run issues them, and its re-check from the records: months
 * of a term in order (a refund, a dispute withdrawn and reinstated, a line recorded after its month closed), the final
 * month, then two supplementary statements for lines recorded after it. Each carries the hash of the one before it;
 * recomputed from the ledger each matches, line by line and to the cent; a changed figure, a removed hash, or a line
 * slipped into the ledger under a closed month is named where it is. The in-memory store and the DynamoDB repository
 * both run it, so the chain holds on what the stack runs on.
 */
abstract class StatementChainContract {
    static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    static final String ID = "chain-coach";
    static final String TERMS = """
            id: chain-coach
            name: Coach x Chain Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Chain Studio, emails: [books@studio.example]}
            stripe: {account: acct_1Chain}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2025-01-01, end: 2025-03-31, settlementDays: 30}
            split: [{year: 1, partnerPercent: 30}]
            buyout: {multiple: 2}
            """;

    /** The stores a test works on: the agreement's, the ledger's (and its write path), the statements'. */
    record Stores(AgreementStore agreements, BookingStore bookings, LedgerStore ledger, StatementStore statements) {}

    /** Fresh, empty stores. */
    abstract Stores freshStores();

    private final SettableClock clock = new SettableClock(Instant.parse("2024-12-15T10:00:00Z"));
    private final Map<String, LedgerLine> sales = new HashMap<>();
    private Stores stores;
    private Agreement agreement;

    @BeforeEach
    void fresh() {
        stores = freshStores();
        agreement = AgreementFile.parse(TERMS, "chain-coach.yaml");
        stores.agreements().put(agreement, clock.instant());
    }

    @Test
    void eachStatementCarriesThePreviousOnesHashAndAllMatchTheLedger() {
        issueTermAndTwoSupplementaryStatements();

        List<Statement> issued = issued();
        assertThat(issued).extracting(Statement::period, Statement::isFinal, Statement::supplementary).containsExactly(
                tuple(YearMonth.of(2025, 1), false, false), tuple(YearMonth.of(2025, 2), false, false),
                tuple(YearMonth.of(2025, 3), false, false), tuple(YearMonth.of(2025, 4), true, false),
                tuple(YearMonth.of(2025, 6), false, true), tuple(YearMonth.of(2025, 8), false, true));
        assertThat(issued.get(0).previousHash()).isEqualTo(StatementHash.GENESIS);
        for (int i = 1; i < issued.size(); i++) {
            assertThat(issued.get(i).previousHash()).as(issued.get(i).period().toString()).isEqualTo(issued.get(i - 1).hash());
        }
        for (Statement statement : issued) {
            assertThat(StatementHash.of(statement)).isEqualTo(statement.hash());
            assertThat(StatementArithmetic.check(statement)).as(statement.period().toString()).isEmpty();
            // and from its JSON attachment alone
            StatementFileCheck.Result file = StatementFileCheck.check(Json.writePretty(statement).getBytes(StandardCharsets.UTF_8));
            assertThat(file.passes()).isTrue();
            assertThat(file.hash()).isEqualTo(StatementFileCheck.HashCheck.MATCHES);
        }
        // the story the statements tell: a late line adjusting March, lines after the final month on supplements
        assertThat(issued.get(2).lines()).anySatisfy(line -> assertThat(line.priorPeriod()).isTrue());
        assertThat(issued.get(4).lines()).extracting(Statement.StatementLine::lineId).containsExactly("ch_e", "re_a_late");
        assertThat(issued.get(5).totals().refunds()).isEqualTo(7_000);

        ChainVerification.Report report = verification().verify(ID);

        assertThat(report.allMatch()).as(describe(report)).isTrue();
        assertThat(report.statements()).extracting(Checked::period, Checked::link, Checked::previousPeriod).containsExactly(
                tuple(YearMonth.of(2025, 1), Link.FIRST, null),
                tuple(YearMonth.of(2025, 2), Link.FOLLOWS, YearMonth.of(2025, 1)),
                tuple(YearMonth.of(2025, 3), Link.FOLLOWS, YearMonth.of(2025, 2)),
                tuple(YearMonth.of(2025, 4), Link.FOLLOWS, YearMonth.of(2025, 3)),
                tuple(YearMonth.of(2025, 6), Link.FOLLOWS, YearMonth.of(2025, 4)),
                tuple(YearMonth.of(2025, 8), Link.FOLLOWS, YearMonth.of(2025, 6)));
        assertThat(report.statements()).extracting(Checked::hash).containsExactlyElementsOf(issued.stream().map(Statement::hash).toList());
    }

    @Test
    void aChangedFigureIsNamedOnItsStatementAndTheHashShowsTheChange() {
        issueTermAndTwoSupplementaryStatements();
        Statement february = stores.statements().find(ID, YearMonth.of(2025, 2)).orElseThrow().statement();
        long share = february.totals().partnerShare();

        ChainVerification.Report report = verification(tampered(YearMonth.of(2025, 2), s -> withPartnerShare(s, share + 10_000)))
                .verify(ID);

        assertThat(report.allMatch()).isFalse();
        assertThat(report.statements()).filteredOn(c -> !c.matches()).extracting(Checked::period)
                .containsExactly(YearMonth.of(2025, 2));
        Checked checked = report.statements().get(1);
        assertThat(checked.differences()).extracting(Difference::field).containsExactly("totals.partnerShare", "hash");
        assertThat(checked.differences().get(0)).isEqualTo(new Difference("totals.partnerShare",
                money(share + 10_000), money(share)));
        assertThat(checked.differences().get(1).stored()).isEqualTo(february.hash());
        assertThat(checked.differences().get(1).recomputed()).endsWith("(its stored content, hashed now): it was changed after it was issued");
    }

    @Test
    void aRemovedHashBreaksTheChainWhereItIs() {
        issueTermAndTwoSupplementaryStatements();

        ChainVerification.Report report = verification(tampered(YearMonth.of(2025, 3), s -> s.withHashes(null, null))).verify(ID);

        assertThat(report.statements()).filteredOn(c -> !c.matches()).extracting(Checked::period)
                .containsExactly(YearMonth.of(2025, 3), YearMonth.of(2025, 4));
        assertThat(report.statements().get(2).link()).isEqualTo(Link.UNHASHED);
        assertThat(report.statements().get(2).differences()).extracting(Difference::field).containsExactly("hash");
        assertThat(report.statements().get(3).differences()).extracting(Difference::field).containsExactly("previousHash");
    }

    @Test
    void aMonthWhoseStatementIsGoneIsNamedAndTheLinkAfterItIsBroken() {
        issueTermAndTwoSupplementaryStatements();
        StatementStore withoutFebruary = tampered(YearMonth.of(2025, 2), s -> null);

        ChainVerification.Report report = verification(withoutFebruary).verify(ID);

        assertThat(report.statements()).extracting(Checked::period, Checked::link, Checked::matches).startsWith(
                tuple(YearMonth.of(2025, 1), Link.FIRST, true),
                tuple(YearMonth.of(2025, 2), Link.MISSING, false),
                tuple(YearMonth.of(2025, 3), Link.FOLLOWS, false));
        assertThat(report.statements().get(2).differences()).extracting(Difference::field).contains("previousHash");
        assertThat(report.statements().subList(3, report.statements().size())).allSatisfy(c -> assertThat(c.matches()).isTrue());
    }

    @Test
    void aLineSlippedIntoTheLedgerUnderAClosedMonthIsNamedOnThatMonth() {
        issueTermAndTwoSupplementaryStatements();
        // recorded, it says, before February closed: February would have counted it
        Instant at = Instant.parse("2025-02-20T10:00:00Z");
        TestLedger.record(stores.bookings(), new LedgerLine(ID, "ch_slipped", "ch_slipped", LineType.SALE, 9_900, "usd", at, at,
                at.plusSeconds(60), null, "cus_slipped", "evt_slipped"));

        ChainVerification.Report report = verification().verify(ID);

        assertThat(report.statements()).filteredOn(c -> !c.matches()).extracting(Checked::period)
                .containsExactly(YearMonth.of(2025, 2));
        assertThat(report.statements().get(1).differences()).extracting(Difference::field).contains("totals.grossSales",
                "totals.partnerShare", "lines[ch_slipped]", "hash");
        assertThat(report.statements().get(1).differences()).filteredOn(d -> d.field().equals("lines[ch_slipped]"))
                .singleElement().satisfies(d -> assertThat(d.stored()).isEqualTo("(not on it)"));
    }

    @Test
    void statementsIssuedBeforeHashingAreRecomputedAndTheChainStartsAtTheFirstHashedOne() {
        // January and February as revshare stored them before statements carried a hash
        sale("a", 100_000, "2025-01-10T10:00:00Z");
        sale("b", 50_000, "2025-02-10T10:00:00Z");
        sale("d", 30_000, "2025-03-10T10:00:00Z");
        MonthComputation months = new MonthComputation(stores.agreements(), stores.ledger());
        Statement previous = null;
        for (YearMonth month = YearMonth.of(2025, 1); month.isBefore(YearMonth.of(2025, 3)); month = month.plusMonths(1)) {
            Instant closing = closing(month);
            clock.set(closing);
            previous = months.compute(agreement, month, previous, closing);
            assertThat(stores.statements().create(previous)).isTrue();
            assertThat(stores.statements().claimForSending(ID, month, "old-run", closing, Duration.ofMinutes(15))).isTrue();
            assertThat(stores.statements().markPartySent(ID, month, "old-run", Side.EXPERT, "msg-old-" + month)).isTrue();
            assertThat(stores.statements().markPartySent(ID, month, "old-run", Side.PARTNER, "msg-old-p-" + month)).isTrue();
            assertThat(stores.statements().markSent(ID, month, "old-run", closing)).isTrue();
            assertThat(stores.statements().markAnnounced(ID, month, closing)).isTrue();
        }
        issue(YearMonth.of(2025, 3));

        ChainVerification.Report report = verification().verify(ID);

        assertThat(report.allMatch()).as(describe(report)).isTrue();
        assertThat(report.statements()).extracting(Checked::link).containsExactly(Link.UNHASHED, Link.UNHASHED, Link.FIRST);
        assertThat(stores.statements().find(ID, YearMonth.of(2025, 3)).orElseThrow().statement().previousHash()).isEmpty();
    }

    // ---------------------------------------------------------------- the history

    /**
     * January to April (the final month: the term ends in March, its 30 settlement days in April), each closed on the
     * 5th of the month after; then a late sale of the term and a refund after the settlement period, recorded in June
     * (a supplementary statement for June), and a refund within it recorded in August (another, for August).
     */
    private void issueTermAndTwoSupplementaryStatements() {
        sale("a", 100_000, "2025-01-10T10:00:00Z");
        sale("b", 50_000, "2025-01-20T10:00:00Z");
        refund("a", "re_a", 20_000, "2025-02-14T10:00:00Z", null);
        sale("c", 40_000, "2025-02-27T10:00:00Z", "2025-03-10T10:00:00Z");   // after February closed: March's
        sale("d", 30_000, "2025-03-10T10:00:00Z");
        dispute("b", "dp_b", LineType.DISPUTE_WITHDRAWAL, 50_000, "2025-03-20T10:00:00Z");
        refund("d", "re_d", 30_000, "2025-04-05T10:00:00Z", null);
        dispute("b", "dp_b_won", LineType.DISPUTE_REINSTATEMENT, 50_000, "2025-04-25T10:00:00Z");
        for (int month = 1; month <= 4; month++) {
            issue(YearMonth.of(2025, month));
        }
        sale("e", 25_000, "2025-03-25T10:00:00Z", "2025-06-10T10:00:00Z");   // a sale of the term, recorded late
        refund("a", "re_a_late", 10_000, "2025-06-12T10:00:00Z", null);       // after the settlement period: listed
        issue(YearMonth.of(2025, 6));
        refund("c", "re_c", 7_000, "2025-04-28T10:00:00Z", "2025-08-03T10:00:00Z"); // within it, recorded in August
        issue(YearMonth.of(2025, 8));
    }

    /** The daily run on the 5th of the month after {@code month}, which closes it (and sends it). */
    private void issue(YearMonth month) {
        Instant closing = closing(month);
        clock.set(closing);
        RunSummary summary = run().run(closing, null, ID);
        assertThat(summary.results()).as(summary.headline()).extracting(RunSummary.Result::period, RunSummary.Result::outcome)
                .containsExactly(tuple(month.toString(), RunSummary.Outcome.SENT));
    }

    private static Instant closing(YearMonth month) {
        return month.plusMonths(1).atDay(5).atStartOfDay(MADRID).toInstant();
    }

    private MonthlyStatementRun run() {
        return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(), email -> "msg-" + email.reference(),
                (statement, messageId) -> { }, "statements@revshare.example", clock, MonthlyStatementRun.DEFAULT_GRACE);
    }

    private ChainVerification verification() {
        return verification(stores.statements());
    }

    private ChainVerification verification(StatementStore statements) {
        return new ChainVerification(stores.agreements(), stores.ledger(), statements);
    }

    private List<Statement> issued() {
        List<Statement> issued = new ArrayList<>();
        for (YearMonth month = YearMonth.of(2025, 1); !month.isAfter(YearMonth.of(2025, 12)); month = month.plusMonths(1)) {
            stores.statements().find(ID, month).map(StoredStatement::statement).ifPresent(issued::add);
        }
        return issued;
    }

    private void sale(String id, long amount, String at) {
        sale(id, amount, at, null);
    }

    /** @param recordedAt when revshare recorded it, or null for a minute after it happened */
    private void sale(String id, long amount, String at, String recordedAt) {
        Instant when = Instant.parse(at);
        LedgerLine line = new LedgerLine(ID, "ch_" + id, "ch_" + id, LineType.SALE, amount, "usd", when, when,
                recordedAt == null ? when.plusSeconds(60) : Instant.parse(recordedAt), null, "cus_" + id, "evt_" + id);
        sales.put(id, line);
        TestLedger.record(stores.bookings(), line);
    }

    private void refund(String saleId, String id, long amount, String at, String recordedAt) {
        Instant when = Instant.parse(at);
        LedgerLine sale = sales.get(saleId);
        TestLedger.record(stores.bookings(), new LedgerLine(ID, id, id, LineType.REFUND, -amount, "usd", when, sale.saleOccurredAt(),
                recordedAt == null ? when.plusSeconds(60) : Instant.parse(recordedAt), null, sale.customer(), "evt_" + id,
                sale.lineId()));
    }

    private void dispute(String saleId, String id, LineType type, long amount, String at) {
        Instant when = Instant.parse(at);
        LedgerLine sale = sales.get(saleId);
        TestLedger.record(stores.bookings(), new LedgerLine(ID, "txn_" + id, id, type, type.sign * amount, "usd", when,
                sale.saleOccurredAt(), when.plus(Duration.ofMinutes(1)), null, sale.customer(), "evt_" + id, sale.lineId()));
    }

    // ---------------------------------------------------------------- tampering

    /** The statements as stored, but with one month's statement changed in storage (to null: gone). */
    private StatementStore tampered(YearMonth month, UnaryOperator<Statement> change) {
        StatementStore real = stores.statements();
        return (StatementStore) Proxy.newProxyInstance(StatementStore.class.getClassLoader(), new Class<?>[] {StatementStore.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if ((method.getName().equals("find") || method.getName().equals("findWithoutLines")) && month.equals(args[1])) {
                        return ((Optional<?>) answer).map(found -> {
                            StoredStatement s = (StoredStatement) found;
                            Statement changed = change.apply(s.statement());
                            return changed == null ? null : new StoredStatement(changed, s.status(), s.messages(), s.sentAt(),
                                    s.attempts(), s.error(), s.announced(), s.deliveries(), s.resends());
                        });
                    }
                    return answer;
                });
    }

    private static Statement withPartnerShare(Statement s, long share) {
        Statement.Totals t = s.totals();
        return new Statement(s.agreementId(), s.agreementName(), s.period(), s.currency(), s.isFinal(), s.supplementary(),
                s.closedAt(), new Statement.Totals(t.grossSales(), t.refunds(), t.disputes(), t.netRevenue(), share,
                t.expertShare(), t.excluded(), t.pendingReview(), t.carriedIn(), t.partnerPayable(), t.carriedForward()),
                s.years(), s.lines(), s.buyoutQuote(), s.recentPartnerShares(), s.reconciliation(), s.payments(), s.previousHash(),
                s.hash());
    }

    private static String money(long cents) {
        return dev.revshare.domain.Money.format(cents, "usd");
    }

    private static String describe(ChainVerification.Report report) {
        StringBuilder out = new StringBuilder();
        report.statements().forEach(c -> out.append(c.period()).append(' ').append(c.differences()).append('\n'));
        return out.toString();
    }
}
