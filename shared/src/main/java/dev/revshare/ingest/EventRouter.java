package dev.revshare.ingest;

import dev.revshare.domain.Agreement;
import dev.revshare.ingest.BookingResult.Outcome;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.stripe.StripeEvent;
import dev.revshare.stripe.StripeJson;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.UnreadableEventException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Books one verified Stripe event, whichever way it came (a signed webhook delivery, Stripe's EventBridge
 * destination): finds the agreement that claims it, and hands it to the booking for its kind of money
 * movement. What cannot be booked is answered, not thrown: an event of an account no agreement claims and
 * an event revshare cannot read are set aside for a person; a store or Stripe failure asks for another
 * delivery, after nothing was half-written.
 */
public final class EventRouter {
    /**
     * Keys the router puts into the logging context (SLF4J's MDC) for the rest of the invocation, so that every
     * line logged about an event names it: ids only, never the event's body. The handler clears them.
     */
    public static final String LOG_EVENT_ID = "stripe_event_id";
    public static final String LOG_EVENT_TYPE = "stripe_event_type";
    public static final String LOG_AGREEMENT_ID = "agreement_id";
    private static final Logger log = LoggerFactory.getLogger(EventRouter.class);

    private final AgreementCache agreements;
    private final BookingStore store;
    private final PaymentBook book;
    private final SaleBooking sales;
    private final RefundBooking refunds;
    private final DisputeBooking disputes;
    private final LinkBooking links;
    private final Clock clock;

    /** @param lookup fetches from Stripe what an event lacks to classify its payment ({@link StripeLookup#NONE}: nothing) */
    public EventRouter(AgreementStore agreements, BookingStore store, StripeLookup lookup, Clock clock) {
        this.agreements = new AgreementCache(agreements, clock);
        this.store = store;
        this.book = new PaymentBook(store, clock);
        PaymentAssembler assembler = new PaymentAssembler(lookup);
        this.sales = new SaleBooking(book, assembler);
        this.refunds = new RefundBooking(book, assembler);
        this.disputes = new DisputeBooking(book);
        this.links = new LinkBooking(book);
        this.clock = clock;
    }

    /** Whether an agreement with this id is applied (a webhook path naming another is answered "unknown"). */
    public boolean knows(String agreementId) {
        return agreements.withId(agreementId).isPresent();
    }

    /**
     * An event from a source that needs no signature (Stripe's Amazon EventBridge destination: the event
     * is the envelope's {@code detail}); a body that is no Stripe event is rejected, nothing stored.
     */
    public BookingResult receiveTrusted(String eventJson) {
        StripeEvent event;
        try {
            event = StripeEvent.parse(eventJson);
        } catch (StripeEvent.MalformedEventException e) {
            return new BookingResult(Outcome.REJECTED, e.getMessage());
        }
        return route(null, event);
    }

    /**
     * @param agreementId the agreement the event was delivered for ({@code /stripe/{id}}), or null to find it by
     *                    the event's Stripe account
     */
    public BookingResult route(String agreementId, StripeEvent event) {
        MDC.put(LOG_EVENT_ID, event.id());
        MDC.put(LOG_EVENT_TYPE, event.type());
        try {
            Optional<Agreement> agreement = agreementId != null ? agreements.withId(agreementId)
                    : agreements.claiming(event.account());
            agreement.ifPresent(claiming -> MDC.put(LOG_AGREEMENT_ID, claiming.id()));
            if (agreement.isEmpty()) {
                String why = agreementId != null ? "no agreement with id " + agreementId
                        : "no agreement claims Stripe account " + (event.account() == null ? "(platform)" : event.account());
                store.setAside(setAside(event, why));
                return new BookingResult(Outcome.UNCLAIMED, why + "; set aside for a person");
            }
            try {
                return book(event, agreement.get());
            } catch (UnreadableEventException e) {
                log.warn("event {} ({}) set aside for a person: {}", event.id(), event.type(), e.getMessage());
                return book.setAside(event, agreement.get(), setAside(event, "cannot read it: " + e.getMessage()));
            }
        } catch (StoreUnavailableException e) {
            log.error("store failed while booking event {} ({}); asking Stripe to deliver it again", event.id(), event.type(), e);
            return new BookingResult(Outcome.STORE_FAILED, "store unavailable, retry later");
        } catch (StripeLookup.StripeUnavailableException e) {
            log.error("Stripe's API failed while reading the payment of event {} ({}); asking Stripe to deliver it again",
                    event.id(), event.type(), e);
            return new BookingResult(Outcome.STRIPE_UNAVAILABLE, "Stripe's API unavailable, retry later");
        }
    }

    /** How each event type revshare books is booked; any other type is acknowledged and ignored. */
    private enum Kind { SALE, CHARGE_REFUNDED, REFUND, DISPUTE, LINK }

    private static final Map<String, Kind> BOOKED = Map.ofEntries(
            Map.entry("charge.succeeded", Kind.SALE), Map.entry("charge.captured", Kind.SALE),
            Map.entry("payment_intent.succeeded", Kind.SALE), Map.entry("checkout.session.completed", Kind.SALE),
            Map.entry("checkout.session.async_payment_succeeded", Kind.SALE), Map.entry("invoice.paid", Kind.SALE),
            Map.entry("charge.refunded", Kind.CHARGE_REFUNDED),
            Map.entry("refund.created", Kind.REFUND), Map.entry("refund.updated", Kind.REFUND),
            Map.entry("refund.failed", Kind.REFUND), Map.entry("charge.refund.updated", Kind.REFUND),
            Map.entry("charge.dispute.created", Kind.DISPUTE), Map.entry("charge.dispute.updated", Kind.DISPUTE),
            Map.entry("charge.dispute.funds_withdrawn", Kind.DISPUTE), Map.entry("charge.dispute.funds_reinstated", Kind.DISPUTE),
            Map.entry("charge.dispute.closed", Kind.DISPUTE),
            Map.entry("invoice_payment.paid", Kind.LINK));

    /** The event types revshare books (what a webhook endpoint should be subscribed to); others are ignored. */
    public static Set<String> bookedTypes() {
        return new TreeSet<>(BOOKED.keySet());
    }

    private BookingResult book(StripeEvent event, Agreement agreement) {
        Kind kind = BOOKED.get(event.type());
        if (kind == null) {
            return book.receiptOnly(event, agreement, Outcome.IGNORED, "event type not booked");
        }
        return switch (kind) {
            case SALE -> sales.book(event, agreement);
            case CHARGE_REFUNDED -> refunds.chargeRefunded(event, agreement);
            case REFUND -> refunds.refund(event, agreement);
            case DISPUTE -> disputes.book(event, agreement);
            case LINK -> links.book(event, agreement);
        };
    }

    /** What identifies the event, no customer data; an amount or currency only when they are readable. */
    private SetAsideEvent setAside(StripeEvent event, String reason) {
        Long amount = null;
        String currency = null;
        try {
            amount = StripeJson.amountOrNull(event.object(), "amount");
            currency = StripeJson.currency(event.object(), "currency");
        } catch (UnreadableEventException unreadable) {
            // the reason says what is wrong with it; the listing shows no amount
        }
        return new SetAsideEvent(event.id(), event.type(), event.account(), event.created(), clock.instant(),
                event.objectId(), currency == null ? null : amount, currency, reason);
    }
}
