package dev.revshare.ingest;

/**
 * What handling one Stripe event did, in words any transport can answer with: the webhook handler turns
 * it into an HTTP status, the EventBridge handler into success or a retried failure.
 */
public record BookingResult(Outcome outcome, String message) {

    public enum Outcome {
        /** new ledger lines were written */
        RECORDED(false),
        /** money of a payment not described yet (a refund or dispute before its sale): kept, booked with the sale */
        PENDING(false),
        /** ids of one payment linked (invoice_payment.paid), nothing to book yet */
        LINKED(false),
        /** seen before (same event, or same money movement): nothing new, counted once */
        DUPLICATE(false),
        /** an event type revshare does not book, or a payment with nothing paid yet; its receipt is kept */
        IGNORED(false),
        /** no agreement claims the event's Stripe account; set aside for a person, booked when resent */
        UNCLAIMED(false),
        /** an event of a booked type that revshare cannot read: set aside for a person, nothing booked */
        UNREADABLE(false),
        /** bad signature or body: nothing stored */
        REJECTED(false),
        /** the path names no agreement: nothing stored */
        UNKNOWN_AGREEMENT(false),
        /** the store failed: deliver again */
        STORE_FAILED(true),
        /** Stripe's API, asked for what classifying the payment needs, did not answer: deliver again */
        STRIPE_UNAVAILABLE(true),
        /** the endpoint's signing secret is not set up: deliver again once an operator has added it */
        NOT_CONFIGURED(true),
        /** a fault in revshare itself (a bug): logged as one; deliver again, nothing was half-booked */
        FAILED(true);

        /** Whether delivering the event again may succeed where this delivery did not. */
        public final boolean retry;

        Outcome(boolean retry) {
            this.retry = retry;
        }
    }
}
