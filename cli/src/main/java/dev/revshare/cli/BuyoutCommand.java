package dev.revshare.cli;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "buyout", mixinStandardHelpOptions = true, description = "Buyout prices.", subcommands = BuyoutCommand.Quote.class)
final class BuyoutCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "quote", mixinStandardHelpOptions = true, description = "The price of buying the partner out: the agreement's multiple times the "
            + "partner's share over the trailing 12 months of issued statements, and how it was derived.")
    static final class Quote implements Callable<Integer> {
        /** How far back to look for the last issued statement. */
        private static final int MONTHS_BACK = 24;

        @ParentCommand
        BuyoutCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "Quote as of this day (default: today in the "
                + "agreement's time zone); the statements of the months before it count.")
        String asOf;

        @Override
        public Integer call() {
            Clock clock = Clock.systemUTC();
            try (Backend local = parent.root.backend(clock)) {
                Agreement agreement = local.store().agreements().find(agreementId)
                        .orElseThrow(() -> new RevshareCommand.UserError("no agreement with id " + agreementId));
                if (agreement.buyoutMultiple() == null) {
                    throw new RevshareCommand.UserError("agreement " + agreementId + " has no buyout clause (buyout.multiple)");
                }
                LocalDate day = asOf == null ? agreement.dayOf(clock.instant()) : parse(asOf);
                Statement statement = lastIssuedBefore(local, agreement, YearMonth.from(day)).orElseThrow(() ->
                        new RevshareCommand.UserError("no statement issued for " + agreementId + " before " + day
                                + ": a quote is based on issued statements"));
                Statement.BuyoutQuote quote = statement.buyoutQuote();
                String currency = statement.currency();
                System.out.printf("Buyout quote for %s as of %s%n", agreement.name(), day);
                System.out.printf("Partner's share by month (issued statements up to %s):%n", statement.period());
                for (Statement.MonthShare share : statement.recentPartnerShares()) {
                    System.out.printf("  %s %14s%n", share.period(), Money.format(share.partnerShare(), currency));
                }
                System.out.printf("  %-7s %14s  over %d month%s%n", "total", Money.format(quote.trailingPartnerShare(), currency),
                        quote.months(), quote.months() == 1 ? "" : "s");
                System.out.printf("Buyout price: %s x %s = %s (rounded half-up to the cent)%n", quote.multiple().toPlainString(),
                        Money.format(quote.trailingPartnerShare(), currency), Money.format(quote.amount(), currency));
            }
            return 0;
        }

        private static Optional<Statement> lastIssuedBefore(Backend local, Agreement agreement, YearMonth month) {
            for (int back = 1; back <= MONTHS_BACK; back++) {
                Optional<StoredStatement> stored = local.store().statements().find(agreement.id(), month.minusMonths(back));
                if (stored.isPresent()) {
                    return stored.map(StoredStatement::statement);
                }
            }
            return Optional.empty();
        }

        private static LocalDate parse(String day) {
            try {
                return LocalDate.parse(day);
            } catch (DateTimeParseException e) {
                throw new RevshareCommand.UserError("--as-of must be a day as YYYY-MM-DD, was '" + day + "'");
            }
        }
    }
}
