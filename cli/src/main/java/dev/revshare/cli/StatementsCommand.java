package dev.revshare.cli;

import dev.revshare.store.StatementStore.DeliveryOutcome;
import dev.revshare.domain.Side;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.signoff.Objection;
import dev.revshare.signoff.SignOffState;
import dev.revshare.statements.StatementEmailRenderer;
import dev.revshare.store.StatementStore.Delivery;
import dev.revshare.statements.ReconciliationProof;
import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.StoredStatement;
import java.io.PrintStream;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "statements", mixinStandardHelpOptions = true, description = "Read stored statements, preview one, "
        + "or re-check them.",
        subcommands = {StatementsCommand.Show.class, StatementsCommand.Preview.class, StatementsCommand.Run.class,
                StatementsCommand.Resend.class, VerifyCommand.class})
final class StatementsCommand {
    @ParentCommand
    RevshareCommand root;

    /** Which agreement, which month, and how to print it. */
    abstract static class StatementOptions {
        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--period", required = true, paramLabel = "YYYY-MM")
        String period;

        @Option(names = "--format", defaultValue = "json", paramLabel = "json|text",
                description = "json: the statement document (as stored and emailed); text: as the email reads.")
        String format;

        YearMonth month() {
            try {
                return YearMonth.parse(period);
            } catch (DateTimeParseException e) {
                throw new RevshareCommand.UserError("--period must be a month as YYYY-MM, was '" + period + "'");
            }
        }

