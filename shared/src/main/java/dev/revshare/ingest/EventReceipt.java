package dev.revshare.ingest;

import java.time.Instant;

/**
 * The record that a Stripe event was handled, and what its delivery did; written in the same write as
 * whatever the delivery booked. Holds no customer data.
 */
public record EventReceipt(String eventId, String eventType, String agreementId, BookingResult.Outcome outcome,
                           String detail, Instant receivedAt) {}
