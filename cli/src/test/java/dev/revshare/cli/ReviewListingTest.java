package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.review.ReviewDesk;
import dev.revshare.testing.TestAgreements;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `revshare review list` shows every held payment, whatever currency code Stripe gave it. */
class ReviewListingTest {

    @Test
    void paymentsInCurrencyCodesNoOneKnowsAreListedInMinorUnitsWithTheCodeAsGiven() {
        Agreement agreement = TestAgreements.sarahCourse("acct_1");
        Instant at = Instant.parse("2026-01-12T10:00:00Z");

        String listing = ReviewCommand.ListHeld.listing(agreement, List.of(
                held("ch_usd", "usd", 29_700, at, "Held for review: tip"),
                held("ch_zzz", "zzz", 5_000, at, "currency: \"zzz\" is not a currency code"),
                held("ch_script", "<script>", 7_000, at, "currency: \"<script>\" is not a currency code"),
                held("ch_none", null, 3_000, at, "currency: the payment names no currency")));

        assertThat(listing).contains("$297.00", "Held for review: tip",
                "5000 minor units of unknown currency \"zzz\"", "7000 minor units of unknown currency \"<script>\"",
                "3000 minor units, no currency", "currency: the payment names no currency");
        assertThat(listing.lines()).hasSize(1 + 4 * 2); // the header, then each payment and its one line
    }

    private static ReviewDesk.HeldPayment held(String id, String currency, long amount, Instant at, String reason) {
        LedgerLine line = new LedgerLine("sarah-course", id, id, LineType.SALE, amount, currency, at, at, at, null, "cus_1",
                "evt_" + id);
        return new ReviewDesk.HeldPayment(id, at, null, List.of(reason), List.of(line), currency, amount);
    }
}