        void print(Backend local, Statement statement) {
            if ("text".equals(format)) {
                Agreement agreement = local.store().agreements().find(statement.agreementId()).orElseThrow();
                System.out.print(new StatementEmailRenderer().render(agreement, statement).text());
            } else if ("json".equals(format)) {
                System.out.println(Json.writePretty(statement));
            } else {
                throw new RevshareCommand.UserError("--format must be json or text, was '" + format + "'");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a stored statement, then how its "
            + "sending went: sent, and delivered, bounced or complained as SES reported; or not sent, why, after how many "
            + "attempts, and how to send it (in text after the statement; "
            + "with json on stderr, so that stdout stays the statement document).")
    static final class Show extends StatementOptions implements Callable<Integer> {
        @ParentCommand
        StatementsCommand parent;

        @Override
        public Integer call() {
            YearMonth month = month();
            try (Backend local = parent.root.backend(Clock.systemUTC())) {
                StoredStatement stored = local.store().statements().find(agreementId, month).orElseThrow(() -> new RevshareCommand.UserError(
                        "no statement for agreement " + agreementId + " and period " + month
                                + " (preview it: revshare statements preview --agreement " + agreementId + " --period " + month + ")"));
                print(local, stored.statement());
                PrintStream sending = "text".equals(format) ? System.out : System.err;
                if ("text".equals(format)) {
                    sending.println();
                } else {
                    // the text has it at its top; beside the JSON, the proof in words
                    Agreement agreement = local.store().agreements().find(agreementId).orElse(null);
                    sending.println("Reconciliation: " + ReconciliationProof.headline(stored.statement(),
                            agreement == null ? ZoneOffset.UTC : agreement.timezone()));
                }
                sending.print(sending(stored));
                // kept apart from the statement, which never changes: beside the document, never in it
                Agreement agreement = local.store().agreements().find(agreementId).orElse(null);
                if (agreement != null) {
                    sending.print(signOff(agreement, local.signOffs().state(agreement, stored)));
                }
            }
            return 0;
        }
    }

    /** Where the statement stands with the two parties: open, objected to (each objection), or final. */
    static String signOff(Agreement agreement, SignOffState state) {
        StringBuilder out = new StringBuilder("Sign-off: ").append(state.describe(agreement, agreement.timezone())).append('\n');
        for (Objection objection : state.objections()) {
            out.append("  objection ").append(objection.id()).append(" by the ").append(objection.side().word())
                    .append(objection.open() ? " (open)" : " (resolved)").append(": ").append(objection.reason().replace('\n', ' '))
                    .append('\n');
        }
        return out.toString();
    }

    /** How the statement's sending went, one fact a line: its state, each report from SES, each resend. */
    static String sending(StoredStatement stored) {
        StringBuilder out = new StringBuilder();
        if (stored.status() != StatementStore.Status.SENT) {
            return notSent(stored);
        }
        out.append("Sending: ").append(stored.status().name().toLowerCase(Locale.ROOT)).append(" at ").append(stored.sentAt())
                .append(", a message to each party: ").append(stored.messages()).append('\n');
        for (Side side : Side.values()) {
            DeliveryOutcome state = stored.deliveryState(side);
            out.append("Delivery to the ").append(side.word()).append(": ")
                    .append(state == null ? "nothing reported by SES yet" : state.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        for (Delivery delivery : stored.deliveries()) {
            out.append("  ").append(delivery.at()).append(' ').append(delivery.outcome().name().toLowerCase(Locale.ROOT))
                    .append(": ").append(String.join(", ", delivery.recipients())).append(" (message ")
                    .append(delivery.messageId()).append(")\n");
        }
        for (StatementStore.Resend resend : stored.resends()) {
            out.append("Resent: ").append(resend.at()).append(" by ").append(resend.by())
                    .append(resend.side() == null ? "" : ", the " + resend.side().word() + "'s message,").append(" to ")
                    .append(String.join(", ", resend.to())).append(" as ").append(resend.messageId()).append('\n');
        }
        return out.toString();
    }

    /** A statement that has not gone out: why, how often it was tried, and how to send it. */
    private static String notSent(StoredStatement stored) {
        Statement statement = stored.statement();
        String attempts = stored.attempts() + (stored.attempts() == 1 ? " attempt" : " attempts");
        String state = switch (stored.status()) {
            case FAILED -> "failed, not sent (" + attempts + "): " + stored.error();
            case SENDING -> "being sent by a statements run (" + attempts + "); a run that stopped leaves it to the next "
                    + "run after 15 minutes";
            default -> "computed, not sent yet";
        };
        StringBuilder went = new StringBuilder();
        for (Side side : Side.values()) {
            if (stored.messages().sentTo(side)) {
                went.append("The ").append(side.word()).append("'s message went out as ").append(stored.messages().of(side))
                        .append(" and is not sent again.\n");
            }
        }
        return "Sending: " + state + "\n" + went
                + "Every statements run tries it again, and reports it as failed until it goes out; the months after it "
                + "are sent meanwhile.\n"
                + "To send a party's message now to corrected addresses (it then counts as sent): revshare statements resend "
                + "--agreement " + statement.agreementId() + " --period " + statement.period()
                + " --party expert|partner --to ADDRESS[,ADDRESS]\n";
    }

    @Command(name = "resend", mixinStandardHelpOptions = true, description = "Send a party's message of a statement again, "
            + "as stored, with the party's page link signed now, to corrected addresses (after a bounce, or one whose "
            + "sending failed: it then counts as sent), and note on the statement which party, who sent it, when, to whom "
            + "and its message id. Locally it goes to the outbox (or to AWS_ENDPOINT_URL's SES); on a stack (--stack) through SES, as the "
            + "stack's sender and with its configuration set.")
    static final class Resend implements Callable<Integer> {
        @ParentCommand
        StatementsCommand parent;

        @Option(names = "--agreement", required = true, paramLabel = "ID")
        String agreementId;

        @Option(names = "--period", required = true, paramLabel = "YYYY-MM")
        String period;

        @Option(names = "--party", required = true, paramLabel = "expert|partner", description = "Whose message it is: "
                + "its page link is that party's, so send it to that party's addresses only.")
        String party;

        @Option(names = "--to", required = true, paramLabel = "ADDRESS[,ADDRESS]", description = "The addresses to send it to.")
        String to;

        @Option(names = "--by", paramLabel = "NAME", description = "Who is sending it again (default: the user name).")
        String by = System.getProperty("user.name");

        @Override
        public Integer call() {
            YearMonth month;
            try {
                month = YearMonth.parse(period);
            } catch (DateTimeParseException e) {
                throw new RevshareCommand.UserError("--period must be a month as YYYY-MM, was '" + period + "'");
            }
            Side side;
            try {
                side = Side.parse(party);
            } catch (IllegalArgumentException e) {
                throw new RevshareCommand.UserError("--party: " + e.getMessage());
            }
            List<String> addresses = Arrays.stream(to.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                StatementStore.Resend resend = backend.resendStatement(agreementId, month, side, addresses, by);
                System.out.println("Resent the " + side.word() + "'s statement for " + agreementId + " " + month + " to "
                        + String.join(", ", resend.to())
                        + " as " + resend.messageId() + " (noted on the statement, by " + resend.by() + " at " + resend.at() + ")");
            }
            return 0;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true, description = "Compute a month's statement as if it were closed now, without storing "
            + "or sending anything.")
    static final class Preview extends StatementOptions implements Callable<Integer> {
        @ParentCommand
        StatementsCommand parent;

        @Override
        public Integer call() {
            YearMonth month = month();
            try (Backend local = parent.root.backend(Clock.systemUTC())) {
                if (local.store().statements().find(agreementId, month).isPresent()) {
                    System.err.println("(" + month + " was issued already: this is the stored statement)");
                }
                print(local, local.statementRun().preview(agreementId, month));
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Close and send the statements that are due now, "
            + "as the daily schedule does; on a deployed stack (--stack) by invoking its statements function. A month "
            + "already sent is never sent again.")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        StatementsCommand parent;

        @Option(names = "--period", paramLabel = "YYYY-MM", description = "Close this month (and any before it never closed).")
        String period;

        @Option(names = "--agreement", paramLabel = "ID", description = "Only this agreement.")
        String agreementId;

        @Override
        public Integer call() {
            YearMonth month = null;
            if (period != null) {
                try {
                    month = YearMonth.parse(period);
                } catch (DateTimeParseException e) {
                    throw new RevshareCommand.UserError("--period must be a month as YYYY-MM, was '" + period + "'");
                }
            }
            try (Backend backend = parent.root.backend(Clock.systemUTC())) {
                System.err.println("Running the statements on " + backend.where() + " ...");
                System.out.println(backend.runStatements(month, agreementId));
            }
            return 0;
        }
    }
}
