package dev.revshare.cli;

import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.domain.Statement;
import dev.revshare.store.StatementStore.Resend;
import dev.revshare.store.StatementStore.Status;
import dev.revshare.store.StatementStore.StoredStatement;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `revshare statements show` says after the statement: how its sending went, and what to do about it. */
class StatementSendingTest {
    private static final Statement OCTOBER = new Statement("sarah-course", "Sarah x Acme", YearMonth.of(2026, 10), "usd", false,
            Instant.parse("2026-11-05T06:00:00Z"), new Statement.Totals(29_700, 0, 0, 29_700, 7_425, 22_275, 0, 0, 0, 7_425, 0),
            List.of(new Statement.YearSummary(1, new BigDecimal("0.25"), null, 7_425, false, new BigDecimal("7425.00"))),
            List.of(), null, List.of());

    @Test
    void aStatementThatCouldNotBeSentSaysSoWhyAfterHowManyAttemptsAndHowToSendIt() {
        StoredStatement failed = new StoredStatement(OCTOBER, Status.FAILED, null, null, 3,
                "Invalid address: Missing domain", false);

        String sending = StatementsCommand.sending(failed);

        assertThat(sending.lines().toList()).containsExactly(
                "Sending: failed, not sent (3 attempts): Invalid address: Missing domain",
                "Every statements run tries it again, and reports it as failed until it goes out; the months after it are "
                        + "sent meanwhile.",
                "To send a party's message now to corrected addresses (it then counts as sent): revshare statements resend "
                        + "--agreement sarah-course --period 2026-10 --party expert|partner --to ADDRESS[,ADDRESS]");
    }

    @Test
    void aStatementSentToOnePartyOnlySaysWhichMessageWentOutAndIsNotSentAgain() {
        StoredStatement half = new StoredStatement(OCTOBER, Status.FAILED, new SentMessages(null, "msg-partner"), null, 1,
                "to the expert: Invalid address: Missing domain", false);

        assertThat(StatementsCommand.sending(half).lines().toList()).startsWith(
                "Sending: failed, not sent (1 attempt): to the expert: Invalid address: Missing domain",
                "The partner's message went out as msg-partner and is not sent again.");
    }

    @Test
    void aStatementSentByAPersonAfterItFailedShowsTheResendAsItsSending() {
        Instant at = Instant.parse("2026-11-06T09:00:00Z");
        StoredStatement resent = new StoredStatement(OCTOBER, Status.SENT, new SentMessages("msg-resent", "msg-partner"), at, 4,
                null, false, List.of(),
                List.of(new Resend("msg-resent", Side.EXPERT, List.of("sarah@example.org"), "ops@revshare.example", at)));

        assertThat(StatementsCommand.sending(resent)).contains(
                "Sending: sent at 2026-11-06T09:00:00Z, a message to each party: expert msg-resent, partner msg-partner",
                "Delivery to the expert: nothing reported by SES yet",
                "Resent: 2026-11-06T09:00:00Z by ops@revshare.example, the expert's message, to sarah@example.org as msg-resent");
    }
}
