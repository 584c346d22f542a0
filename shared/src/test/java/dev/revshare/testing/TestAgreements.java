package dev.revshare.testing;

import dev.revshare.domain.Agreement;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Plain agreements for tests where only the id, Stripe account, zone and start matter: partner 25 %, usd. */
public final class TestAgreements {
    private TestAgreements() {}

    /** The sample events' agreement (events/: account acct_1SarahExample), in Europe/Madrid from 2025-11-01. */
    public static Agreement sarahMindfulness() {
        return new Agreement("sarah-mindfulness", "Sarah Lee Mindfulness x Dalai Digital",
                new Agreement.Party("Sarah Lee", List.of("sarah@example.com")),
                new Agreement.Party("Dalai Digital", List.of("books@dalai.example")),
                "acct_1SarahExample", "usd", ZoneId.of("Europe/Madrid"), LocalDate.of(2025, 11, 1), null,
                List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }

    /** "sarah-course" on the given account, in UTC, open-ended from 2026-01-01. */
    public static Agreement sarahCourse(String account) {
        return new Agreement("sarah-course", "Sarah x Acme", new Agreement.Party("Sarah", List.of("sarah@example.com")),
                new Agreement.Party("Acme", List.of("books@acme.example")), account, "usd", ZoneId.of("UTC"),
                LocalDate.of(2026, 1, 1), null, List.of(new Agreement.SplitStep(1, new BigDecimal("25"))), null);
    }
}
