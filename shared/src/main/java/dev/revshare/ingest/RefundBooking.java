package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.PaymentRecord.Description;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeJson;
import dev.revshare.stripe.UnreadableEventException;

/**
 * Refunds, from two kinds of Stripe events: refund.created / refund.updated / refund.failed (and
 * charge.refund.updated) describe one refund by id; charge.refunded gives the charge's refunded total.
 * Both go into the payment's {@link RefundState}, and the difference between its refunded total and the
 * total booked is booked: partial refunds, redeliveries and any order sum to the charge's refunded total,
 * and a failed refund gives the money back to the books. Refunds that arrive before their sale wait in
 * the record and are booked with it.
 */
final class RefundBooking {
    private final PaymentBook book;
    private final PaymentAssembler assembler;

    RefundBooking(PaymentBook book, PaymentAssembler assembler) {
        this.book = book;
        this.assembler = assembler;
    }

    /** charge.refunded: the charge with its cumulative {@code amount_refunded}; it describes its payment too. */
    BookingResult chargeRefunded(StripeEvent event, Agreement agreement) {
        JsonNode charge = event.object();
        String chargeId = StripeJson.id(charge, "id");
        Long refunded = StripeJson.amountOrNull(charge, "amount_refunded");
        if (chargeId == null || refunded == null || refunded < 0) {
            throw new UnreadableEventException("the charge lacks its id or a refunded amount of zero or more");
        }
        long at = event.created().getEpochSecond();
        Description description = describe(event, agreement);
        PaymentIds ids = PaymentIds.of(StripeJson.id(charge, "payment_intent"), chargeId);
        return book.book(event, agreement, new PaymentChange(ids, record -> {
            PaymentRecord described = description == null ? record : record.withDescription(PaymentSource.CHARGE, description);
            RefundState refunds = described.refunds().withChargeView(refunded, at);
            // API versions before 2022-11-15 list the charge's refunds too
            for (JsonNode refund : charge.path("refunds").path("data")) {
                refunds = refunds.withRefund(StripeJson.id(refund, "id"), StripeJson.amount(refund, "amount", 0),
                        refund.path("status").asText("succeeded"), at);
            }
            return described.withRefunds(refunds);
        }, chargeId, event.created(), "refunds of"), false);
    }

    /** refund.created / refund.updated / refund.failed / charge.refund.updated: one refund by id. */
    BookingResult refund(StripeEvent event, Agreement agreement) {
        JsonNode refund = event.object();
        String refundId = StripeJson.id(refund, "id");
        Long amount = StripeJson.amountOrNull(refund, "amount");
        PaymentIds ids = PaymentIds.of(StripeJson.id(refund, "payment_intent"), StripeJson.id(refund, "charge"));
        String status = StripeJson.text(refund, "status");
        if (refundId == null || amount == null || ids.none() || status == null) {
            throw new UnreadableEventException("the refund lacks its id, amount, status or payment");
        }
        if (amount < 0) {
            throw new UnreadableEventException("the refund's amount is negative: " + amount);
        }
        long at = event.created().getEpochSecond();
        return book.book(event, agreement, new PaymentChange(ids,
                record -> record.withRefunds(record.refunds().withRefund(refundId, amount, status, at)),
                refundId, event.created(), "refunds of"), false);
    }

    /** The charge as a description of its payment, or null when it describes no payment made. */
    private Description describe(StripeEvent event, Agreement agreement) {
        if (SaleBooking.notPaidYet(PaymentSource.CHARGE, event.object()) != null) {
            return null;
        }
        Payment payment = assembler.assemble(agreement, PaymentSource.CHARGE, event.object(), event.created());
        return payment.gross() > 0 ? new Description(payment, event.id()) : null;
    }
}
