package dev.revshare.ingest;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * What one Stripe event tells of a payment: the ids it names the payment by, and how it changes the
 * payment's record (a pure function, applied again to a fresh read when another delivery got there first).
 *
 * @param refundStripeId what a refund step this event makes is traced to (a refund or charge id); null
 *                       when the event is no refund event (refunds that waited for their sale are traced
 *                       to the payment)
 * @param what           for the receipt and the answer: "payment", "refunds of", "dispute dp_1 of", …
 */
record PaymentChange(PaymentIds ids, UnaryOperator<PaymentRecord> change, String refundStripeId, Instant eventTime,
                     String what) {}
