package dev.revshare.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids one payment is known by in Stripe. Each event names some of them: a charge names its payment
 * intent, an invoice payment names its invoice and payment intent, an invoice of API 2025-03-31 or later
 * names neither. The payment's {@link #key()} is the best id known: it names the ledger lines.
 */
public record PaymentIds(String paymentIntent, String charge, String invoice, String checkoutSession) {

    public static final PaymentIds NONE = new PaymentIds(null, null, null, null);

    public static PaymentIds of(String paymentIntent, String charge) {
        return new PaymentIds(paymentIntent, charge, null, null);
    }

    /** The payment intent, else the charge (a charge made without one), else the invoice, else the checkout session. */
    public String key() {
        for (String id : all()) {
            return id;
        }
        throw new IllegalStateException("a payment without any id");
    }

    public boolean none() {
        return all().isEmpty();
    }

    /** Every id known, the key first. */
    public List<String> all() {
        List<String> ids = new ArrayList<>(4);
        for (String id : new String[] {paymentIntent, charge, invoice, checkoutSession}) {
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The ids of both; where both name an id of the same kind, this one's stays (Stripe never gives two). */
    public PaymentIds with(PaymentIds other) {
        return new PaymentIds(first(paymentIntent, other.paymentIntent), first(charge, other.charge),
                first(invoice, other.invoice), first(checkoutSession, other.checkoutSession));
    }

    public boolean contains(String id) {
        return all().contains(id);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    @Override
    public String toString() {
        return String.join("/", all());
    }
}
