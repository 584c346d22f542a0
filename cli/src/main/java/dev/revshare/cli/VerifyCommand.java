package dev.revshare.cli;

import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementArithmetic.Mismatch;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.verify.ChainVerification;
import dev.revshare.verify.ChainVerification.Checked;
import dev.revshare.verify.StatementFileCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Re-check issued statements. --agreement ID: every statement of the agreement recomputed from the ledger and the "
                + "agreement's terms, as it was closed, and compared with what is stored, line by line and amount by "
                + "amount; each hash recomputed and the chain of hashes checked (locally or on a stack with --stack). "
                + "--file STATEMENT.json: one statement checked from its JSON attachment alone, offline (its hash, and "
                + "its arithmetic: line sums, the partner's share at its rates, caps, totals); .json.gz is read as it is.",
        "Prints each difference. Exit status: 0 everything matches; 1 a difference; 2 a mistake in the command (or a "
                + "file that is not a statement); 3 the store failed: run it again. Reads only."})
final class VerifyCommand implements Callable<Integer> {
    static final int DIFFERENCE = 1;
    static final int STORE_FAILED = 3;

    @ParentCommand
    StatementsCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--agreement", required = true, paramLabel = "ID",
                description = "Recompute every issued statement of this agreement from the records.")
        String agreementId;

        @Option(names = "--file", required = true, paramLabel = "STATEMENT.json",
                description = "Check one statement's JSON attachment (or .json.gz) alone, offline.")
        Path file;
    }

    @Override
    public Integer call() {
        return what.file != null ? file(what.file) : agreement(what.agreementId);
    }

    // ---------------------------------------------------------------- --agreement

    private int agreement(String agreementId) {
        try (Backend backend = parent.root.backend(Clock.systemUTC())) {
            ChainVerification.Report report;
            try {
                report = new ChainVerification(backend.store().agreements(), backend.store().ledger(),
                        backend.store().statements(), backend.signOffs().adjustments()).verify(agreementId);
            } catch (StoreUnavailableException e) {
                System.err.println("revshare: the store failed while verifying (" + backend.where() + "): " + e.getMessage()
                        + ". Nothing was changed; run it again.");
                return STORE_FAILED;
            }
            System.out.print(text(report, backend.where()));
            return report.allMatch() ? 0 : DIFFERENCE;
        }
    }

    static String text(ChainVerification.Report report, String where) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Statements of %s (%s), %s, on %s:%n", report.agreement().id(), report.agreement().name(),
                report.agreement().currency().toUpperCase(Locale.ROOT), where));
        out.append("each recomputed from the ledger and the agreement's terms as it was closed, its hash recomputed and its "
                + "chain checked.\n\n");
        if (report.statements().isEmpty()) {
            out.append("No statement has been issued for ").append(report.agreement().id()).append(" yet: nothing to check.\n");
            return out.toString();
        }
        for (Checked checked : report.statements()) {
            String month = checked.period() + (checked.supplementary() ? " supplementary" : "");
            String verdict = checked.matches() ? "matches" : "DIFFERS";
            String link = switch (checked.link()) {
                case UNHASHED -> "issued before hashing: no hash to check";
                case FIRST -> "hash " + checked.hash() + ", first of the chain";
                case FOLLOWS -> "hash " + checked.hash() + ", follows " + checked.previousPeriod();
                case MISSING -> "no statement stored";
            };
            out.append(String.format("  %-20s %-8s %-9s %s%n", month, verdict,
                    checked.link() == ChainVerification.Link.MISSING ? "" : checked.lines() + (checked.lines() == 1 ? " line" : " lines"),
                    link));
            for (var difference : checked.differences()) {
                out.append("      ").append(difference.field()).append(": stored ").append(difference.stored())
                        .append(", recomputed ").append(difference.recomputed()).append('\n');
            }
        }
        long differing = report.differing();
        int all = report.statements().size();
        out.append('\n');
        if (differing == 0) {
            out.append(String.format("All %d statement(s) match the ledger and the agreement's terms%s.%n", all,
                    report.statements().stream().anyMatch(c -> c.link() != ChainVerification.Link.UNHASHED)
                            ? ", and their hashes and chain hold" : ""));
        } else {
            out.append(String.format("%d of %d statement(s) differ: see above. Nothing was changed.%n", differing, all));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- --file

    private int file(Path file) {
        if (parent.root.stack != null || parent.root.table != null) {
            throw new RevshareCommand.UserError("--file checks the file alone, offline: leave out --stack and --table");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RevshareCommand.UserError("cannot read " + file + ": " + e.getMessage());
        }
        StatementFileCheck.Result result;
        try {
            result = StatementFileCheck.check(content);
        } catch (IllegalArgumentException e) {
            throw new RevshareCommand.UserError(file + ": " + e.getMessage());
        }
        System.out.print(text(result, file.getFileName().toString()));
        return result.passes() ? 0 : DIFFERENCE;
    }

    static String text(StatementFileCheck.Result result, String name) {
        Statement statement = result.statement();
        String currency = statement.currency();
        Statement.Totals totals = statement.totals();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s: statement of %s (%s) for %s%s, %s, closed %s, %d line(s)%n", name,
                statement.agreementId(), statement.agreementName(), statement.period(),
                statement.supplementary() ? " (supplementary)" : statement.isFinal() ? " (final)" : "",
                currency.toUpperCase(Locale.ROOT), statement.closedAt(), statement.lines().size()));
        switch (result.hash()) {
            case MATCHES -> out.append("  hash           matches its content: ").append(statement.hash()).append('\n');
            case DIFFERS -> out.append("  hash           DIFFERS: the file carries ").append(statement.hash())
                    .append(",\n                 its content hashes to ").append(result.computedHash())
                    .append(": it was changed after it was issued\n");
            case NONE -> out.append("  hash           none: issued before statements carried a hash\n");
        }
        if (statement.hash() != null) {
            String previous = statement.previousHash();
            out.append("  previous hash  ").append(previous == null || previous.isEmpty()
                    ? "none: the first statement of the agreement's chain" : previous + " (the statement before it)")
                    .append('\n');
        }
        if (result.arithmetic().isEmpty()) {
            out.append(String.format("  arithmetic     holds: gross sales %s - refunds %s - disputes %s = net revenue %s; "
                            + "partner %s at its lines' rates, expert %s; payable now %s%n",
                    Money.format(totals.grossSales(), currency), Money.format(totals.refunds(), currency),
                    Money.format(totals.disputes(), currency), Money.format(totals.netRevenue(), currency),
                    Money.format(totals.partnerShare(), currency), Money.format(totals.expertShare(), currency),
                    Money.format(totals.partnerPayable(), currency)));
        } else {
            out.append("  arithmetic     DIFFERS:\n");
            for (Mismatch mismatch : result.arithmetic()) {
                out.append("      ").append(mismatch.field()).append(": the statement says ").append(mismatch.stated())
                        .append(", its lines and terms give ").append(mismatch.expected()).append(" (").append(mismatch.rule())
                        .append(")\n");
            }
        }
        // a note of the file, outside the hash: the statement checks out or not whatever it says
        result.signOff().ifPresent(signOff -> out.append("  sign-off       ").append(signOff.summary()).append(" (as of ")
                .append(signOff.asOf()).append(", when the file was written; not part of the hash)\n"));
        out.append(result.passes() ? "It checks out.\n" : "It does not check out: see above.\n");
        return out.toString();
    }
}
