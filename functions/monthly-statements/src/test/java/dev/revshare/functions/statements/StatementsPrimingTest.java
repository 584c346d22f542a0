package dev.revshare.functions.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.statements.OutgoingEmail;
import org.junit.jupiter.api.Test;

/** SnapStart's priming hook of the statements run, called as CRaC calls it. */
class StatementsPrimingTest {

    @Test
    void primingComputesAndRendersTheSampleMonthInMemory() {
        StatementsPriming priming = new StatementsPriming();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        OutgoingEmail email = priming.prime();

        assertThat(email.recipients()).containsExactly("expert@example.com");
        assertThat(email.subject()).contains("January 2026", "$75.00");
        // $397 of sales less a $97 refund, 25% to the partner
        assertThat(email.text()).contains("$300.00").contains("$75.00");
        assertThat(email.html()).contains("$75.00");
        assertThat(email.mime()).isNotEmpty();
    }
}
