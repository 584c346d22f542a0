package dev.revshare.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One money movement of a Stripe account, as {@code GET /v1/balance_transactions} lists it with its source
 * expanded: a charge or payment, a refund, a dispute's withdrawal or reinstatement, a payout, a fee...
 *
 * @param type              Stripe's type ({@code charge}, {@code payment}, {@code refund}, {@code adjustment},
 *                          {@code payout}, {@code stripe_fee}...)
 * @param reportingCategory Stripe's reporting category ({@code charge}, {@code refund}, {@code dispute},
 *                          {@code dispute_reversal}...), or null
 * @param amount            signed, in minor units of {@code currency}: the account's settlement currency
 * @param sourceId          the object that moved the money ({@code ch_}, {@code py_}, {@code re_}, {@code du_}...), or null
 * @param charge            the charge the movement belongs to (the source itself, or the refund's or dispute's charge), or null
 * @param paymentIntent     that charge's payment intent, when the source names it, or null
 * @param sourceAmount      the source's own amount in the currency paid (a charge's captured amount, a refund's or a
 *                          dispute's amount; never signed), or null
 * @param sourceCurrency    the currency paid, or null
 * @param source            the source object as Stripe answered it (what a webhook event would have carried), or
 *                          null when Stripe gave only its id
 */
public record BalanceTransaction(String id, String type, String reportingCategory, long amount, String currency,
                                 Instant created, String sourceId, String charge, String paymentIntent, Long sourceAmount,
                                 String sourceCurrency, JsonNode source) {

    /** Reads one element of the list's {@code data}; bad input is {@link UnreadableEventException}, as for events. */
    public static BalanceTransaction read(JsonNode transaction) {
        String id = StripeJson.id(transaction, "id");
        String type = StripeJson.text(transaction, "type");
        Long amount = StripeJson.amountOrNull(transaction, "amount");
        String currency = StripeJson.currency(transaction, "currency");
        Instant created = StripeJson.timestampOrNull(transaction, "created");
        if (id == null || type == null || amount == null || currency == null || created == null) {
            throw new UnreadableEventException("a balance transaction lacks its id, type, amount, currency or created time");
        }
        JsonNode source = transaction.path("source");
        String sourceId = StripeJson.id(transaction, "source");
        if (!source.isObject()) {
            return new BalanceTransaction(id, type, StripeJson.text(transaction, "reporting_category"), amount, currency, created,
                    sourceId, null, null, null, null, null);
        }
        String object = StripeJson.text(source, "object");
        boolean isCharge = "charge".equals(object);
        String charge = isCharge ? sourceId : StripeJson.id(source, "charge");
        Long sourceAmount = isCharge ? StripeJson.amountOrNull(source, "amount_captured") : null;
        if (sourceAmount == null) {
            sourceAmount = StripeJson.amountOrNull(source, "amount");
        }
        return new BalanceTransaction(id, type, StripeJson.text(transaction, "reporting_category"), amount, currency, created,
                sourceId, charge, StripeJson.id(source, "payment_intent"), sourceAmount == null ? null : Math.abs(sourceAmount),
                StripeJson.currency(source, "currency"), source);
    }
}
