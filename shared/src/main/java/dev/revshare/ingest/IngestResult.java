package dev.revshare.ingest;

/** How a webhook delivery was handled; the handler turns it into the HTTP answer Stripe sees. */
public record IngestResult(Outcome outcome, String message) {

    public enum Outcome {
        /** a new ledger line was written */
        RECORDED(200),
        /** a movement of a payment not booked yet (a dispute before its sale): kept, booked when the sale arrives */
        PENDING(200),
        /** seen before (same event, or same money movement): nothing new, counted once */
        DUPLICATE(200),
        /** an event type revshare does not book; its receipt is kept */
        IGNORED(200),
        /** no agreement claims the event's Stripe account; its receipt is kept for inspection */
        UNCLAIMED(200),
        /** an event of a booked type that revshare cannot read: kept for a person to inspect, nothing booked */
        KEPT(200),
        /** bad signature or body: nothing stored */
        REJECTED(400),
        /** the path names no agreement: nothing stored */
        UNKNOWN_AGREEMENT(404),
        /** the store failed: Stripe must retry */
        STORE_FAILED(500),
        /** Stripe's API, asked for what classifying the payment needs, did not answer: Stripe must retry */
        STRIPE_UNAVAILABLE(500),
        /** the endpoint's signing secret is not set up: Stripe retries while an operator adds it */
        NOT_CONFIGURED(500);

        public final int httpStatus;

        Outcome(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }
}
