package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.time.SettableClock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The richest description of a payment wins. Without an API key, a membership paid by invoice can be
 * announced first by its payment intent (no category, the gross with tax) and only then by its invoice
 * (lines, the category on the price, tax). While the month is open the invoice replaces the provisional
 * booking; once the month's statement has gone out, the correction is booked as adjustments on the
 * next one, and nothing issued changes.
 */
class RicherDescriptionTest {
    private static final String SECRET = "whsec_richer";
    private static final String ACCOUNT = "acct_1RicherCoach";
    private static final Instant PAID_AT = Instant.parse("2026-10-20T10:00:00Z");
    private static final String AGREEMENT = """
            id: richer-coach
            name: Coach x Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Studio, emails: [books@studio.example]}
            stripe: {account: acct_1RicherCoach}
            currency: usd
            timezone: UTC
            term: {start: 2026-01-01}
            split: [{year: 1, partnerPercent: 25}]
            revenue:
              shared: [membership]
            """;

    private final Agreement agreement = AgreementFile.parse(AGREEMENT, "richer-coach.yaml");
    private final SettableClock clock = new SettableClock(PAID_AT.plusSeconds(60));
    private final InMemoryStores stores = new InMemoryStores();
    private final StripeWebhook webhook;

    RicherDescriptionTest() {
        stores.agreements().put(agreement, Instant.parse("2026-01-01T00:00:00Z"));
        webhook = StripeWebhook.of(stores.agreements(), stores.bookings(), () -> SECRET, StripeLookup.NONE, clock);
    }

    @Test
    void whileTheMonthIsOpenTheInvoiceReplacesThePaymentIntentsProvisionalBookingAndTheLedgerIsAsInTheOtherOrder() {
        assertThat(deliver(paymentIntent()).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::amount, LedgerLine::category)
                .containsExactly(tuple("pi_R", 5_300L, null)); // held: no category, tax included

        assertThat(deliver(invoice()).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        List<List<Object>> replaced = ledger();

        RicherDescriptionTest otherOrder = new RicherDescriptionTest();
        otherOrder.deliver(invoice());
        assertThat(otherOrder.deliver(paymentIntent()).outcome()).isEqualTo(BookingResult.Outcome.DUPLICATE);
        assertThat(replaced).isEqualTo(otherOrder.ledger())
                .containsExactly(List.of("pi_R", LineType.SALE, 5_000L, "membership"));
    }

    @Test
    void afterTheMonthsStatementWentOutTheCorrectionIsBookedAsAdjustmentsOnTheNextOne() {
        StatementCalculator calculator = new StatementCalculator();
        deliver(paymentIntent());
        clock.set(Instant.parse("2026-11-03T06:00:00Z"));
        stores.statements().beginClosing(agreement.id(), clock.instant()); // as the monthly run does before reading
        Statement october = calculator.compute(agreement, YearMonth.of(2026, 10), clock.instant(), null, allLines(), List.of());
        stores.statements().create(october);
        assertThat(october.totals().pendingReview()).isEqualTo(5_300);

        clock.set(Instant.parse("2026-11-10T09:00:00Z"));
        assertThat(deliver(invoice()).outcome()).isEqualTo(BookingResult.Outcome.RECORDED);

        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::type, LedgerLine::amount, LedgerLine::category)
                .containsExactly(
                        tuple("pi_R", LineType.SALE, 5_300L, null),                 // counted in October: untouched
                        tuple("pi_R", LineType.SALE, 5_000L, "membership"),         // the better booking
                        tuple("pi_R:reversed:2", LineType.SALE_REVERSAL, -5_300L, null));
        clock.set(Instant.parse("2026-12-03T06:00:00Z"));
        Statement november = calculator.compute(agreement, YearMonth.of(2026, 11), clock.instant(), october, allLines(), List.of());
        assertThat(november.totals().grossSales()).isEqualTo(5_000);
        assertThat(november.totals().pendingReview()).isEqualTo(-5_300); // October's held amount taken back
        assertThat(november.totals().partnerShare()).isEqualTo(1_250);
        assertThat(november.lines()).allSatisfy(line -> assertThat(line.priorPeriod()).isTrue());
        // a redelivery changes nothing more
        assertThat(deliver(invoice()).outcome()).isEqualTo(BookingResult.Outcome.DUPLICATE);
        assertThat(deliver(paymentIntent()).outcome()).isEqualTo(BookingResult.Outcome.DUPLICATE);
        assertThat(allLines()).hasSize(3);
    }

