package dev.revshare.ingest;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the ledger knows of one sale's refunds, from two kinds of Stripe events: refund events
 * ({@code refund.created}, {@code refund.updated}, {@code refund.failed}) describe each refund by id;
 * {@code charge.refunded} gives the charge's cumulative {@code amount_refunded} at a moment. Whatever
 * arrives, in whatever order, {@link #target()} is the sale's refunded total, and the ledger books the
 * difference from {@link #booked()}: a refund line when it grows, a reversal when a refund failed.
 *
 * @param booked         refunded total the ledger lines of this sale add up to
 * @param chargeView     the charge's amount_refunded in the newest charge event seen
 * @param chargeViewAt   when that event happened (epoch seconds)
 * @param refunds        each refund seen by id
 * @param latestRefundAt when the newest refund event happened (epoch seconds)
 * @param version        how many deliveries changed it: refund lines are numbered by the change that booked them
 */
public record RefundState(long booked, long chargeView, long chargeViewAt, Map<String, Refund> refunds,
                          long latestRefundAt, long version) {

    /** Stripe refund statuses whose money does not go back to the customer. */
    private static final Set<String> VOID = Set.of("failed", "canceled");

    public static final RefundState NONE = new RefundState(0, 0, 0, Map.of(), 0, 0);

    public RefundState {
        refunds = Map.copyOf(refunds == null ? Map.of() : refunds);
    }

    /** One refund as its newest event described it. */
    public record Refund(long amount, String status, long at) {
        /** Failed or cancelled: its money did not go back to the customer (or came back). */
        public boolean voided() {
            return VOID.contains(status);
        }
    }

    /**
     * The sale's refunded total: the refunds known by id that went (or are going) through, raised to the
     * charge's view when that view is newer than every refund event (a refund not seen by id yet).
     */
    public long target() {
        if (refunds.isEmpty()) {
            return chargeView;
        }
        long byId = refunds.values().stream().filter(r -> !VOID.contains(r.status())).mapToLong(Refund::amount).sum();
        return chargeViewAt > latestRefundAt ? Math.max(byId, chargeView) : byId;
    }

    /** A charge event: newer views replace older ones; of two at the same second, the larger wins. */
    public RefundState withChargeView(long amountRefunded, long at) {
        if (at < chargeViewAt || at == chargeViewAt && amountRefunded <= chargeView) {
            return this;
        }
        return new RefundState(booked, amountRefunded, at, refunds, latestRefundAt, version);
    }

    /** A refund event: a newer description of a refund replaces an older one. */
    public RefundState withRefund(String refundId, long amount, String status, long at) {
        Refund known = refunds.get(refundId);
        if (known != null && (at < known.at() || known.equals(new Refund(amount, status, at)))) {
            return this;
        }
        if (known != null && at == known.at() && VOID.contains(known.status())) {
            return this; // a failure is final: an event of the same second cannot undo it
        }
        Map<String, Refund> updated = new TreeMap<>(refunds);
        updated.put(refundId, new Refund(amount, status, at));
        return new RefundState(booked, chargeView, chargeViewAt, updated, Math.max(latestRefundAt, at), version);
    }

    /** After booking the difference: the ledger now holds {@code total}. */
    public RefundState bookedTo(long total) {
        return new RefundState(total, chargeView, chargeViewAt, refunds, latestRefundAt, version);
    }

    /** The state one delivery's change further, when that delivery changed it. */
    public RefundState countedFrom(RefundState before) {
        if (this == before) {
            return before; // not touched by the delivery (a sale event)
        }
        RefundState unversioned = new RefundState(booked, chargeView, chargeViewAt, refunds, latestRefundAt, before.version);
        return unversioned.equals(before) ? before
                : new RefundState(booked, chargeView, chargeViewAt, refunds, latestRefundAt, before.version + 1);
    }

    /** When the newest refund news came, for booking refunds that waited for their sale. */
    public long latestAt() {
        return Math.max(latestRefundAt, chargeViewAt);
    }
}
