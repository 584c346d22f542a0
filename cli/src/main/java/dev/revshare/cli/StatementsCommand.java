package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.store.StatementStore.StoredStatement;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "statements", description = "Read stored statements.", subcommands = StatementsCommand.Show.class)
final class StatementsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "show", description = "Print a stored statement (JSON: the same document that is stored and emailed).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        StatementsCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--period", required = true, paramLabel = "YYYY-MM")
        String period;

        @Option(names = "--format", defaultValue = "json", paramLabel = "json|text")
        String format;

        @Override
        public Integer call() {
            try (LocalRuntime local = LocalRuntime.persistent(parent.root.data, Clock.systemUTC())) {
                StoredStatement stored = local.store.find(agreementId, period).orElseThrow(() -> new RevshareCommand.UserError(
                        "no statement for agreement " + agreementId + " and period " + period
                                + " (run: revshare invoke MonthlyStatementsFunction --event events/monthly-statements/rerun-period.json)"));
                Statement s = stored.statement();
                if ("text".equals(format)) {
                    Statement.Totals t = s.totals();
                    System.out.printf("%s %s (%s)%n  net revenue %s%n  expert %s%n  partner %s%n  lines %d%n",
                            s.agreementName(), s.period(), stored.status(), Money.format(t.netRevenue(), s.currency()),
                            Money.format(t.expertShare(), s.currency()), Money.format(t.partnerShare(), s.currency()),
                            s.lines().size());
                } else {
                    System.out.println(Json.writePretty(s));
                }
            }
            return 0;
        }
    }
}
