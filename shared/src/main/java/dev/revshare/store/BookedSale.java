package dev.revshare.store;

import java.time.Instant;
import java.util.List;

/**
 * A payment as the ledger booked it: the ids it is known by and its sale lines. Refunds and disputes of
 * the payment are booked against it: converted as the sale was (tax out, settlement currency) and spread
 * over its lines in proportion.
 *
 * @param saleKey    the payment intent, else the charge (see {@code Payment#saleKey})
 * @param ids        every id of the payment: payment intent, charge, invoice, checkout session
 * @param currency   the currency the lines are booked in: the agreement's when Stripe converted the payment
 * @param gross      what the customer paid, tax included, in the currency paid
 * @param net        what the sale lines add up to, in {@code currency}: refunds and disputes of the payment,
 *                   in the currency paid, are booked at {@code net / gross}
 */
public record BookedSale(String agreementId, String saleKey, List<String> ids, Instant paidAt, Instant recordedAt,
                         String currency, long gross, long net, String customer, List<SaleLine> lines) {

    public BookedSale {
        ids = List.copyOf(ids);
        lines = List.copyOf(lines);
    }

    /** One ledger line of the sale. */
    public record SaleLine(String lineId, long amount, String category) {}

    public long[] lineAmounts() {
        return lines.stream().mapToLong(SaleLine::amount).toArray();
    }
}
