package dev.revshare.functions.payouts;

import dev.revshare.testing.HandlerRules;
import org.junit.jupiter.api.Test;

/** The handler is an adapter over dev.revshare.payouts (and the payout and agreement it reads): see HandlerRules. */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        HandlerRules.checkHandlersIn("dev.revshare.functions.payouts", "dev.revshare.payouts", "dev.revshare.domain",
                "dev.revshare.store", "dev.revshare.stripe");
    }
}
