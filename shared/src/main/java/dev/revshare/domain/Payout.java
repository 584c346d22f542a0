package dev.revshare.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One payment to the partner against one issued statement: its own record, never a change to the statement. A
 * statement may be paid in parts; what is still owed is its payable amount less its payouts that are {@code PAID}.
 *
 * @param number         1, 2, 3… for the statement, in the order the payouts were recorded
 * @param amount         minor units of {@code currency}, more than zero
 * @param reference      the bank transfer's reference given by the person who recorded it, or the Stripe transfer's id
 *                       ({@code tr_…}) once Stripe made it (null before)
 * @param idempotencyKey a Stripe transfer's {@code Idempotency-Key}: the statement's reference for its first transfer,
 *                       so that asking again never pays twice; null for a payment recorded by hand
 * @param failure        Stripe's reason, when the transfer was refused
 * @param recordedAt     when it was recorded (a transfer: when it was asked for)
 * @param settledAt      when it was paid or refused; null while a transfer's answer is not known
 * @param by             who recorded or asked for it
 */
public record Payout(String agreementId, YearMonth period, int number, long amount, String currency, Method method,
                     Status status, String reference, String idempotencyKey, String failure, Instant recordedAt,
                     Instant settledAt, String by) {

    public Payout {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(status, "status");
        if (amount <= 0) {
            throw new IllegalArgumentException("a payout is more than zero (was " + amount + ")");
        }
        if (number < 1) {
            throw new IllegalArgumentException("payouts are numbered from 1 (was " + number + ")");
        }
    }

    public boolean paid() {
        return status == Status.PAID;
    }

    /** The same payout, paid (with Stripe's transfer id, for a transfer) or refused (with Stripe's reason). */
    public Payout settled(Status outcome, String settledReference, String why, Instant at) {
        return new Payout(agreementId, period, number, amount, currency, method, outcome, settledReference, idempotencyKey,
                why, recordedAt, at, by);
    }

    public enum Method {
        /** paid outside revshare (a bank transfer) and recorded by a person with its reference */
        RECORDED,
        /** a Stripe Connect transfer revshare asked Stripe to make */
        STRIPE_TRANSFER
    }

    public enum Status {
        /** a transfer was asked of Stripe and its answer is not known yet (asking again is safe: same idempotency key) */
        SUBMITTED,
        PAID,
        /** Stripe refused the transfer; only a person tries again */
        FAILED
    }
}
