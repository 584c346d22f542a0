package dev.revshare.cli;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.signoff.Objection;
import dev.revshare.signoff.SignOffs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "objections", mixinStandardHelpOptions = true, description = "The parties' objections to issued statements "
        + "(made on their pages), and their resolution: an adjustment on the next statement, or no change.",
        subcommands = {ObjectionsCommand.ListObjections.class, ObjectionsCommand.Resolve.class})
final class ObjectionsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Objections, open first, with the lines and the reason.")
    static final class ListObjections implements Callable<Integer> {
        @ParentCommand
        ObjectionsCommand parent;

        @Option(names = "--agreement", paramLabel = "ID", description = "One agreement's (default: every agreement's).")
        String agreementId;

        @Option(names = "--all", description = "Resolved objections too.")
        boolean all;

        @Override
        public Integer call() {
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                SignOffs signOffs = backend.signOffs();
                List<Agreement> agreements = agreementId == null ? backend.store().agreements().all()
                        : List.of(backend.store().agreements().find(agreementId).orElseThrow(() ->
                                new RevshareCommand.UserError("no agreement with id " + agreementId + " in " + backend.where())));
                List<String> rows = new ArrayList<>();
                for (Agreement agreement : agreements) {
                    for (Objection o : signOffs.objections(agreement.id())) {
                        if (all || o.open()) {
                            rows.add(describe(agreement, o));
                        }
                    }
                }
                if (rows.isEmpty()) {
                    System.out.println("No " + (all ? "" : "open ") + "objections in " + backend.where() + ".");
                    return 0;
                }
                rows.forEach(System.out::print);
                System.out.println("\nSettle one with: revshare objections resolve --agreement ID --objection OBJECTION "
                        + "(--adjust AMOUNT | --no-change) --reason TEXT");
            }
            return 0;
        }

        static String describe(Agreement agreement, Objection o) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("%s  %s  statement %s  by %s (%s) on %s%n", agreement.id(), o.id(), o.period(),
                    o.side().of(agreement).name(), o.side().word(), o.at()));
            out.append("  lines: ").append(o.lineIds().isEmpty() ? "none named (the statement as a whole)" : String.join(", ", o.lineIds()))
                    .append('\n');
            out.append("  reason: ").append(o.reason().replace('\n', ' ')).append('\n');
            if (o.resolution() == null) {
                out.append("  open\n");
            } else {
                Objection.Resolution r = o.resolution();
                out.append("  resolved ").append(r.at()).append(r.by() == null ? "" : " by " + r.by()).append(": ")
                        .append(r.partnerAdjustment() == 0 ? "no change"
                                : "partner's share adjusted by " + Money.format(r.partnerAdjustment(), agreement.currency())
                                + " on the next statement")
                        .append(" (").append(r.reason()).append(")\n");
            }
            return out.toString();
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Settle an objection as the two parties agreed: "
            + "--adjust AMOUNT (in the agreement's currency, e.g. 12.50 more to the partner or -12.50 less) goes on the "
            + "next statement closed after now as an adjustment; --no-change records that nothing changes. The issued "
            + "statement never changes; a resolution is final.")
    static final class Resolve implements Callable<Integer> {
        @ParentCommand
        ObjectionsCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--objection", required = true, paramLabel = "ID", description = "As `objections list` shows it.")
        String objectionId;

        @ArgGroup(exclusive = true, multiplicity = "1")
        How how;

        static final class How {
            @Option(names = "--adjust", paramLabel = "AMOUNT", description = "Added to the partner's share on the next "
                    + "statement (negative: taken off), in major units: 12.50, -12.50.")
            String adjust;

            @Option(names = "--no-change", description = "The statement stands as issued.")
            boolean noChange;
        }

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What the parties agreed, in a sentence; on the next statement.")
        String reason;

        @Option(names = "--by", paramLabel = "NAME", defaultValue = "${sys:user.name}", description = "Who records it (default: ${DEFAULT-VALUE}).")
        String by;

        @Override
        public Integer call() {
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                Agreement agreement = backend.store().agreements().find(agreementId).orElseThrow(() ->
                        new RevshareCommand.UserError("no agreement with id " + agreementId + " in " + backend.where()));
                long adjustment = 0;
                if (how.adjust != null) {
                    try {
                        adjustment = dev.revshare.domain.Money.parseMajor(how.adjust.strip(), agreement.currency());
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw new RevshareCommand.UserError("--adjust must be an amount in " + agreement.currency().toUpperCase()
                                + " with at most the currency's decimals, such as 12.50 or -12.50 (was " + how.adjust + ")");
                    }
                    if (adjustment == 0) {
                        throw new RevshareCommand.UserError("--adjust 0 changes nothing: say --no-change");
                    }
                }
                Objection resolved = backend.signOffs().resolve(agreementId, objectionId, adjustment, reason, by);
                System.out.print(ListObjections.describe(agreement, resolved));
            }
            return 0;
        }
    }
}
