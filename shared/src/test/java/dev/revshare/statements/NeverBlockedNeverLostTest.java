package dev.revshare.statements;

import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.RevenueDefinition;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.domain.Statement;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.TestLedger;
import dev.revshare.time.SettableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The run's rules for a month that cannot be sent and for lines recorded after the final statement, on the
 * in-memory stores (StatementStoreContract holds them to the DynamoDB repository's answers); MonthlyStatementRunTest
 * runs the same stories on DynamoDB Local and moto.
 */
class NeverBlockedNeverLostTest {
    private static final String SENDER = "statements@revshare.example";

    private final InMemoryStores stores = new InMemoryStores();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final Outbox outbox = new Outbox();
    private final List<String> announced = new ArrayList<>();
    private final ReadsOfTheLedger ledger = new ReadsOfTheLedger(stores.ledger());
    private final MonthlyStatementRun run = new MonthlyStatementRun(stores.agreements(), ledger, stores.statements(),
            outbox, (statement, messageId) -> announced.add(statement.period() + (statement.supplementary() ? " supplementary" : "")),
            SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);

    // ---------------------------------------------------------------- a month that cannot be sent

    @Test
    void aMonthThatCannotBeSentDoesNotHoldUpTheMonthsAfterItWhichGoOutInOrder() {
        openEndedFrom(LocalDate.of(2026, 9, 1));
        sale("pi_sep", 10_000, Instant.parse("2026-09-15T10:00:00Z"));
        sale("pi_oct", 20_000, Instant.parse("2026-10-15T10:00:00Z"));
        sale("pi_nov", 40_000, Instant.parse("2026-11-15T10:00:00Z"));
        outbox.refuse("2026-09");

        RunSummary december = runNow();

        assertThat(december.results()).extracting(Result::period, Result::outcome).containsExactly(
                tuple("2026-09", Outcome.FAILED), tuple("2026-10", Outcome.SENT), tuple("2026-11", Outcome.SENT));
        assertThat(december.results().get(0).message())
                .isEqualTo("to the expert: SES refused the message; to the partner: SES refused the message");
        assertThat(outbox.sent).containsExactly("coach-2026-10-expert", "coach-2026-10-partner", "coach-2026-11-expert", "coach-2026-11-partner");
        // each month continues from the one before as stored, sent or not: the shares add up to 25 % of the year's sales
        assertThat(stored("2026-09").status()).isEqualTo(Status.FAILED);
        assertThat(stored("2026-10").statement().totals().partnerShare()).isEqualTo(5_000);
        assertThat(stored("2026-11").statement().years()).singleElement()
                .satisfies(year -> assertThat(year.entitlementToDate()).isEqualTo(17_500));
        assertThat(announced).containsExactly("2026-10", "2026-11");
    }

    @Test
    void theFailedMonthIsRetriedAndReportedFailedByEveryRunUntilItGoesOutOnceAsStored() {
        openEndedFrom(LocalDate.of(2026, 9, 1));
        sale("pi_sep", 10_000, Instant.parse("2026-09-15T10:00:00Z"));
        outbox.refuse("2026-09");
        runNow();
        Statement asComputed = stored("2026-09").statement();

        List<List<Outcome>> laterRuns = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            clock.set(clock.instant().plus(Duration.ofDays(1)));
            assertThat(run.due(clock.instant(), null, null)).as("found by the daily run while unsent")
                    .containsExactly(new ClosingJob("coach", YearMonth.of(2026, 11)));
            laterRuns.add(runNow().results().stream().map(Result::outcome).toList());
        }
        outbox.accept("2026-09"); // the address is corrected
        clock.set(clock.instant().plus(Duration.ofDays(1)));
        RunSummary fixed = runNow();

        assertThat(laterRuns).containsExactly(List.of(Outcome.FAILED), List.of(Outcome.FAILED), List.of(Outcome.FAILED));
        assertThat(fixed.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-09", Outcome.SENT));
        assertThat(outbox.sent).containsExactly("coach-2026-10-expert", "coach-2026-10-partner", "coach-2026-11-expert", "coach-2026-11-partner", "coach-2026-09-expert", "coach-2026-09-partner");
        StoredStatement sent = stored("2026-09");
        assertThat(sent.status()).isEqualTo(Status.SENT);
        assertThat(sent.attempts()).isEqualTo(5);
        assertThat(sent.statement()).as("never recomputed").isEqualTo(asComputed);
        clock.set(clock.instant().plus(Duration.ofDays(1)));
        assertThat(run.due(clock.instant(), null, null)).as("nothing left once it went out").isEmpty();
        assertThat(runNow().results()).isEmpty();
        assertThat(outbox.sent).hasSize(6);
    }

    @Test
    void aPersonResendsTheFailedMonthToCorrectedAddressesAndTheNextRunOnlyAnnouncesIt() {
        openEndedFrom(LocalDate.of(2026, 11, 1));
        sale("pi_nov", 10_000, Instant.parse("2026-11-15T10:00:00Z"));
        outbox.refuse("2026-11-expert");
        assertThat(runNow().results()).extracting(Result::outcome).containsExactly(Outcome.FAILED);

        // the expert's address is refused; the partner's message went out and is not sent again
        assertThat(outbox.sent).containsExactly("coach-2026-11-partner");
        outbox.sent.clear();
        StatementResend resend = new StatementResend(stores.agreements(), stores.statements(), signOffsNone(), outbox, SENDER,
                PartyLinks.NONE, clock);
        resend.resend("coach", YearMonth.of(2026, 11), Side.EXPERT, List.of("coach@example.org"), "ops@revshare.example");

        StoredStatement resent = stored("2026-11");
        assertThat(resent.status()).isEqualTo(Status.SENT);
        assertThat(resent.resends()).singleElement().satisfies(r -> {
            assertThat(r.side()).isEqualTo(Side.EXPERT);
            assertThat(r.to()).containsExactly("coach@example.org");
            assertThat(r.by()).isEqualTo("ops@revshare.example");
            assertThat(r.messageId()).isEqualTo(resent.messages().expert());
        });
        assertThat(resent.messages().partner()).isEqualTo("msg-coach-2026-11-partner");
        assertThat(run.due(clock.instant(), null, null)).as("still to announce").hasSize(1);
        assertThat(runNow().results()).extracting(Result::outcome, Result::message)
                .containsExactly(tuple(Outcome.ALREADY_SENT, "sent before as " + resent.messages() + "; announced now"));
        assertThat(outbox.sent).singleElement().asString().startsWith("coach-2026-11-expert-resent-");
        assertThat(announced).containsExactly("2026-11");
        assertThat(run.due(clock.instant(), null, null)).isEmpty();
    }

    @Test
    void aMonthAnotherRunIsSendingStopsThisRunForTheAgreementAndItsMonthsAreLeftToThatRun() {
        openEndedFrom(LocalDate.of(2026, 10, 1));
        sale("pi_oct", 10_000, Instant.parse("2026-10-15T10:00:00Z"));
        clock.set(Instant.parse("2026-11-05T06:00:00Z"));
        outbox.refuse("2026-10");
        runNow();
        // another run claims October again and is sending it when December's run starts
        assertThat(stores.statements().claimForSending("coach", YearMonth.of(2026, 10), "other-run",
                Instant.parse("2026-12-05T05:59:00Z"), Duration.ofMinutes(15))).isTrue();
        clock.set(Instant.parse("2026-12-05T06:00:00Z"));

        RunSummary december = runNow();

        assertThat(december.results()).extracting(Result::period, Result::outcome)
                .containsExactly(tuple("2026-10", Outcome.IN_PROGRESS));
        assertThat(stores.statements().find("coach", YearMonth.of(2026, 11))).as("left to the run that is sending October").isEmpty();
        // that run stopped: once its claim expires, the next run sends both, in order
        clock.set(clock.instant().plus(Duration.ofMinutes(20)));
        outbox.accept("2026-10");
        assertThat(runNow().results()).extracting(Result::period, Result::outcome)
                .containsExactly(tuple("2026-10", Outcome.SENT), tuple("2026-11", Outcome.SENT));
        assertThat(outbox.sent).containsExactly("coach-2026-10-expert", "coach-2026-10-partner", "coach-2026-11-expert", "coach-2026-11-partner");
    }

    // ---------------------------------------------------------------- lines after the final statement

    @Test
    void aLateRefundAfterATerminatedAgreementsFinalStatementGoesOnOneSupplementaryStatementSentOnce() {
        terminatedJune30();
        LedgerLine sale = sale("pi_june", 100_000, Instant.parse("2026-06-10T10:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        assertThat(runNow().results()).extracting(Result::period).containsExactly("2026-06", "2026-07");
        assertThat(stored("2026-07").statement().isFinal()).isTrue();
        // refunded on July 20 (inside the settlement period), recorded on August 10: after the final statement
        refund(sale, "re_late", -40_000, Instant.parse("2026-07-20T10:00:00Z"), Instant.parse("2026-08-10T10:00:00Z"));

        clock.set(Instant.parse("2026-09-05T06:00:00Z"));
        List<ClosingJob> due = run.due(clock.instant(), null, null);
        RunSummary september = runNow();

        assertThat(due).containsExactly(new ClosingJob("coach", YearMonth.of(2026, 8)));
        assertThat(september.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-08", Outcome.SENT));
        Statement supplementary = stored("2026-08").statement();
        assertThat(supplementary.supplementary()).isTrue();
        assertThat(supplementary.isFinal()).isFalse();
        assertThat(supplementary.lines()).extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification,
                Statement.StatementLine::priorPeriod).containsExactly(tuple("re_late", Classification.SHARED, true));
        assertThat(supplementary.totals().partnerShare()).isEqualTo(-10_000);
        assertThat(supplementary.totals().partnerPayable()).as("settled, as the final statement settles").isEqualTo(-10_000);
        assertThat(outbox.sent).containsExactly("coach-2026-06-expert", "coach-2026-06-partner", "coach-2026-07-expert", "coach-2026-07-partner", "coach-2026-08-supplementary-expert", "coach-2026-08-supplementary-partner");
        assertThat(outbox.subjects.get(4)).isEqualTo("Coach x Acme: supplementary statement for August 2026, partner share -$100.00");
        assertThat(outbox.recipients.get(4)).containsExactly("coach@example.com");
        assertThat(outbox.recipients.get(5)).containsExactly("books@acme.example");
        assertThat(announced).containsExactly("2026-06", "2026-07", "2026-08 supplementary");

        // re-runs, that day and the next months, send nothing more
        assertThat(runNow().results()).isEmpty();
        for (String day : List.of("2026-09-06T06:00:00Z", "2026-10-05T06:00:00Z", "2026-11-05T06:00:00Z")) {
            clock.set(Instant.parse(day));
            assertThat(run.due(clock.instant(), null, null)).as(day).isEmpty();
        }
        assertThat(outbox.sent).hasSize(6);
    }

    @Test
    void aSaleAfterTheTermStartsNoStatementAndIsNotListedOnTheNextSupplementaryOne() {
        terminatedJune30();
        LedgerLine sale = sale("pi_june", 100_000, Instant.parse("2026-06-10T10:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        runNow();
        sale("pi_after_term", 50_000, Instant.parse("2026-08-20T10:00:00Z"));

        clock.set(Instant.parse("2026-09-05T06:00:00Z"));
        assertThat(run.due(clock.instant(), null, null)).as("not the agreement's sale").isEmpty();

        // a refund of the June sale after the settlement period: listed on a supplementary statement, not shared
        refund(sale, "re_after_settlement", -100_000, Instant.parse("2026-09-20T10:00:00Z"), Instant.parse("2026-09-20T10:00:01Z"));
        clock.set(Instant.parse("2026-10-05T06:00:00Z"));
        RunSummary october = runNow();

        assertThat(october.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-09", Outcome.SENT));
        Statement september = stored("2026-09").statement();
        assertThat(september.lines()).extracting(Statement.StatementLine::lineId, Statement.StatementLine::reason)
                .containsExactly(tuple("re_after_settlement", "After the settlement period"));
        assertThat(september.totals().partnerShare()).isZero();
    }

    @Test
    void aHeldPaymentResolvedAfterTheFinalStatementIsCountedOnASupplementaryStatement() {
        terminatedJune30(new RevenueDefinition(List.of("course"), Map.of(), List.of("tip"), Map.of(), "course"));
        LedgerLine tip = sale("pi_tip", 8_000, Instant.parse("2026-06-12T10:00:00Z"), "tip");
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        runNow();
        assertThat(stored("2026-06").statement().lines()).singleElement()
                .satisfies(line -> assertThat(line.classification()).isEqualTo(Classification.REVIEW));
        stores.ledger().resolve(new ReviewResolution("coach", "pi_tip", Classification.SHARED, "Tips are course revenue",
                Instant.parse("2026-08-20T10:00:00Z"), List.of(tip)));

        clock.set(Instant.parse("2026-09-05T06:00:00Z"));
        RunSummary september = runNow();

        assertThat(september.results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-08", Outcome.SENT));
        Statement august = stored("2026-08").statement();
        assertThat(august.supplementary()).isTrue();
        assertThat(august.lines()).extracting(Statement.StatementLine::lineId, Statement.StatementLine::classification)
                .containsExactly(tuple("pi_tip:resolved", Classification.SHARED));
        assertThat(august.totals().partnerPayable()).isEqualTo(2_000);
    }

    @Test
    void anAccountThatGoesOnSellingAfterTheTermIsReadOnlyForWhatIsNewAndALateRefundIsStillFound() {
        terminatedJune30();
        LedgerLine sale = sale("pi_june", 100_000, Instant.parse("2026-06-10T10:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        runNow();
        // the expert's account goes on selling after the term, month after month
        for (String day : List.of("2026-08-20", "2026-09-20", "2026-10-20", "2026-11-20")) {
            sale("pi_after_" + day, 50_000, Instant.parse(day + "T10:00:00Z"));
        }

        for (String day : List.of("2026-09-05", "2026-10-05", "2026-11-05", "2026-12-05")) {
            clock.set(Instant.parse(day + "T06:00:00Z"));
            ledger.reads.clear();
            assertThat(run.due(clock.instant(), null, null)).as(day).isEmpty();
        }

        // December's look read only what was recorded since November began (less a day of clock skew)
        assertThat(ledger.reads).containsExactly(Instant.parse("2026-10-31T00:00:00Z"));
        // a refund of the June sale, inside the settlement period, recorded in December: found, and alone on its statement
        refund(sale, "re_december", -20_000, Instant.parse("2026-07-25T10:00:00Z"), Instant.parse("2026-12-10T10:00:00Z"));
        clock.set(Instant.parse("2027-01-05T06:00:00Z"));
        assertThat(runNow().results()).extracting(Result::period, Result::outcome).containsExactly(tuple("2026-12", Outcome.SENT));
        assertThat(stored("2026-12").statement().lines()).extracting(Statement.StatementLine::lineId).containsExactly("re_december");
        assertThat(outbox.sent).containsExactly("coach-2026-06-expert", "coach-2026-06-partner", "coach-2026-07-expert", "coach-2026-07-partner", "coach-2026-12-supplementary-expert", "coach-2026-12-supplementary-partner");
    }

    @Test
    void aSupplementaryStatementThatCannotBeSentIsRetriedAndTheNextOneContinuesFromIt() {
        terminatedJune30();
        LedgerLine sale = sale("pi_june", 100_000, Instant.parse("2026-06-10T10:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        runNow();
        refund(sale, "re_1", -10_000, Instant.parse("2026-07-20T10:00:00Z"), Instant.parse("2026-08-10T10:00:00Z"));
        outbox.refuse("2026-08-supplementary");
        clock.set(Instant.parse("2026-09-05T06:00:00Z"));
        assertThat(runNow().results()).extracting(Result::outcome).containsExactly(Outcome.FAILED);
        refund(sale, "re_2", -20_000, Instant.parse("2026-07-25T10:00:00Z"), Instant.parse("2026-09-10T10:00:00Z"));

        clock.set(Instant.parse("2026-10-05T06:00:00Z"));
        RunSummary october = runNow();

        assertThat(october.results()).extracting(Result::period, Result::outcome)
                .containsExactly(tuple("2026-08", Outcome.FAILED), tuple("2026-09", Outcome.SENT));
        assertThat(stored("2026-09").statement().lines()).extracting(Statement.StatementLine::lineId).containsExactly("re_2");
        assertThat(stored("2026-09").statement().years()).singleElement()
                .satisfies(year -> assertThat(year.entitlementToDate()).isEqualTo(17_500));
    }

    @Test
    void previewOfAMonthAfterTheFinalOneIsTheSupplementaryStatementThatWouldFollowTheLatest() {
        terminatedJune30();
        LedgerLine sale = sale("pi_june", 100_000, Instant.parse("2026-06-10T10:00:00Z"));
        clock.set(Instant.parse("2026-08-05T06:00:00Z"));
        runNow();
        refund(sale, "re_late", -40_000, Instant.parse("2026-07-20T10:00:00Z"), Instant.parse("2026-08-10T10:00:00Z"));
        clock.set(Instant.parse("2026-11-02T06:00:00Z"));

        Statement preview = run.preview("coach", YearMonth.of(2026, 10));

        assertThat(preview.supplementary()).isTrue();
        assertThat(preview.lines()).extracting(Statement.StatementLine::lineId).containsExactly("re_late");
        assertThat(stores.statements().latestAfter("coach", YearMonth.of(2026, 7))).as("nothing stored").isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private RunSummary runNow() {
        return run.run(clock.instant(), null, null);
    }

    private StoredStatement stored(String month) {
        return stores.statements().find("coach", YearMonth.parse(month)).orElseThrow();
    }

    private void openEndedFrom(LocalDate start) {
        put(new Agreement("coach", "Coach x Acme", new Agreement.Party("Coach", List.of("coach@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example")), "acct_coach", "usd", ZoneOffset.UTC, start, null,
                List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), null), start);
    }

    /** Ended by mutual termination on June 30, with a settlement period of 30 days: July's statement is the final one. */
    private void terminatedJune30() {
        terminatedJune30(null);
    }

    private void terminatedJune30(RevenueDefinition revenue) {
        LocalDate start = LocalDate.of(2026, 6, 1);
        put(new Agreement("coach", "Coach x Acme", new Agreement.Party("Coach", List.of("coach@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example")), "acct_coach", "usd", ZoneOffset.UTC, start,
                LocalDate.of(2027, 5, 31), List.of(new Agreement.SplitStep(1, BigDecimal.valueOf(25))), revenue, null, List.of(),
                new Agreement.Termination(Agreement.Termination.Type.MUTUAL, LocalDate.of(2026, 6, 30)), null, 30), start);
    }

    private void put(Agreement agreement, LocalDate start) {
        stores.agreements().put(agreement, start.minusDays(10).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** A sale of the course, recorded a second after it happened. */
    private LedgerLine sale(String id, long amount, Instant at) {
        return sale(id, amount, at, "course");
    }

    private LedgerLine sale(String id, long amount, Instant at, String category) {
        LedgerLine line = new LedgerLine("coach", id, "ch_" + id, LineType.SALE, amount, "usd", at, at, at.plusSeconds(1),
                category, "cus_1", "evt_" + id);
        TestLedger.record(stores.bookings(), line);
        return line;
    }

    private void refund(LedgerLine sale, String id, long amount, Instant at, Instant recordedAt) {
        TestLedger.record(stores.bookings(), new LedgerLine("coach", id, id, LineType.REFUND, amount, "usd", at,
                sale.saleOccurredAt(), recordedAt, sale.category(), sale.customer(), "evt_" + id, sale.saleId()));
    }

    /** The ledger, noting where each read of recorded lines starts. */
    private static final class ReadsOfTheLedger implements LedgerStore {
        final List<Instant> reads = new ArrayList<>();
        private final LedgerStore ledger;

        ReadsOfTheLedger(LedgerStore ledger) {
            this.ledger = ledger;
        }

        @Override
        public List<LedgerLine> recordedBetween(String agreementId, Instant from, Instant to) {
            reads.add(from);
            return ledger.recordedBetween(agreementId, from, to);
        }

        @Override
        public void resolve(ReviewResolution resolution) {
            ledger.resolve(resolution);
        }

        @Override
        public List<ReviewResolution> resolutions(String agreementId) {
            return ledger.resolutions(agreementId);
        }

        @Override
        public List<SetAsideEvent> setAside() {
            return ledger.setAside();
        }

        @Override
        public List<WaitingPayment> waiting(String agreementId) {
            return ledger.waiting(agreementId);
        }
    }

    /** Emails by reference, in the order sent; refuses those it is told to, as SES refuses a bad address. */
    private static final class Outbox implements StatementMailer {
        final List<String> sent = new ArrayList<>();
        final List<String> subjects = new ArrayList<>();
        final List<List<String>> recipients = new ArrayList<>();
        private final Set<String> refused = new HashSet<>();

        void refuse(String referenceEnd) {
            refused.add(referenceEnd);
        }

        void accept(String referenceEnd) {
            refused.remove(referenceEnd);
        }

        @Override
        public String send(OutgoingEmail email) {
            // refused by statement ("2026-09": both parties' messages) or by one party's message ("2026-09-expert")
            String statement = email.reference().replaceFirst("-(expert|partner)$", "");
            if (refused.stream().anyMatch(part -> statement.endsWith(part) || email.reference().endsWith(part))) {
                throw new IllegalStateException("SES refused the message");
            }
            sent.add(email.reference());
            subjects.add(email.subject());
            recipients.add(email.recipients());
            return "msg-" + email.reference();
        }
    }

    /** A statement that never went out has no sign-off yet: its resend opens the window, it looks none up. */
    private static StatementResend.SignOffNow signOffsNone() {
        return (agreement, stored, now) -> {
            throw new AssertionError("a statement that was never sent has no sign-off to look up");
        };
    }
}
