package dev.revshare.functions.statements;

import dev.revshare.testing.HandlerRules;
import org.junit.jupiter.api.Test;

/** The handlers here are adapters over dev.revshare.statements: see HandlerRules. */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        HandlerRules.checkHandlersIn("dev.revshare.functions.statements", "dev.revshare.statements");
    }
}
