package dev.revshare.payouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.stripe.StripeApiTransfers;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.testing.StripeMockServer;
import org.junit.jupiter.api.Test;

/**
 * The transfer revshare asks for, made against stripe-mock (Stripe's official mock, which refuses what the real API
 * would refuse as invalid): its parameters and idempotency key are ones Stripe accepts, and its answer is read.
 */
class TransfersAgainstStripeMockTest {
    private final StripeApiTransfers transfers = new StripeApiTransfers("sk_test_123", StripeMockServer.get().baseUrl());

    @Test
    void theTransferRequestIsValidAndItsIdIsRead() {
        String id = transfers.transfer(new StripeTransfers.Transfer(25_000, "usd", "acct_1DalaiExample",
                "sarah-mindfulness-2025-11", "sarah-mindfulness-2025-11", "Sarah Lee Mindfulness x Dalai Digital: partner's "
                + "share, statement of 2025-11", "sarah-mindfulness", "2025-11"));

        assertThat(id).startsWith("tr_");
    }
}
