package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.domain.Payout;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.stripe.StripeTransfers;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "payouts", mixinStandardHelpOptions = true, description = "Payments to the partner against issued "
        + "statements: record one made by hand, pay one by Stripe transfer, list them. Each payment is its own record "
        + "(the statement never changes), both parties get a payment notice, and the next statement lists it.",
        subcommands = {PayoutsCommand.Record.class, PayoutsCommand.Pay.class, PayoutsCommand.ListPayouts.class})
final class PayoutsCommand {
    @ParentCommand
    RevshareCommand root;

    /** Which statement. */
    abstract static class StatementChoice {
        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--period", required = true, paramLabel = "YYYY-MM", description = "The statement's month.")
        String period;

        @Option(names = "--by", paramLabel = "NAME", description = "Who records it (default: the user name).")
        String by = System.getProperty("user.name");

        YearMonth month() {
            try {
                return YearMonth.parse(period);
            } catch (DateTimeParseException e) {
                throw new RevshareCommand.UserError("--period must be a month as YYYY-MM, was '" + period + "'");
            }
        }
    }

    @Command(name = "record", mixinStandardHelpOptions = true, description = "Record a payment made outside revshare "
            + "(a bank transfer), whole or partial, with its reference; both parties get a payment notice.")
    static final class Record extends StatementChoice implements Callable<Integer> {
        @ParentCommand
        PayoutsCommand parent;

        @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "In the statement's currency, "
                + "as 1234.50; at most what the statement still owes.")
        String amount;

        @Option(names = "--reference", required = true, paramLabel = "REF", description = "The bank transfer's reference.")
        String reference;

        @Override
        public Integer call() {
            YearMonth month = month();
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                PartnerPayouts payouts = backend.payouts();
                PartnerPayouts.Standing standing = payouts.standing(agreementId, month);
                long minor = parseAmount(amount, standing.statement().currency());
                Payout payout = payouts.record(agreementId, month, minor, reference, by);
                System.out.println("Recorded payment " + payout.number() + " for " + agreementId + " " + month + ": "
                        + Money.format(payout.amount(), payout.currency()) + " by bank transfer, reference " + payout.reference());
                System.out.println(after(payouts, agreementId, month));
            }
            return 0;
        }
    }

    @Command(name = "pay", mixinStandardHelpOptions = true, description = "Pay what a statement still owes by a Stripe "
            + "Connect transfer to the partner's connected account (the agreement file's payouts.destination), with the "
            + "statement's id as the idempotency key and transfer group: running it again never pays twice. A transfer "
            + "Stripe refused is recorded as failed, with Stripe's reason, and tried again only with --retry.")
    static final class Pay extends StatementChoice implements Callable<Integer> {
        @ParentCommand
        PayoutsCommand parent;

        @Option(names = "--retry", description = "Try again after Stripe refused the last transfer (once its cause is put "
                + "right), under a new idempotency key.")
        boolean retry;

        @Override
        public Integer call() {
            YearMonth month = month();
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                PartnerPayouts payouts = backend.payouts();
                Payout payout;
                try {
                    payout = payouts.pay(agreementId, month, by, retry);
                } catch (StripeTransfers.NotAnswered e) {
                    System.err.println("revshare: " + e.getMessage() + ". The transfer is recorded as submitted: run the same "
                            + "command again (it asks Stripe under the same idempotency key, so it is never paid twice).");
                    return 3;
                }
                if (payout.status() == Payout.Status.FAILED) {
                    System.err.println("revshare: Stripe refused the transfer of " + Money.format(payout.amount(), payout.currency())
                            + " for " + agreementId + " " + month + ": " + payout.failure());
                    System.err.println("Recorded as failed (payment " + payout.number() + "); nothing was paid. Put it right, "
                            + "then run: revshare payouts pay --agreement " + agreementId + " --period " + month + " --retry");
                    return 1;
                }
                System.out.println("Paid " + Money.format(payout.amount(), payout.currency()) + " to the partner for "
                        + agreementId + " " + month + " by Stripe transfer " + payout.reference() + " (idempotency key "
                        + payout.idempotencyKey() + ")");
                System.out.println(after(payouts, agreementId, month));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every payment recorded for an agreement, "
            + "and what each statement still owes.")
    static final class ListPayouts implements Callable<Integer> {
        @ParentCommand
        PayoutsCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Override
        public Integer call() {
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                PartnerPayouts payouts = backend.payouts();
                List<Payout> all = payouts.payouts(agreementId);
                if (all.isEmpty()) {
                    System.out.println("No payment recorded for " + agreementId + " on " + backend.where() + ".");
                    return 0;
                }
                System.out.println("Payments to the partner of " + agreementId + ":");
                YearMonth shown = null;
                for (Payout payout : all) {
                    if (!payout.period().equals(shown)) {
                        shown = payout.period();
                        System.out.println("  " + after(payouts, agreementId, shown));
                    }
                    System.out.printf("    %d. %-9s %14s  %-15s %s%s%n", payout.number(),
                            payout.status().name().toLowerCase(Locale.ROOT), Money.format(payout.amount(), payout.currency()),
                            payout.method() == Payout.Method.STRIPE_TRANSFER ? "Stripe transfer" : "bank transfer",
                            payout.reference() == null ? "(no answer from Stripe yet: run payouts pay again)" : payout.reference(),
                            payout.failure() == null ? "" : " - " + payout.failure());
                }
            }
            return 0;
        }
    }

    /** "Statement 2026-10: payable $1,200.00, paid $1,000.00, outstanding $200.00". */
    static String after(PartnerPayouts payouts, String agreementId, YearMonth month) {
        PartnerPayouts.Standing standing = payouts.standing(agreementId, month);
        String currency = standing.statement().currency();
        return "Statement " + month + ": payable " + Money.format(standing.payable(), currency) + ", paid "
                + Money.format(standing.paid(), currency) + ", outstanding " + Money.format(standing.outstanding(), currency);
    }

    static long parseAmount(String amount, String currency) {
        try {
            return Money.parseMajor(amount.strip(), currency);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RevshareCommand.UserError("--amount must be an amount in " + currency.toUpperCase(Locale.ROOT)
                    + " with at most the currency's decimals, such as 1234.50 (was '" + amount + "')");
        }
    }
}
