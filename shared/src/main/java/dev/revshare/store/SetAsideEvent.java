package dev.revshare.store;

import java.time.Instant;

/**
 * A Stripe event set aside for a person, not booked: no agreement claims its account, or revshare could
 * not read it. What is kept identifies it (ids, type, account, amount), with no customer data.
 *
 * @param account the connected account it came from, or null for the platform's own
 * @param amount  the amount of the object it describes, when it has a readable one, in minor units of {@code currency}
 * @param reason  why it is set aside: no agreement claims its account, or what revshare could not read in it
 */
public record SetAsideEvent(String eventId, String eventType, String account, Instant created, Instant receivedAt,
                            String objectId, Long amount, String currency, String reason) {}
