package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.ingest.PaymentRecord.DisputeMovement;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeJson;
import dev.revshare.stripe.UnreadableEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Disputes move money in balance transactions: a withdrawal when the bank takes the payment back, a
 * reinstatement when the dispute is won. Each is booked once, by its balance transaction id, from
 * whichever dispute event first carries it, at the rate and in the categories of the disputed sale; one
 * that arrives before its payment waits in the payment's record and is booked with it.
 */
final class DisputeBooking {
    private final PaymentBook book;

    DisputeBooking(PaymentBook book) {
        this.book = book;
    }

    BookingResult book(StripeEvent event, Agreement agreement) {
        JsonNode dispute = event.object();
        String disputeId = StripeJson.id(dispute, "id");
        Long amount = StripeJson.amountOrNull(dispute, "amount");
        PaymentIds ids = PaymentIds.of(StripeJson.id(dispute, "payment_intent"), StripeJson.id(dispute, "charge"));
        if (disputeId == null || amount == null || amount < 0 || ids.none()) {
            throw new UnreadableEventException("the dispute lacks its id, payment or an amount of zero or more");
        }
        List<DisputeMovement> movements = new ArrayList<>();
        for (JsonNode transaction : dispute.path("balance_transactions")) {
            String id = StripeJson.id(transaction, "id");
            long signed = StripeJson.amount(transaction, "amount", 0);
            if (id == null || signed == 0) {
                continue;
            }
            // the balance transaction may be in the account's settlement currency: book the disputed amount
            LineType type = signed < 0 ? LineType.DISPUTE_WITHDRAWAL : LineType.DISPUTE_REINSTATEMENT;
            Instant at = StripeJson.timestampOrNull(transaction, "created");
            movements.add(new DisputeMovement(id, disputeId, type, type.sign * amount, at != null ? at : event.created(),
                    event.id()));
        }
        if (movements.isEmpty()) {
            return book.receiptOnly(event, agreement, Outcome.IGNORED,
                    "no money moved yet (dispute " + StripeJson.text(dispute, "status") + ")");
        }
        return book.book(event, agreement, new PaymentChange(ids, record -> record.withDisputeMovements(movements), null,
                event.created(), "dispute " + disputeId + " of"), false);
    }
}
