package dev.revshare.ingest;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the ledger knows of one payment, kept together so that each Stripe event changes it in
 * one step: the ids it is known by, how each kind of Stripe object described it, its refunds and its
 * dispute movements, and the ledger lines booked for it now. The lines the payment should have follow
 * from the rest ({@link PaymentLines}); booking an event is changing this record and writing the
 * difference, all or nothing, under {@link #version()}.
 *
 * @param descriptions how each kind of object described the payment; the best of them is booked
 * @param refunds      what is known of the payment's refunds, and the refunded total booked
 * @param refundSteps  each change of the booked refunded total, in order (they name the refund lines)
 * @param disputes     money moved by disputes, by balance transaction id
 * @param booked       the payment's lines in the ledger now
 * @param waitingSince when a refund or dispute first arrived before anything described the payment
 * @param version      0 for a record not stored yet; one more on every write
 */
public record PaymentRecord(String agreementId, PaymentIds ids, Map<PaymentSource, Description> descriptions,
                            RefundState refunds, List<RefundStep> refundSteps, Map<String, DisputeMovement> disputes,
                            List<LedgerLine> booked, Instant waitingSince, long version) {

    public PaymentRecord {
        descriptions = descriptions.isEmpty() ? Map.of() : new EnumMap<>(descriptions);
        refundSteps = List.copyOf(refundSteps);
        disputes = new TreeMap<>(disputes);
        booked = List.copyOf(booked);
    }

    /** A payment nothing is known of yet. */
    public static PaymentRecord empty(String agreementId, PaymentIds ids) {
        return new PaymentRecord(agreementId, ids, Map.of(), RefundState.NONE, List.of(), Map.of(), List.of(), null, 0);
    }

    /** How one Stripe object (or, with an API key, all of them) described the payment, and which event said so. */
    public record Description(Payment payment, String eventId) {}

    /**
     * One change of the booked refunded total, from {@code from} to {@code to} (amounts the customer got
     * back, tax included, in the currency paid), at {@code at}.
     */
    public record RefundStep(int number, long from, long to, Instant at, String stripeId, String eventId) {}

    /**
     * Money a dispute moved (a balance transaction): the bank taking the payment back, or giving it back.
     *
     * @param amount signed, in minor units of the currency paid
     */
    public record DisputeMovement(String balanceTransaction, String dispute, LineType type, long amount, Instant at,
                                  String eventId) {}

    public String key() {
        return ids.key();
    }

    public boolean described() {
        return !descriptions.isEmpty();
    }

    /** The payment as its descriptions tell it together (what its sale lines are booked from), when any describes it. */
    public java.util.Optional<Payment> bestPayment() {
        return PaymentLines.best(descriptions).map(Description::payment);
    }

    public PaymentRecord withIds(PaymentIds more) {
        return new PaymentRecord(agreementId, ids.with(more), descriptions, refunds, refundSteps, disputes, booked,
                waitingSince, version);
    }

    /** Keeps the description unless one of the same kind tells as much or more already. */
    public PaymentRecord withDescription(PaymentSource source, Description description) {
        Description known = descriptions.get(source);
        if (known != null && known.payment().detail() >= description.payment().detail()) {
            return withIds(description.payment().ids());
        }
        Map<PaymentSource, Description> updated = new EnumMap<>(PaymentSource.class);
        updated.putAll(descriptions);
        updated.put(source, description);
        return new PaymentRecord(agreementId, ids.with(description.payment().ids()), updated, refunds, refundSteps,
                disputes, booked, waitingSince, version);
    }

    public PaymentRecord withRefunds(RefundState state) {
        if (state == refunds) {
            return this;
        }
        return new PaymentRecord(agreementId, ids, descriptions, state, refundSteps, disputes, booked, waitingSince, version);
    }

    public PaymentRecord withRefundStep(RefundStep step) {
        List<RefundStep> steps = new ArrayList<>(refundSteps);
        steps.add(step);
        return new PaymentRecord(agreementId, ids, descriptions, refunds.bookedTo(step.to()), steps, disputes, booked,
                waitingSince, version);
    }

    /** Adds the movements not known yet; a movement is known by its balance transaction. */
    public PaymentRecord withDisputeMovements(List<DisputeMovement> movements) {
        Map<String, DisputeMovement> updated = new TreeMap<>(disputes);
        movements.forEach(movement -> updated.putIfAbsent(movement.balanceTransaction(), movement));
        return new PaymentRecord(agreementId, ids, descriptions, refunds, refundSteps, updated, booked, waitingSince, version);
    }

    public PaymentRecord waitingSince(Instant since) {
        if (java.util.Objects.equals(since, waitingSince)) {
            return this;
        }
        return new PaymentRecord(agreementId, ids, descriptions, refunds, refundSteps, disputes, booked, since, version);
    }

    public PaymentRecord withBooked(List<LedgerLine> lines) {
        if (lines == booked) {
            return this;
        }
        return new PaymentRecord(agreementId, ids, descriptions, refunds, refundSteps, disputes, lines, waitingSince, version);
    }

    /** As it will be stored, at this version. */
    public PaymentRecord withVersion(long next) {
        return new PaymentRecord(agreementId, ids, descriptions, refunds, refundSteps, disputes, booked, waitingSince, next);
    }

    /**
     * Two records that turned out to be one payment (an invoice booked before anything linked it to its
     * payment intent): one record with the ids, descriptions, refunds and disputes of both, and both
     * records' booked lines, which the next write corrects to the lines the payment should have.
     */
    public PaymentRecord absorb(PaymentRecord other) {
        PaymentRecord merged = withIds(other.ids);
        for (Map.Entry<PaymentSource, Description> each : other.descriptions.entrySet()) {
            merged = merged.withDescription(each.getKey(), each.getValue());
        }
        RefundState refundState = refundSteps.isEmpty() && !other.refundSteps.isEmpty() ? other.refunds : refunds;
        List<RefundStep> steps = refundSteps.isEmpty() ? other.refundSteps : refundSteps;
        RefundState news = refundState == refunds ? other.refunds : refunds;
        for (Map.Entry<String, RefundState.Refund> refund : news.refunds().entrySet()) {
            refundState = refundState.withRefund(refund.getKey(), refund.getValue().amount(), refund.getValue().status(),
                    refund.getValue().at());
        }
        refundState = refundState.withChargeView(news.chargeView(), news.chargeViewAt());
        List<LedgerLine> lines = new ArrayList<>(booked);
        lines.addAll(other.booked);
        Instant waiting = waitingSince == null ? other.waitingSince
                : other.waitingSince == null ? waitingSince
                : waitingSince.isBefore(other.waitingSince) ? waitingSince : other.waitingSince;
        List<DisputeMovement> otherMovements = new ArrayList<>(other.disputes.values());
        otherMovements.sort(Comparator.comparing(DisputeMovement::balanceTransaction));
        return new PaymentRecord(agreementId, merged.ids, merged.descriptions, refundState, steps, merged.disputes, lines,
                waiting, version).withDisputeMovements(otherMovements);
    }
}
