package dev.revshare.ingest;

import dev.revshare.domain.Agreement;
import dev.revshare.json.Json;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.SetAsideEvent;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeLookup;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * A built-in sample webhook delivery, and the webhook's own code run on it with nothing of a deployment's: for
 * SnapStart's priming, which runs before the snapshot and must leave in it no connection, secret or unique value.
 * The sample is a {@code charge.succeeded} signed with a secret made up for it (it signs nothing real), for a
 * sample agreement, booked into stores of its own that keep nothing, at fixed times: no network call, no secret
 * read, no AWS client, the same bytes every time.
 */
public final class SampleDelivery {
    /** Made up for the sample, so that its signature checks out; it is no endpoint's secret. */
    private static final String SAMPLE_SECRET = "whsec_revshare_priming_sample_only";
    private static final String SAMPLE_ACCOUNT = "acct_1RevsharePriming";
    private static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");

    private SampleDelivery() {}

    /** The sample delivery's body: the same bytes every time. */
    public static String body() {
        Instant created = SIGNED_AT.minus(Duration.ofMinutes(1));
        return SampleStripeEvents.chargeSucceeded("evt_revshare_priming", SAMPLE_ACCOUNT, "ch_revshare_priming",
                "pi_revshare_priming", 29_700, "usd", created, "course", "cus_revshare_priming");
    }

    /**
     * Verifies, parses, classifies and books the sample through a webhook, stores and clock of its own (the
     * signature check, the event's reading, finding its agreement, the booking rules, the stored bodies' JSON);
     * what it answered. The logging context is left empty.
     */
    public static BookingResult book() {
        return book(new KeepNothing());
    }

    /**
     * The same, booked into {@code bookings}: a store over AWS clients that reach no network
     * ({@code dev.revshare.aws.AwsClients#offline}) runs the DynamoDB adapter's own code as well.
     */
    public static BookingResult book(BookingStore bookings) {
        String body = body();
        String signature = SampleStripeEvents.signatureHeader(body, SAMPLE_SECRET, SIGNED_AT);
        Clock clock = Clock.fixed(SIGNED_AT.plusSeconds(1), ZoneOffset.UTC);
        StripeWebhook webhook = StripeWebhook.of(new SampleAgreement(), bookings, () -> SAMPLE_SECRET,
                StripeLookup.NONE, clock);
        try {
            return webhook.receive("/stripe", signature, body);
        } finally {
            MDC.clear(); // the router names the sample's event and agreement in the logging context
        }
    }

    /** One agreement, the sample account's: 75/25 from 2026. */
    private static final class SampleAgreement implements AgreementStore {
        private static final Agreement AGREEMENT = new Agreement("revshare-priming", "Priming sample",
                new Agreement.Party("Expert", List.of("expert@example.com")),
                new Agreement.Party("Partner", List.of("partner@example.com")), SAMPLE_ACCOUNT, "usd", ZoneOffset.UTC,
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);

        @Override
        public void put(Agreement agreement, Instant appliedAt) {
            throw new UnsupportedOperationException("priming applies no agreement");
        }

        @Override
        public Optional<Agreement> find(String agreementId) {
            return AGREEMENT.id().equals(agreementId) ? Optional.of(AGREEMENT) : Optional.empty();
        }

        @Override
        public List<Agreement> all() {
            return List.of(AGREEMENT);
        }

        @Override
        public Optional<Instant> firstAppliedAt(String agreementId) {
            return find(agreementId).map(found -> SIGNED_AT.minus(Duration.ofDays(30)));
        }
    }

    /** A store with nothing in it that takes every write and keeps none. */
    private static final class KeepNothing implements BookingStore {
        @Override
        public List<PaymentRecord> payments(String agreementId, Collection<String> anyIds) {
            return List.of();
        }

        @Override
        public Optional<EventReceipt> receipt(String eventId) {
            return Optional.empty();
        }

        @Override
        public Written write(Booking booking) {
            // what DynamoDbBookings stores as the payment's and the receipt's bodies
            if (booking.record() != null) {
                Json.write(booking.record());
            }
            if (booking.receipt() != null) {
                Json.write(booking.receipt());
            }
            return Written.WRITTEN;
        }

        @Override
        public void setAside(SetAsideEvent event) {
            Json.write(event);
        }

        @Override
        public Optional<Instant> lastClosedAt(String agreementId) {
            return Optional.empty();
        }
    }
}
