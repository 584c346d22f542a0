package dev.revshare.store;

import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Classification;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementHash;
import dev.revshare.store.StatementStore.Delivery;
import dev.revshare.store.StatementStore.DeliveryOutcome;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StatementStore} must do, whatever it stores in: each move of a statement's sending state
 * under exactly its condition, and the reads a run relies on to find what is left to do. The DynamoDB repository
 * and the in-memory store of the fast tests both pass it, so a run's rule proven on one holds on the other.
 */
abstract class StatementStoreContract {
    static final YearMonth JULY = YearMonth.of(2026, 7);
    static final YearMonth AUGUST = YearMonth.of(2026, 8);
    static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final Instant AT = Instant.parse("2026-11-05T06:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(15);

    /** A fresh, empty store. */
    abstract StatementStore freshStore();

    StatementStore store;

    @BeforeEach
    void fresh() {
        store = freshStore();
    }

    @Test
    void statementIsCreatedOnceClaimedByOneRunAtATimeAndMarkedSentOnce() {
        Statement statement = statement("a", OCTOBER, false, 2);

        assertThat(store.create(statement)).isTrue();
        assertThat(store.create(statement)).isFalse();
        assertThat(store.find("a", OCTOBER)).get().extracting(StoredStatement::status).isEqualTo(Status.COMPUTED);

        assertThat(store.claimForSending("a", OCTOBER, "run-1", AT, LEASE)).isTrue();
        assertThat(store.claimForSending("a", OCTOBER, "run-2", AT.plusSeconds(60), LEASE)).isFalse(); // run-1 is sending
        assertThat(store.markPartySent("a", OCTOBER, "run-2", Side.EXPERT, "msg-2")).isFalse();          // not its claim
        assertThat(store.markSent("a", OCTOBER, "run-2", AT.plusSeconds(61))).isFalse();
        assertThat(store.markFailed("a", OCTOBER, "run-1", "SES throttled", AT.plusSeconds(2))).isTrue();
        StoredStatement failed = store.find("a", OCTOBER).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).isEqualTo("SES throttled");

        assertThat(store.claimForSending("a", OCTOBER, "run-3", AT.plusSeconds(3600), LEASE)).isTrue(); // a failed one is retried
        assertThat(store.markPartySent("a", OCTOBER, "run-3", Side.EXPERT, "msg-1e")).isTrue();
        assertThat(store.markPartySent("a", OCTOBER, "run-3", Side.PARTNER, "msg-1p")).isTrue();
        assertThat(store.markSent("a", OCTOBER, "run-3", AT.plusSeconds(3601))).isTrue();
        assertThat(store.markSent("a", OCTOBER, "run-3", AT.plusSeconds(3602))).isFalse();
        assertThat(store.markPartySent("a", OCTOBER, "run-3", Side.PARTNER, "msg-9")).as("sent: no longer claimed").isFalse();
        assertThat(store.claimForSending("a", OCTOBER, "run-4", AT.plus(Duration.ofDays(1)), LEASE)).isFalse();

        StoredStatement stored = store.find("a", OCTOBER).orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.SENT);
        assertThat(stored.messages()).isEqualTo(new SentMessages("msg-1e", "msg-1p"));
        assertThat(stored.sentAt()).isEqualTo(AT.plusSeconds(3601));
        assertThat(stored.attempts()).isEqualTo(2);
        assertThat(stored.error()).isNull();
        assertThat(stored.statement()).isEqualTo(statement);
        assertThat(store.find("a", SEPTEMBER)).isEmpty();
    }

    @Test
    void aClaimOlderThanItsLeaseIsTakenOverAndTheOldClaimCanNoLongerMarkIt() {
        store.create(statement("a", OCTOBER, false, 0));
        assertThat(store.claimForSending("a", OCTOBER, "stopped", AT, LEASE)).isTrue();

        assertThat(store.claimForSending("a", OCTOBER, "next", AT.plus(LEASE).minusMillis(1), LEASE)).isFalse();
        assertThat(store.claimForSending("a", OCTOBER, "next", AT.plus(LEASE).plusMillis(1), LEASE)).isTrue();
        assertThat(store.markPartySent("a", OCTOBER, "stopped", Side.EXPERT, "msg-old")).isFalse();
        assertThat(store.markSent("a", OCTOBER, "stopped", AT.plus(LEASE))).isFalse();
        assertThat(store.markPartySent("a", OCTOBER, "next", Side.EXPERT, "msg-new")).isTrue();
        assertThat(store.markSent("a", OCTOBER, "next", AT.plus(LEASE).plusSeconds(1))).isTrue();
        assertThat(store.find("a", OCTOBER).orElseThrow().messages()).isEqualTo(new SentMessages("msg-new", null));
    }

    @Test
    void aPartysMessageNotedUnderAFailedClaimStaysNotedForTheNextClaim() {
        store.create(statement("a", OCTOBER, false, 1));
        assertThat(store.claimForSending("a", OCTOBER, "run-1", AT, LEASE)).isTrue();
        assertThat(store.markPartySent("a", OCTOBER, "run-1", Side.EXPERT, "msg-expert")).isTrue();
        assertThat(store.markFailed("a", OCTOBER, "run-1", "to the partner: address refused", AT)).isTrue();

        assertThat(store.findWithoutLines("a", OCTOBER).orElseThrow().messages())
                .isEqualTo(new SentMessages("msg-expert", null));
        assertThat(store.claimForSending("a", OCTOBER, "run-2", AT.plusSeconds(60), LEASE)).isTrue();
        assertThat(store.markPartySent("a", OCTOBER, "run-2", Side.PARTNER, "msg-partner")).isTrue();
        assertThat(store.markSent("a", OCTOBER, "run-2", AT.plusSeconds(61))).isTrue();

        StoredStatement sent = store.findWithoutLines("a", OCTOBER).orElseThrow();
        assertThat(sent.messages()).isEqualTo(new SentMessages("msg-expert", "msg-partner"));
        assertThat(sent.status()).isEqualTo(Status.SENT);
    }

    @Test
    void unfinishedListsTheAgreementsStatementsNotYetSentAndAnnouncedOldestFirstWithoutTheirLines() {
        for (YearMonth month : List.of(AUGUST, SEPTEMBER, OCTOBER, NOVEMBER)) {
            assertThat(store.create(statement("a", month, false, 3))).isTrue();
        }
        store.create(statement("b", SEPTEMBER, false, 1));
        store.beginClosing("a", AT);
        sendAndAnnounce("a", AUGUST, "msg-aug");
        assertThat(store.claimForSending("a", SEPTEMBER, "run-1", AT, LEASE)).isTrue();
        assertThat(store.markFailed("a", SEPTEMBER, "run-1", "Missing domain", AT)).isTrue();
        assertThat(store.claimForSending("a", OCTOBER, "run-1", AT, LEASE)).isTrue();
        assertThat(store.markSent("a", OCTOBER, "run-1", AT)).isTrue(); // and not announced yet

        List<StoredStatement> unfinished = store.unfinished("a");

        assertThat(unfinished).extracting(s -> s.statement().period(), StoredStatement::status, StoredStatement::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SEPTEMBER, Status.FAILED, "Missing domain"),
                        org.assertj.core.groups.Tuple.tuple(OCTOBER, Status.SENT, null),
                        org.assertj.core.groups.Tuple.tuple(NOVEMBER, Status.COMPUTED, null));
        assertThat(unfinished).allSatisfy(s -> assertThat(s.statement().lines()).isEmpty());
        assertThat(unfinished.get(0).attempts()).isEqualTo(1);
        assertThat(store.unfinished("b")).extracting(s -> s.statement().agreementId()).containsExactly("b");
        assertThat(store.unfinished("c")).isEmpty();
    }

    @Test
    void aStatementIsFinishedOnceAnnouncedAndAnnouncedOnce() {
        store.create(statement("a", OCTOBER, false, 1));
        assertThat(store.markAnnounced("a", OCTOBER, AT)).as("not sent yet").isFalse();
        assertThat(store.unfinished("a")).hasSize(1);
        assertThat(store.claimForSending("a", OCTOBER, "run-1", AT, LEASE)).isTrue();
        assertThat(store.markSent("a", OCTOBER, "run-1", AT)).isTrue();

        assertThat(store.markAnnounced("a", OCTOBER, AT)).isTrue();
        assertThat(store.markAnnounced("a", OCTOBER, AT.plusSeconds(1))).isFalse();

        assertThat(store.unfinished("a")).isEmpty();
        assertThat(store.find("a", OCTOBER).orElseThrow().announced()).isTrue();
        assertThat(store.markAnnounced("a", NOVEMBER, AT)).as("no such statement").isFalse();
    }

    @Test
    void latestAfterFindsTheLatestStatementAfterAMonthWhateverItsSize() {
        store.create(statement("a", JULY, true, 2_500)); // the final statement, in several chunks on DynamoDB
        store.create(supplementary(statement("a", SEPTEMBER, false, 2)));
        store.create(supplementary(statement("a", NOVEMBER, false, 2_500)));
        store.create(statement("b", YearMonth.of(2027, 1), false, 1));
        store.beginClosing("a", AT);
        sendAndAnnounce("a", JULY, "msg-jul");

        assertThat(store.latestAfter("a", JULY)).get().satisfies(latest -> {
            assertThat(latest.statement().period()).isEqualTo(NOVEMBER);
            assertThat(latest.statement().supplementary()).isTrue();
            assertThat(latest.statement().lines()).isEmpty();
            assertThat(latest.status()).isEqualTo(Status.COMPUTED);
        });
        assertThat(store.latestAfter("a", OCTOBER)).get().extracting(s -> s.statement().period()).isEqualTo(NOVEMBER);
        assertThat(store.latestAfter("a", NOVEMBER)).isEmpty();
        assertThat(store.latestAfter("a", YearMonth.of(2026, 6))).get().extracting(s -> s.statement().period()).isEqualTo(NOVEMBER);
        assertThat(store.latestAfter("c", JULY)).isEmpty();
    }

    @Test
    void aSupplementaryStatementIsReadBackAsSupplementary() {
        Statement supplementary = supplementary(statement("a", SEPTEMBER, false, 3));
        store.create(supplementary);

        assertThat(store.find("a", SEPTEMBER).orElseThrow().statement()).isEqualTo(supplementary);
        assertThat(store.findWithoutLines("a", SEPTEMBER).orElseThrow().statement().supplementary()).isTrue();
    }

    @Test
    void nothingLateUntilOnlyMovesLater() {
        assertThat(store.nothingLateUntil("a")).isEmpty();

        store.noteNothingLateUntil("a", Instant.parse("2026-09-30T07:00:00.123Z"));
        store.noteNothingLateUntil("a", Instant.parse("2026-08-31T07:00:00Z"));

        assertThat(store.nothingLateUntil("a")).contains(Instant.parse("2026-09-30T07:00:00.123Z"));
        store.noteNothingLateUntil("a", Instant.parse("2026-10-31T07:00:00Z"));
        assertThat(store.nothingLateUntil("a")).contains(Instant.parse("2026-10-31T07:00:00Z"));
        assertThat(store.nothingLateUntil("b")).isEmpty();
    }

    @Test
    void theProofOfAMonthsReconciliationIsKeptReplacedByALaterCheckAndCarriedByTheStatement() {
        assertThat(store.reconciliation("a", OCTOBER)).isEmpty();
        Statement.Reconciliation failed = new Statement.Reconciliation(Statement.Reconciliation.Status.FAILED, AT, 0, Map.of(), 0,
                List.of(), 0, "Stripe answered 429 three times");
        store.storeReconciliation("a", OCTOBER, failed);
        assertThat(store.reconciliation("a", OCTOBER)).contains(failed);

        Statement.Reconciliation proof = proof(130);
        store.storeReconciliation("a", OCTOBER, proof);

        assertThat(store.reconciliation("a", OCTOBER)).contains(proof);
        assertThat(proof.differences()).hasSize(Statement.Reconciliation.DIFFERENCES_LISTED);
        assertThat(proof.differencesNotListed()).isEqualTo(30);
        assertThat(store.reconciliation("a", SEPTEMBER)).isEmpty();
        assertThat(store.reconciliation("b", OCTOBER)).isEmpty();
        // the proof item is no statement: reads of statements never meet it
        assertThat(store.latestAfter("a", JULY)).isEmpty();
        assertThat(store.unfinished("a")).isEmpty();

        Statement statement = statement("a", OCTOBER, false, 3).withReconciliation(proof);
        store.create(statement);
        assertThat(store.find("a", OCTOBER).orElseThrow().statement()).isEqualTo(statement);
        assertThat(store.findWithoutLines("a", OCTOBER).orElseThrow().statement().reconciliation()).isEqualTo(proof);
        assertThat(store.latestAfter("a", JULY)).get().extracting(s -> s.statement().period()).isEqualTo(OCTOBER);
    }

    @Test
    void payoutsAreNumberedOncePerStatementAndASubmittedTransferIsSettledOnce() {
        Payout first = new Payout("a", OCTOBER, 1, 10_000, "usd", Payout.Method.RECORDED, Payout.Status.PAID, "BANK-1", null,
                null, AT, AT, "ana");
        Payout transfer = new Payout("a", OCTOBER, 2, 15_000, "usd", Payout.Method.STRIPE_TRANSFER, Payout.Status.SUBMITTED,
                null, "a-2026-10", null, AT.plusSeconds(60), null, "ana");

        assertThat(store.recordPayout(first)).isTrue();
        assertThat(store.recordPayout(first.settled(Payout.Status.PAID, "BANK-OTHER", null, AT))).isFalse(); // number 1 is taken
        assertThat(store.recordPayout(transfer)).isTrue();
        assertThat(store.recordPayout(new Payout("b", OCTOBER, 1, 500, "usd", Payout.Method.RECORDED, Payout.Status.PAID,
                "B-1", null, null, AT, AT, "ana"))).isTrue();
        assertThat(store.recordPayout(new Payout("a", SEPTEMBER, 1, 700, "usd", Payout.Method.RECORDED, Payout.Status.PAID,
                "S-1", null, null, AT, AT, "ana"))).isTrue();

        assertThat(store.settlePayout(first.settled(Payout.Status.FAILED, null, "no", AT))).isFalse(); // not SUBMITTED
        Payout paid = transfer.settled(Payout.Status.PAID, "tr_1", null, AT.plusSeconds(61));
        assertThat(store.settlePayout(paid)).isTrue();
        assertThat(store.settlePayout(transfer.settled(Payout.Status.FAILED, null, "refused", AT.plusSeconds(62)))).isFalse();

        assertThat(store.payouts("a")).containsExactly(
                new Payout("a", SEPTEMBER, 1, 700, "usd", Payout.Method.RECORDED, Payout.Status.PAID, "S-1", null, null, AT, AT,
                        "ana"), first, paid);
        assertThat(store.payouts("nobody")).isEmpty();
    }

    @Test
    void aStatementStoredBeforeReconciliationExistedIsReadBackWithoutAProof() {
        store.create(statement("a", OCTOBER, false, 1));

        assertThat(store.find("a", OCTOBER).orElseThrow().statement().reconciliation()).isNull();
    }

    @Test
    void aStatementKeepsItsPlaceInTheChainAndHashesTheSameReadBack() {
        // the final month in several chunks on DynamoDB, then a supplementary one chained to it
        Statement july = StatementHash.seal(statement("a", JULY, true, 2_500).withReconciliation(proof(3)), null);
        Statement september = StatementHash.seal(supplementary(statement("a", SEPTEMBER, false, 2)), july);
        store.create(july);
        store.create(september);
        sendAndAnnounce("a", JULY, "msg-jul");

        Statement julyRead = store.find("a", JULY).orElseThrow().statement();
        assertThat(julyRead).isEqualTo(july);
        assertThat(julyRead.previousHash()).isEqualTo(StatementHash.GENESIS);
        assertThat(StatementHash.of(julyRead)).isEqualTo(july.hash());
        // the header alone carries both hashes, for the next statement to chain to
        assertThat(store.findWithoutLines("a", JULY).orElseThrow().statement())
                .extracting(Statement::previousHash, Statement::hash).containsExactly("", july.hash());
        assertThat(store.latestAfter("a", JULY)).get().extracting(s -> s.statement().previousHash(), s -> s.statement().hash())
                .containsExactly(july.hash(), september.hash());
        assertThat(store.unfinished("a")).singleElement().extracting(s -> s.statement().hash()).isEqualTo(september.hash());
        assertThat(StatementHash.of(store.find("a", SEPTEMBER).orElseThrow().statement())).isEqualTo(september.hash());
        // sending it, and what SES reports about it, change nothing that is hashed
        store.recordDelivery(new Delivery("evt-1", "msg-jul", DeliveryOutcome.BOUNCED, AT, List.of("sarah@example.com")));
        assertThat(StatementHash.of(store.find("a", JULY).orElseThrow().statement())).isEqualTo(july.hash());
    }

    /** A month of {@code differences} movements missing in Stripe, with long details: the largest a proof gets. */
    static Statement.Reconciliation proof(int differences) {
        List<Statement.Reconciliation.Difference> each = new ArrayList<>();
        for (int i = 0; i < differences; i++) {
            each.add(new Statement.Reconciliation.Difference("ch_3Missing" + i, Statement.Reconciliation.Kind.MISSING_IN_STRIPE,
                    "sale", AT.minusSeconds(86_400L * 10 + i), null, null, 29_700L, "usd",
                    "the ledger has it; Stripe's balance transactions around the month do not list it " + "x".repeat(200)));
        }
        return new Statement.Reconciliation(Statement.Reconciliation.Status.DIFFERENCES, AT, 2_000, Map.of("usd", 59_400_000L),
                3, each, differences, null);
    }

    private void sendAndAnnounce(String agreementId, YearMonth month, String messageId) {
        assertThat(store.claimForSending(agreementId, month, "run-0", AT, LEASE)).isTrue();
        assertThat(store.markPartySent(agreementId, month, "run-0", Side.EXPERT, messageId)).isTrue();
        assertThat(store.markPartySent(agreementId, month, "run-0", Side.PARTNER, messageId + "-partner")).isTrue();
        assertThat(store.markSent(agreementId, month, "run-0", AT)).isTrue();
        assertThat(store.markAnnounced(agreementId, month, AT)).isTrue();
    }

    static Statement supplementary(Statement s) {
        return new Statement(s.agreementId(), s.agreementName(), s.period(), s.currency(), false, true, s.closedAt(),
                s.totals(), s.years(), s.lines(), null, s.recentPartnerShares());
    }

    /** A statement of {@code lines} sales of $100.00 (a long month is stored in several chunks on DynamoDB). */
    static Statement statement(String agreementId, YearMonth period, boolean isFinal, int lines) {
        List<Statement.StatementLine> each = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            each.add(new Statement.StatementLine("ch_" + period + "_" + i + "_" + "x".repeat(120), "ch_" + i,
                    period.atDay(10).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), LineType.SALE, "course",
                    Classification.SHARED, null, 10_000, "usd", new BigDecimal("0.25"), 1, false, "cus_" + i));
        }
        long gross = 10_000L * lines;
        return new Statement(agreementId, "Sarah x Acme", period, "usd", isFinal, Instant.parse("2026-11-02T06:00:00Z"),
                new Statement.Totals(gross, 0, 0, gross, gross / 4, gross - gross / 4, 0, 0, 0, gross / 4, 0),
                List.of(new Statement.YearSummary(1, new BigDecimal("0.25"), null, gross / 4, false,
                        new BigDecimal(gross).multiply(new BigDecimal("0.25")))),
                each, null, List.of());
    }
}
