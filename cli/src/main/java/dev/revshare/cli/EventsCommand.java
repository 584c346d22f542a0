package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.domain.Agreement;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.SetAsideEvent;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "events", mixinStandardHelpOptions = true, description = "Stripe events that need a person.", subcommands = EventsCommand.Unclaimed.class)
final class EventsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "unclaimed", mixinStandardHelpOptions = true, description = "Events kept for a person, not booked: for a Stripe account no agreement "
            + "claims, or of a booked type revshare could not read; differences revshare reconcile found (what the "
            + "ledger has and Stripe does not, or with another amount); and refunds or disputes that have waited more "
            + "than a day for their payment.")
    static final class Unclaimed implements Callable<Integer> {
        @ParentCommand
        EventsCommand parent;

        @Override
        public Integer call() {
            Clock clock = Clock.systemUTC();
            try (Backend local = parent.root.backend(clock)) {
                List<SetAsideEvent> events = local.store().ledger().setAside();
                List<LedgerStore.WaitingPayment> waiting = new ArrayList<>();
                for (Agreement agreement : local.store().agreements().all()) {
                    local.store().ledger().waiting(agreement.id()).stream().filter(w -> w.overdue(clock.instant()))
                            .forEach(waiting::add);
                }
                if (events.isEmpty() && waiting.isEmpty()) {
                    System.out.println("No events kept: every event came for an agreement's Stripe account and could be read,"
                            + "\nand no refund or dispute has waited more than a day for its payment.");
                    return 0;
                }
                if (!events.isEmpty()) {
                    printSetAside(events);
                }
                if (!waiting.isEmpty()) {
                    printWaiting(waiting);
                }
            }
            return 0;
        }

        private static void printSetAside(List<SetAsideEvent> events) {
            System.out.printf("%-24s %-28s %-24s %-22s %14s  %s%n", "received", "event", "type", "account", "amount", "why kept");
            for (SetAsideEvent e : events) {
                String amount = e.amount() == null || e.currency() == null ? "" : Money.format(e.amount(), e.currency());
                System.out.printf("%-24s %-28s %-24s %-22s %14s  %s%n", e.receivedAt(), e.eventId(), e.eventType(),
                        e.account() == null ? "(platform)" : e.account(), amount,
                        e.reason() == null ? "no agreement claims the account" : e.reason());
            }
            System.out.println("\nNo agreement claims an account: apply an agreement whose stripe.account is the account,"
                    + "\nthen resend the events from the Stripe Dashboard (Developers > Events > Resend): they are booked once."
                    + "\nCould not read it: look the event up in the Stripe Dashboard; it is not booked, so nothing counts twice."
                    + "\nreconciliation.*: the ledger has a movement Stripe does not list, or with another amount (revshare"
                    + "\nreconcile); its lines were not changed: look the Stripe id up in the Stripe Dashboard and settle it"
                    + "\nbetween you.");
        }

        private static void printWaiting(List<LedgerStore.WaitingPayment> waiting) {
            System.out.printf("%nRefunds or disputes waiting more than a day for a payment revshare has not booked:%n");
            System.out.printf("%-24s %-28s %s%n", "waiting since", "agreement", "payment");
            for (LedgerStore.WaitingPayment w : waiting) {
                System.out.printf("%-24s %-28s %s%n", w.since(), w.agreementId(), w.paymentKey());
            }
            System.out.println("\nLook the payment up in the Stripe Dashboard and resend its charge.succeeded (or"
                    + "\npayment_intent.succeeded) event: the refund or dispute is booked with it, once.");
        }
    }
}
