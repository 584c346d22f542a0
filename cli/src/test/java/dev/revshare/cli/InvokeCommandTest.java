package dev.revshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.testing.SamTemplate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code revshare invoke} knows exactly the functions template.yaml deploys, by the names it gives them. */
class InvokeCommandTest {
    private final List<String> deployed = SamTemplate.load().functionNames();

    @Test
    void invokeRunsEveryFunctionOfTemplateYamlAndNoOther() {
        assertThat(deployed).isNotEmpty();
        assertThat(InvokeCommand.FUNCTIONS.keySet()).containsExactlyElementsOf(deployed);
    }

    @Test
    void anUnknownNameIsRefusedListingExactlyTheTemplatesFunctions() {
        StringWriter err = new StringWriter();
        CommandLine cli = RevshareCommand.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("--data", "/nonexistent/revshare-invoke-test", "invoke", "NoSuchFunction", "--event",
                "/nonexistent/event.json");

        assertThat(exit).isEqualTo(2);
        String message = err.toString().strip();
        assertThat(message).startsWith("revshare: unknown function 'NoSuchFunction': use ").endsWith("(the names in template.yaml)");
        String listed = message.substring(message.indexOf(": use ") + ": use ".length(), message.indexOf(" (the names"));
        assertThat(Arrays.stream(listed.split(", | or ")).toList()).containsExactlyElementsOf(deployed);
    }

    @Test
    void theHelpNamesEveryFunction() {
        String usage = new CommandLine(new InvokeCommand()).getUsageMessage();

        assertThat(usage).contains(deployed);
    }
}
