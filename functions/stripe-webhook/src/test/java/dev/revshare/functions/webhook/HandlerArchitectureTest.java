package dev.revshare.functions.webhook;

import dev.revshare.testing.HandlerRules;
import org.junit.jupiter.api.Test;

/** The handlers here are adapters over dev.revshare.ingest: see HandlerRules. */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        HandlerRules.checkHandlersIn("dev.revshare.functions.webhook", "dev.revshare.ingest");
    }
}
