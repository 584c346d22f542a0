package dev.revshare.cli;

import dev.revshare.agreements.AgreementFile;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code revshare} command: agreements, local runs of both functions, statements, and the demo. */
@Command(name = "revshare", mixinStandardHelpOptions = true, version = "revshare 0.1.0",
        description = "Book-keeping for revenue-share partnerships: Stripe payments in, monthly statements out.",
        subcommands = {DemoCommand.class, AgreementsCommand.class, InvokeCommand.class, StatementsCommand.class, BuyoutCommand.class, EventsCommand.class, ReviewCommand.class,
                CommandLine.HelpCommand.class})
public final class RevshareCommand {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = ".revshare",
            description = "Folder that keeps the local store (DynamoDB Local) and the outbox between commands "
                    + "(default: ${DEFAULT-VALUE}).")
    Path data;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RevshareCommand());
        // What went wrong and what to do, without a stack trace, for the errors a person can fix.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof AgreementFile.InvalidAgreementException || e instanceof IllegalArgumentException
                    || e instanceof UserError) {
                commandLine.getErr().println("revshare: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /** A mistake in how the command was called, with what to do about it. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }
}
