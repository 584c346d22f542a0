package dev.revshare.cli;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "agreements", mixinStandardHelpOptions = true, description = "Apply and list agreements; simulate "
        + "proposed terms over an agreement's history.",
        subcommands = {AgreementsCommand.Apply.class, AgreementsCommand.ListAgreements.class, SimulateCommand.class})
final class AgreementsCommand {
    @ParentCommand
    RevshareCommand root;

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Validate agreement YAML files and store them. All or nothing: "
            + "if any file is invalid, none is applied.")
    static final class Apply implements Callable<Integer> {
        @ParentCommand
        AgreementsCommand parent;

        @Parameters(paramLabel = "FILE.yaml", arity = "1..*", description = "Agreement files.")
        List<Path> files;

        @Override
        public Integer call() {
            List<Agreement> agreements = new ArrayList<>();
            for (Path file : files) {
                agreements.add(AgreementFile.parse(read(file), file.toString()));
            }
            Clock clock = Clock.systemUTC();
            try (Backend local = parent.root.backend(clock)) {
                for (Agreement agreement : agreements) {
                    local.store().agreements().put(agreement, clock.instant());
                    System.out.printf("applied %s (%s)%n", agreement.id(), agreement.name());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the applied agreements.")
    static final class ListAgreements implements Callable<Integer> {
        @ParentCommand
        AgreementsCommand parent;

        @Override
        public Integer call() {
            try (Backend local = parent.root.backend(Clock.systemUTC())) {
                for (Agreement a : local.store().agreements().all()) {
                    System.out.printf("%-24s %-48s %s %s from %s%n", a.id(), a.name(), a.currency(), a.timezone(), a.termStart());
                }
            }
            return 0;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RevshareCommand.UserError("cannot read " + file + ": " + e.getMessage());
        }
    }
}