    @Test
    void aStatementThatBeginsClosingWhileTheInvoiceIsBeingBookedKeepsWhatItCountedAndGetsTheCorrectionAfter() {
        deliver(paymentIntent());
        clock.set(Instant.parse("2026-11-03T06:00:00Z"));
        // the monthly run begins closing October between the booking's decision and its write
        BookingStore racing = new BookingStore() {
            private boolean raced;

            @Override
            public List<PaymentRecord> payments(String agreementId, java.util.Collection<String> anyIds) {
                return stores.bookings().payments(agreementId, anyIds);
            }

            @Override
            public java.util.Optional<EventReceipt> receipt(String eventId) {
                return stores.bookings().receipt(eventId);
            }

            @Override
            public Written write(Booking booking) {
                if (!raced && !booking.remove().isEmpty()) {
                    raced = true;
                    stores.statements().beginClosing(agreement.id(), clock.instant());
                    clock.set(clock.instant().plusMillis(5)); // time moves on while the statement reads the ledger
                }
                return stores.bookings().write(booking);
            }

            @Override
            public void setAside(dev.revshare.store.SetAsideEvent event) {
                stores.bookings().setAside(event);
            }

            @Override
            public java.util.Optional<Instant> lastClosedAt(String agreementId) {
                return stores.bookings().lastClosedAt(agreementId);
            }
        };
        StripeWebhook racingWebhook = StripeWebhook.of(stores.agreements(), racing, () -> SECRET, StripeLookup.NONE, clock);
        String invoice = invoice();

        BookingResult result = racingWebhook.receive("/stripe",
                SampleStripeEvents.signatureHeader(invoice, SECRET, clock.instant()), invoice);

        assertThat(result.outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        assertThat(lines()).extracting(LedgerLine::lineId, LedgerLine::type, LedgerLine::amount)
                .containsExactly(tuple("pi_R", LineType.SALE, 5_300L), tuple("pi_R", LineType.SALE, 5_000L),
                        tuple("pi_R:reversed:2", LineType.SALE_REVERSAL, -5_300L));
    }

    // ---------------------------------------------------------------- helpers

    private BookingResult deliver(String body) {
        return webhook.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, clock.instant()), body);
    }

    private List<LedgerLine> allLines() {
        return stores.ledger().recordedBetween(agreement.id(), Instant.EPOCH, clock.instant());
    }

    private List<LedgerLine> lines() {
        List<LedgerLine> lines = new ArrayList<>(allLines());
        lines.sort(Comparator.comparing(LedgerLine::lineId).thenComparing(LedgerLine::recordedAt));
        return lines;
    }

    private List<List<Object>> ledger() {
        return lines().stream().map(l -> List.<Object>of(l.lineId(), l.type(), l.amount(), String.valueOf(l.category()))).toList();
    }

    /** payment_intent.succeeded: the gross with tax, nothing that classifies it. */
    private static String paymentIntent() {
        ObjectNode intent = Json.mapper().createObjectNode();
        intent.put("id", "pi_R").put("object", "payment_intent").put("amount", 5_300).put("amount_received", 5_300)
                .put("currency", "usd").put("created", PAID_AT.getEpochSecond()).put("customer", "cus_R")
                .put("latest_charge", "ch_R").put("status", "succeeded").putObject("metadata");
        return SampleStripeEvents.event("evt_pi_R", "payment_intent.succeeded", ACCOUNT, PAID_AT.plusSeconds(2), intent);
    }

    /** invoice.paid of an API version that names the payment intent: one line, the category on the price, $3 tax. */
    private static String invoice() {
        ObjectNode invoice = (ObjectNode) Json.read("""
                {"id":"in_R","object":"invoice","amount_paid":5300,"currency":"usd","customer":"cus_R",
                 "payment_intent":"pi_R","charge":"ch_R","tax":300,"metadata":{},
                 "status_transitions":{"paid_at":%d},
                 "lines":{"object":"list","has_more":false,"data":[
                   {"id":"il_R","object":"line_item","amount":5000,"description":"Membership",
                    "price":{"id":"price_R","object":"price","product":"prod_R","metadata":{"revshare_category":"membership"}},
                    "tax_amounts":[{"amount":300,"inclusive":false}],"discount_amounts":[]}]}}
                """.formatted(PAID_AT.getEpochSecond()), JsonNode.class);
        return SampleStripeEvents.event("evt_in_R", "invoice.paid", ACCOUNT, PAID_AT.plusSeconds(5), invoice);
    }
}
