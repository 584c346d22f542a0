package dev.revshare.cli;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.Money;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.review.ReviewDesk;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "review", mixinStandardHelpOptions = true, description = "Payments held for review, and their resolution by the two parties.",
        subcommands = {ReviewCommand.ListHeld.class, ReviewCommand.Resolve.class})
final class ReviewCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Payments held for review and not resolved yet, with the reason.")
    static final class ListHeld implements Callable<Integer> {
        @ParentCommand
        ReviewCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Override
        public Integer call() {
            Clock clock = Clock.systemUTC();
            try (Backend local = parent.root.backend(clock)) {
                Agreement agreement = agreement(local, agreementId);
                List<ReviewDesk.HeldPayment> held = new ReviewDesk(local.store().agreements(), local.store().ledger(), local.store().bookings(), clock).held(agreement);
                if (held.isEmpty()) {
                    System.out.println("Nothing held for review in " + agreementId + ".");
                    return 0;
                }
                System.out.print(listing(agreement, held));
                System.out.printf("%nSettle one with: revshare review resolve --agreement %s --line <payment> --as shared|excluded"
                        + " [--reason TEXT]%n", agreementId);
            }
            return 0;
        }

        /** One row per held payment and one per held line; amounts in the line's own currency, whatever it is. */
        static String listing(Agreement agreement, List<ReviewDesk.HeldPayment> held) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("%-30s %-12s %-14s %14s  %s%n", "payment", "date", "category", "amount", "why held"));
            for (ReviewDesk.HeldPayment payment : held) {
                out.append(String.format("%-30s %-12s %-14s %14s  %s%n", payment.saleId(), agreement.dayOf(payment.firstAt()),
                        payment.category() == null ? "(none)" : payment.category(),
                        Money.format(payment.heldAmount(), payment.currency()), String.join("; ", payment.reasons())));
                for (LedgerLine line : payment.heldLines()) {
                    out.append(String.format("    %-26s %-12s %-14s %14s%n", line.lineId(), line.type().name().toLowerCase(Locale.ROOT),
                            line.stripeId(), Money.format(line.amount(), line.currency())));
                }
            }
            return out.toString();
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Settle a payment held for review as shared or excluded; the next statement "
            + "counts it as a prior-period adjustment.")
    static final class Resolve implements Callable<Integer> {
        @ParentCommand
        ReviewCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--line", required = true, paramLabel = "STRIPE_ID",
                description = "Any id of the payment: charge, payment intent, invoice or checkout session.")
        String stripeId;

        @Option(names = "--as", required = true, paramLabel = "shared|excluded")
        String as;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Shown on the statement.")
        String reason;

        @Override
        public Integer call() {
            Classification classification = switch (as.toLowerCase(Locale.ROOT)) {
                case "shared" -> Classification.SHARED;
                case "excluded" -> Classification.EXCLUDED;
                default -> throw new RevshareCommand.UserError("--as must be shared or excluded, was '" + as + "'");
            };
            Clock clock = Clock.systemUTC();
            try (Backend local = parent.root.backend(clock)) {
                Agreement agreement = agreement(local, agreementId);
                ReviewResolution resolution;
                try {
                    resolution = new ReviewDesk(local.store().agreements(), local.store().ledger(), local.store().bookings(), clock).resolve(agreement, stripeId, classification, reason);
                } catch (ReviewDesk.ReviewException e) {
                    throw new RevshareCommand.UserError(e.getMessage());
                }
                long amount = resolution.lines().stream().mapToLong(LedgerLine::amount).sum();
                System.out.printf("Payment %s (%s) resolved as %s%s.%n", resolution.saleId(),
                        Money.format(amount, agreement.currency()), as.toLowerCase(Locale.ROOT),
                        resolution.reason() == null ? "" : ": " + resolution.reason());
                System.out.println("The next statement closed for " + agreementId + " counts it; lines an earlier statement"
                        + " held come back there as prior-period adjustments.");
            }
            return 0;
        }
    }

    private static Agreement agreement(Backend local, String agreementId) {
        return local.store().agreements().find(agreementId)
                .orElseThrow(() -> new RevshareCommand.UserError("no agreement with id " + agreementId));
    }
}
