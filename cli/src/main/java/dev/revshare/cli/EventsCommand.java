package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.store.LedgerStore.UnclaimedEvent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "events", description = "Stripe events that need a person.", subcommands = EventsCommand.Unclaimed.class)
final class EventsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "unclaimed", description = "Events for a Stripe account no agreement claims: kept, not booked.")
    static final class Unclaimed implements Callable<Integer> {
        @ParentCommand
        EventsCommand parent;

        @Override
        public Integer call() {
            try (LocalRuntime local = LocalRuntime.persistent(parent.root.data, Clock.systemUTC())) {
                List<UnclaimedEvent> events = local.store.unclaimed();
                if (events.isEmpty()) {
                    System.out.println("No unclaimed events: every event came for an agreement's Stripe account.");
                    return 0;
                }
                System.out.printf("%-24s %-28s %-24s %-22s %14s%n", "received", "event", "type", "account", "amount");
                for (UnclaimedEvent e : events) {
                    String amount = e.amount() == null || e.currency() == null ? "" : Money.format(e.amount(), e.currency());
                    System.out.printf("%-24s %-28s %-24s %-22s %14s%n", e.receivedAt(), e.eventId(), e.eventType(),
                            e.account() == null ? "(platform)" : e.account(), amount);
                }
                System.out.println("\nNo agreement claims these Stripe accounts. Apply an agreement whose stripe.account is"
                        + " the account,\nthen resend the events from the Stripe Dashboard (Developers > Events > Resend):"
                        + " they are booked once.");
            }
            return 0;
        }
    }
}
