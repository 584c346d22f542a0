package dev.revshare.cli;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DeployedStack;
import dev.revshare.aws.StatementsFunctionInvoker;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code revshare} command: agreements, local runs of both functions, statements, and the demo. */
@Command(name = "revshare", mixinStandardHelpOptions = true, version = "revshare 0.1.0",
        description = "Book-keeping for revenue-share partnerships: Stripe payments in, monthly statements out.",
        subcommands = {DemoCommand.class, AgreementsCommand.class, InvokeCommand.class, StatementsCommand.class, BuyoutCommand.class, EventsCommand.class, ReviewCommand.class,
                ReconcileCommand.class, ObjectionsCommand.class, ServeCommand.class, PayoutsCommand.class,
                CommandLine.HelpCommand.class})
public final class RevshareCommand {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = ".revshare",
            description = "Folder that keeps the local store (DynamoDB Local) and the outbox between commands "
                    + "(default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--stack", paramLabel = "NAME", description = "Work on a deployed stack: its table and statements "
            + "function, read from its CloudFormation outputs. Region, profile and credentials come from the AWS SDK's "
            + "default chain (AWS_REGION, AWS_PROFILE, ~/.aws).")
    String stack;

    @Option(names = "--table", paramLabel = "NAME", description = "Work on this DynamoDB table of a deployed stack "
            + "(when its CloudFormation outputs cannot be read).")
    String table;

    /** The data this command works on: the deployed stack or table when named, else the local store under --data. */
    Backend backend(Clock clock) {
        if (stack != null && table != null) {
            throw new UserError("name the stack (--stack) or its table (--table), not both");
        }
        if (stack != null) {
            return StackRuntime.forStack(stack, clock);
        }
        if (table != null) {
            return StackRuntime.forTable(table, clock);
        }
        return LocalRuntime.persistent(data, clock);
    }

    /** For the commands that run the functions here: refused on a stack, with what to use instead. */
    Path localOnly(String what) {
        if (stack != null || table != null) {
            throw new UserError(what + " runs here, on the local store; on a deployed stack use `revshare --stack NAME "
                    + "statements run`, or send the events to the stack's webhook");
        }
        return data;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RevshareCommand());
        // What went wrong and what to do, without a stack trace, for the errors a person can fix.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof AgreementFile.InvalidAgreementException || e instanceof IllegalArgumentException
                    || e instanceof UserError || e instanceof DeployedStack.StackProblem
                    || e instanceof StatementsFunctionInvoker.RunFailed) {
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
