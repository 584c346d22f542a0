package dev.revshare.ingest;

import java.time.Instant;
import java.util.List;

/**
 * One payment as a Stripe object (or, with a Stripe API key, all of its objects) describes it: its ids,
 * what was paid, the part of it that is revenue (tax excluded) and its items with what classifies them.
 *
 * @param paidAt     when the money moved (the charge's time when known)
 * @param currency   the currency the customer paid in, an ISO 4217 code in lower case
 * @param gross      what the customer paid, tax included, in minor units of {@code currency}
 * @param net        the revenue part of it: {@code gross} less tax
 * @param settlement the payment's Stripe balance transaction (the amount in the account's settlement
 *                   currency), when known
 * @param category   {@code revshare_category} from the payment's own metadata (session, payment intent,
 *                   invoice, subscription or charge, in that order), or null
 * @param items      what was bought: weights for spreading {@code net}, never empty
 */
public record Payment(PaymentIds ids, Instant paidAt, String currency, long gross, long net, Settlement settlement,
                      String customer, String category, List<Item> items) {

    public Payment {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a payment has at least one item");
        }
    }

    /** One item of the payment: an invoice line, a checkout line item, or the whole payment. */
    public record Item(String description, long weight, String category, String price, String product) {}

    /** A balance transaction: what the payment came to in the settlement currency (before fees). */
    public record Settlement(long amount, String currency) {}

    /** How much a description tells: items beat one lump, a known settlement beats none. */
    int detail() {
        return items.size() * 2 + (settlement != null ? 1 : 0);
    }
}
