package dev.revshare.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run revshare end to end on embedded defaults (no AWS account, no network): "
        + "three example agreements, a year of signed Stripe deliveries, twelve monthly statements each.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Where the outbox goes; cleared first (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        new Demo(System.out).run(out);
        return 0;
    }
}
