package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeJson;
import java.util.function.UnaryOperator;

/**
 * invoice_payment.paid: from API 2025-03-31 an invoice names neither its charge nor its payment intent,
 * and they do not name it; Stripe announces the link in an InvoicePayment. Booking the link as it
 * arrives joins the invoice's booking and the payment intent's into one payment, in any order, with no
 * API key: one sale, and refunds and disputes of the charge counted against it.
 */
final class LinkBooking {
    private final PaymentBook book;

    LinkBooking(PaymentBook book) {
        this.book = book;
    }

    BookingResult book(StripeEvent event, Agreement agreement) {
        JsonNode invoicePayment = event.object();
        String invoice = StripeJson.id(invoicePayment, "invoice");
        JsonNode payment = invoicePayment.path("payment");
        String paymentIntent = StripeJson.id(payment, "payment_intent");
        String charge = StripeJson.id(payment, "charge");
        if (!"paid".equals(StripeJson.text(invoicePayment, "status")) || invoice == null
                || paymentIntent == null && charge == null) {
            return book.receiptOnly(event, agreement, Outcome.IGNORED, "no paid invoice payment to link");
        }
        PaymentIds ids = new PaymentIds(paymentIntent, charge, invoice, null);
        return book.book(event, agreement, new PaymentChange(ids, UnaryOperator.identity(), null, event.created(), "payment"),
                false);
    }
}
