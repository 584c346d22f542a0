package dev.revshare.functions.page;

import dev.revshare.testing.HandlerRules;
import org.junit.jupiter.api.Test;

/** The handler is an adapter over dev.revshare.page (PartyPage decides everything): see HandlerRules. */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        HandlerRules.checkHandlersIn("dev.revshare.functions.page", "dev.revshare.page");
    }
}
