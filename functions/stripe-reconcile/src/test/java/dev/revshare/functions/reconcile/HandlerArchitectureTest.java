package dev.revshare.functions.reconcile;

import dev.revshare.testing.HandlerRules;
import org.junit.jupiter.api.Test;

/**
 * The handler is an adapter over dev.revshare.reconcile (and the closing job it hands on, and the proof's status it
 * counts): see HandlerRules.
 */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        HandlerRules.checkHandlersIn("dev.revshare.functions.reconcile", "dev.revshare.reconcile", "dev.revshare.statements",
                "dev.revshare.domain");
    }
}
