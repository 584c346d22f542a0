package dev.revshare.payouts;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import dev.revshare.statements.AfterSending;
import dev.revshare.statements.StatementMailer;
import dev.revshare.domain.PaymentStanding;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays the partner what a statement says they are owed, and keeps the record: a payment made by hand and recorded
 * with its reference, or a Stripe Connect transfer revshare asks for. A payout is its own record, never a change to
 * the statement; the next statement lists it. A negative balance is never paid back by a transfer: it is carried
 * forward, as on the statements.
 *
 * <p>A transfer is recorded as SUBMITTED before Stripe is asked, under an idempotency key that is the statement's
 * reference ("sarah-mindfulness-2026-10"; "…-retry-N" when a person retries after Stripe refused it), so that a run
 * that stops before it hears Stripe's answer asks again under the same key and Stripe makes it once.
 */
public final class PartnerPayouts implements AfterSending {
    private static final Logger log = LoggerFactory.getLogger(PartnerPayouts.class);
    /** Two people recording at the same moment each take the next number; this many tries is plenty. */
    private static final int NUMBER_TRIES = 5;

    private final AgreementStore agreements;
    private final StatementStore statements;
    private final StripeTransfers transfers;
    private final String transfersMissing;
    private final StatementMailer mailer;
    private final RemittanceAdvice advice;
    private final Clock clock;

    /**
     * @param transfers        Stripe transfers with the platform's key, or null when there is none here
     * @param transfersMissing what to do when there is none (where the key goes), for the message
     */
    public PartnerPayouts(AgreementStore agreements, StatementStore statements, StripeTransfers transfers,
                          String transfersMissing, StatementMailer mailer, String sender, Clock clock) {
        this.agreements = agreements;
        this.statements = statements;
        this.transfers = transfers;
        this.transfersMissing = transfersMissing;
        this.mailer = mailer;
        this.advice = new RemittanceAdvice(sender);
        this.clock = clock;
    }

    /**
     * Where a statement's payment stands.
     *
     * @param payable what the statement says the partner is owed now (negative: carried forward, never paid)
     * @param paid    its payouts that are PAID, in all
     */
    public record Standing(Agreement agreement, Statement statement, long payable, long paid, List<Payout> payouts) {
        public long outstanding() {
            return Math.max(0, payable - paid);
        }

        /** A transfer asked of Stripe whose answer is not known yet. */
        public Optional<Payout> submitted() {
            return payouts.stream().filter(p -> p.status() == Payout.Status.SUBMITTED).findFirst();
        }

        int nextNumber() {
            return payouts.stream().mapToInt(Payout::number).max().orElse(0) + 1;
        }
    }

    /** The statement's payable amount, its payouts, and what is still owed. */
    public Standing standing(String agreementId, YearMonth period) {
        Agreement agreement = agreements.find(agreementId)
                .orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        StoredStatement stored = statements.findWithoutLines(agreementId, period)
                .orElseThrow(() -> new IllegalArgumentException("no statement for " + agreementId + " " + period
                        + ": a payout is recorded against an issued statement (revshare statements show)"));
        List<Payout> ofStatement = statements.payouts(agreementId).stream().filter(p -> p.period().equals(period)).toList();
        long payable = stored.statement().totals().partnerPayable();
        return new Standing(agreement, stored.statement(), payable, PaymentStanding.paid(ofStatement, period), ofStatement);
    }

    /** Every statement of the agreement with a payout, or with something owed, oldest first. */
    public List<Payout> payouts(String agreementId) {
        agreements.find(agreementId).orElseThrow(() -> new IllegalArgumentException("no agreement with id " + agreementId));
        return statements.payouts(agreementId).stream()
                .sorted(Comparator.comparing(Payout::period).thenComparing(Payout::number)).toList();
    }

