package dev.revshare.ingest;

/**
 * The kind of Stripe object that described a payment. Without an API key each describes what it knows:
 * an invoice its lines and tax, a checkout session its total and tax, a charge its balance transaction.
 */
public enum PaymentSource {
    INVOICE, CHECKOUT_SESSION, PAYMENT_INTENT, CHARGE;

    /** The object a sale event carries, by the event's type; null for other events. */
    static PaymentSource ofEventType(String eventType) {
        if (eventType.startsWith("charge.") && !eventType.startsWith("charge.dispute.") && !eventType.startsWith("charge.refund.")) {
            return CHARGE;
        }
        if (eventType.startsWith("payment_intent.")) {
            return PAYMENT_INTENT;
        }
        if (eventType.startsWith("checkout.session.")) {
            return CHECKOUT_SESSION;
        }
        if (eventType.startsWith("invoice.")) {
            return INVOICE;
        }
        return null;
    }
}
