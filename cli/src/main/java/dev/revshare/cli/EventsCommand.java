package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.store.SetAsideEvent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "events", description = "Stripe events that need a person.", subcommands = EventsCommand.Unclaimed.class)
final class EventsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "unclaimed", description = "Events kept for a person, not booked: for a Stripe account no agreement "
            + "claims, or of a booked type revshare could not read.")
    static final class Unclaimed implements Callable<Integer> {
        @ParentCommand
        EventsCommand parent;

        @Override
        public Integer call() {
            try (LocalRuntime local = LocalRuntime.persistent(parent.root.data, Clock.systemUTC())) {
                List<SetAsideEvent> events = local.store.ledger().setAside();
                if (events.isEmpty()) {
                    System.out.println("No events kept: every event came for an agreement's Stripe account and could be read.");
                    return 0;
                }
                System.out.printf("%-24s %-28s %-24s %-22s %14s  %s%n", "received", "event", "type", "account", "amount", "why kept");
                for (SetAsideEvent e : events) {
                    String amount = e.amount() == null || e.currency() == null ? "" : Money.format(e.amount(), e.currency());
                    System.out.printf("%-24s %-28s %-24s %-22s %14s  %s%n", e.receivedAt(), e.eventId(), e.eventType(),
                            e.account() == null ? "(platform)" : e.account(), amount,
                            e.reason() == null ? "no agreement claims the account" : e.reason());
                }
                System.out.println("\nNo agreement claims an account: apply an agreement whose stripe.account is the account,"
                        + "\nthen resend the events from the Stripe Dashboard (Developers > Events > Resend): they are booked once."
                        + "\nCould not read it: look the event up in the Stripe Dashboard; it is not booked, so nothing counts twice.");
            }
            return 0;
        }
    }
}
