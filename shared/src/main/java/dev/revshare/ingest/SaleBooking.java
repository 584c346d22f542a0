package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.PaymentRecord.Description;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeJson;

/**
 * Sales: every event that describes a payment (charge.succeeded, payment_intent.succeeded,
 * checkout.session.completed when paid, checkout.session.async_payment_succeeded, invoice.paid) adds its
 * description to the payment's record. The payment is one sale whichever arrive, in whatever order, and
 * its lines follow the best description: a later, richer event (an invoice's lines and tax after a
 * payment intent's lump sum) replaces a provisional booking while no statement has counted it.
 */
final class SaleBooking {
    private final PaymentBook book;
    private final PaymentAssembler assembler;

    SaleBooking(PaymentBook book, PaymentAssembler assembler) {
        this.book = book;
        this.assembler = assembler;
    }

    BookingResult book(StripeEvent event, Agreement agreement) {
        PaymentSource source = PaymentSource.ofEventType(event.type());
        String notYet = notPaidYet(source, event.object());
        if (notYet != null) {
            return book.receiptOnly(event, agreement, Outcome.IGNORED, notYet);
        }
        Payment payment = assembler.assemble(agreement, source, event.object(), event.created());
        if (payment.gross() <= 0) {
            return book.receiptOnly(event, agreement, Outcome.IGNORED, "nothing was paid");
        }
        Description description = new Description(payment, event.id());
        return book.book(event, agreement, new PaymentChange(payment.ids(),
                record -> record.withDescription(source, description), null, event.created(), "payment"), true);
    }

    /** Why a sale event does not describe a payment made yet, or null when it does. */
    static String notPaidYet(PaymentSource source, JsonNode object) {
        if (source == PaymentSource.CHARGE && !object.path("captured").asBoolean(true)) {
            return "charge not captured yet";
        }
        if (source == PaymentSource.CHECKOUT_SESSION) {
            String status = StripeJson.text(object, "payment_status");
            if ("no_payment_required".equals(status)) {
                return "nothing to pay";
            }
            if (!"paid".equals(status)) {
                return "checkout not paid yet (" + status + "); booked when checkout.session.async_payment_succeeded arrives";
            }
        }
        return null;
    }
}