    /**
     * Records a payment made outside revshare (a bank transfer), whole or partial, and sends both parties the notice.
     *
     * @param amount    minor units of the statement's currency, at most what is still owed
     * @param reference the bank transfer's reference
     * @throws IllegalArgumentException naming what is wrong; nothing is recorded
     */
    public Payout record(String agreementId, YearMonth period, long amount, String reference, String by) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("give the payment's reference (the bank transfer's), so both parties can find it");
        }
        requireBy(by);
        Standing standing = standing(agreementId, period);
        check(standing, amount);
        Instant now = now();
        Payout payout = recordNew(standing, number -> new Payout(agreementId, period, number, amount,
                standing.statement().currency(), Payout.Method.RECORDED, Payout.Status.PAID, reference.strip(), null, null,
                now, now, by));
        notifyParties(standing.agreement(), payout);
        return payout;
    }

    /**
     * Pays what the statement still owes by a Stripe Connect transfer to the partner's connected account. A transfer
     * whose answer was not heard is asked for again under its idempotency key (Stripe makes it once); one Stripe
     * refused is tried again only when a person says so ({@code retry}).
     *
     * @return the payout, PAID or FAILED (with Stripe's reason)
     * @throws IllegalArgumentException naming what is wrong (not paid by transfer, nothing owed, the last one refused)
     * @throws StripeTransfers.NotAnswered when Stripe's answer is not known: run it again
     */
    public Payout pay(String agreementId, YearMonth period, String by, boolean retry) {
        requireBy(by);
        Standing standing = standing(agreementId, period);
        Agreement agreement = standing.agreement();
        if (!agreement.payouts().byTransfer()) {
            throw new IllegalArgumentException(agreementId + "'s partner is paid by hand: record the payment with `revshare "
                    + "payouts record` (or give the agreement file payouts: {method: stripe-transfer, destination: acct_…})");
        }
        if (transfers == null) {
            throw new IllegalArgumentException("no Stripe key to make transfers with: " + transfersMissing + ". Nothing was paid.");
        }
        Optional<Payout> unanswered = standing.submitted();
        if (unanswered.isPresent()) {
            return submit(agreement, unanswered.get());
        }
        if (standing.payable() <= 0) {
            throw new IllegalArgumentException("the statement for " + agreementId + " " + period + " owes the partner nothing ("
                    + Money.format(standing.payable(), standing.statement().currency()) + "; a negative balance is carried "
                    + "forward to the next statement, never paid back by a transfer)");
        }
        if (standing.outstanding() == 0) {
            throw new IllegalArgumentException("the statement for " + agreementId + " " + period + " is paid in full ("
                    + Money.format(standing.paid(), standing.statement().currency()) + ")");
        }
        List<Payout> refused = standing.payouts().stream()
                .filter(p -> p.method() == Payout.Method.STRIPE_TRANSFER && p.status() == Payout.Status.FAILED).toList();
        if (!refused.isEmpty() && !retry) {
            Payout last = refused.get(refused.size() - 1);
            throw new IllegalArgumentException("the last transfer for " + agreementId + " " + period + " was refused by "
                    + "Stripe: " + last.failure() + ". Put it right (top up the platform's balance, check the partner's "
                    + "account), then run it again with --retry");
        }
        String key = refused.isEmpty() ? statementReference(agreement, period)
                : statementReference(agreement, period) + "-retry-" + refused.size();
        Instant now = now();
        long amount = standing.outstanding();
        Payout submitted = recordNew(standing, number -> new Payout(agreementId, period, number, amount,
                standing.statement().currency(), Payout.Method.STRIPE_TRANSFER, Payout.Status.SUBMITTED, null, key, null, now,
                null, by));
        return submit(agreement, submitted);
    }

    /** After a statement was sent and announced: the automatic transfer, in a few words for the run's result. */
    @Override
    public String sent(Agreement agreement, Statement statement) {
        return payAutomatically(agreement, statement).map(p -> p.paid()
                ? "; paid " + Money.format(p.amount(), p.currency()) + " by transfer " + p.reference()
                : "; the automatic transfer was refused: " + p.failure()).orElse("");
    }

    /**
     * After a statement was sent: pays it when the agreement says its partner is paid by automatic transfer and it owes
     * something. Never throws: a statement that went out stays sent; a refused or unanswered transfer is on the payout
     * record, logged here, and shown by {@code revshare payouts list}.
     *
     * @return the payout, or empty when none was due or it could not be made
     */
    public Optional<Payout> payAutomatically(Agreement agreement, Statement statement) {
        try {
            Optional<Payout> payout = payIfAutomatic(agreement, statement.period());
            payout.filter(p -> p.status() == Payout.Status.FAILED).ifPresent(p -> log.error("agreement {} period {}: the "
                    + "automatic transfer was refused by Stripe: {}; a person pays it with `revshare payouts pay --retry`",
                    agreement.id(), statement.period(), p.failure()));
            return payout;
        } catch (RuntimeException e) {
            log.error("agreement {} period {}: the automatic transfer was not made; `revshare payouts pay` makes it "
                    + "(a transfer asked for already is asked again under its idempotency key, never paid twice)",
                    agreement.id(), statement.period(), e);
            return Optional.empty();
        }
    }

    /**
     * The automatic transfer of a statement that was sent, as many times as it is asked (a statement announced twice, an
     * invocation retried): a transfer whose answer was not heard is asked again under its key; one made or refused
     * before is left as it is (a refused one is retried only by a person); nothing is done for an agreement paid by hand
     * or a statement that owes nothing.
     *
     * @return the payout made (or refused) now, or empty when there was none to make
     * @throws StripeTransfers.NotAnswered when Stripe's answer is not known: ask again
     */
    public Optional<Payout> payIfAutomatic(Agreement agreement, YearMonth period) {
        if (!agreement.payouts().automatic()) {
            return Optional.empty();
        }
        Standing standing = standing(agreement.id(), period);
        if (standing.submitted().isPresent()) {
            return Optional.of(pay(agreement.id(), period, AUTOMATIC, false));
        }
        boolean refusedBefore = standing.payouts().stream()
                .anyMatch(p -> p.method() == Payout.Method.STRIPE_TRANSFER && p.status() == Payout.Status.FAILED);
        if (standing.payable() <= 0 || standing.outstanding() == 0 || refusedBefore) {
            return Optional.empty();
        }
        return Optional.of(pay(agreement.id(), period, AUTOMATIC, false));
    }

    /** Who asks for the automatic transfers, on their payout records. */
    public static final String AUTOMATIC = "revshare (automatic transfer)";

    /** The statement's reference: its transfer group and the first transfer's idempotency key. */
    public static String statementReference(Agreement agreement, YearMonth period) {
        return agreement.id() + "-" + period;
    }

    private Payout submit(Agreement agreement, Payout submitted) {
        StripeTransfers.Transfer transfer = new StripeTransfers.Transfer(submitted.amount(), submitted.currency(),
                agreement.payouts().destination(), statementReference(agreement, submitted.period()),
                submitted.idempotencyKey(), agreement.name() + ": partner's share, statement of " + submitted.period(),
                agreement.id(), submitted.period().toString());
        Payout settled;
        try {
            String transferId = transfers.transfer(transfer);
            settled = submitted.settled(Payout.Status.PAID, transferId, null, now());
        } catch (StripeTransfers.Refused refused) {
            settled = submitted.settled(Payout.Status.FAILED, null, refused.getMessage(), now());
        }
        if (!statements.settlePayout(settled)) {
            // another attempt heard Stripe first (same key, same transfer): what it recorded stands
            return statements.payouts(agreement.id()).stream()
                    .filter(p -> p.period().equals(submitted.period()) && p.number() == submitted.number())
                    .findFirst().orElseThrow();
        }
        if (settled.paid()) {
            notifyParties(agreement, settled);
        }
        return settled;
    }

    private Payout recordNew(Standing standing, java.util.function.IntFunction<Payout> numbered) {
        int number = standing.nextNumber();
        for (int tries = 0; tries < NUMBER_TRIES; tries++, number++) {
            Payout payout = numbered.apply(number);
            if (statements.recordPayout(payout)) {
                return payout;
            }
        }
        throw new IllegalStateException("could not number the payout for " + standing.agreement().id() + " "
                + standing.statement().period() + ": others were being recorded at the same moment; try again");
    }

    private static void check(Standing standing, long amount) {
        String currency = standing.statement().currency();
        String which = standing.agreement().id() + " " + standing.statement().period();
        if (standing.submitted().isPresent()) {
            throw new IllegalArgumentException("a Stripe transfer for " + which + " is waiting for Stripe's answer: run "
                    + "`revshare payouts pay` to hear it first (it asks again under the same idempotency key)");
        }
        if (amount <= 0) {
            throw new IllegalArgumentException("a payment is more than zero (was " + Money.format(amount, currency) + ")");
        }
        if (standing.payable() <= 0) {
            throw new IllegalArgumentException("the statement for " + which + " owes the partner nothing ("
                    + Money.format(standing.payable(), currency) + "): a negative balance is carried forward to the next "
                    + "statement, and the final statement says what the partner pays back");
        }
        if (amount > standing.outstanding()) {
            throw new IllegalArgumentException(Money.format(amount, currency) + " is more than the statement for " + which
                    + " still owes the partner (" + Money.format(standing.outstanding(), currency) + " of "
                    + Money.format(standing.payable(), currency) + ")");
        }
    }

    private void notifyParties(Agreement agreement, Payout payout) {
        Standing now = standing(agreement.id(), payout.period());
        try {
            mailer.send(advice.build(agreement, payout, now.payable(), now.paid()));
        } catch (RuntimeException e) {
            // the payment is recorded either way; the notice is a courtesy a person can repeat
            log.error("agreement {} period {}: payment {} recorded, but its notice to both parties was not sent",
                    agreement.id(), payout.period(), payout.number(), e);
        }
    }

    private static void requireBy(String by) {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("say who records the payment (--by)");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
