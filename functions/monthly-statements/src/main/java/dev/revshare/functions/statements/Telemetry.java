package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.statements.RunSummary;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Where a statements run's log lines and metrics go. In Lambda ({@link PowertoolsTelemetry}, the handler's
 * no-arg constructor): JSON lines with the request id, cold start and the agreement a line is about, and the
 * run's counts in CloudWatch EMF. On the command line ({@link #LOGS_ONLY}): its own readable lines, no metrics.
 */
public interface Telemetry {

    /** Runs one invocation in its logging context, cleared after it. */
    <T> T invocation(Context context, Supplier<T> handling);

    /** Counts what one run did: statements sent, failed, being sent by another run, and the rest. */
    void run(RunSummary summary);

    /**
     * The statements worker's batch: its counts as {@link #run(RunSummary)}, and how many of the statements it sent went
     * without the parties' page links (no page secret in SSM).
     */
    default void run(RunSummary summary, int sentWithoutPageLink) {
        run(summary);
    }

    /** Counts the agreements the scheduled run queued for the worker. */
    default void queued(int agreements) {
    }

    /** The command line's and the tests': plain log lines, nothing counted. */
    Telemetry LOGS_ONLY = new Telemetry() {
        @Override
        public <T> T invocation(Context context, Supplier<T> handling) {
            try {
                return handling.get();
            } finally {
                MDC.clear();
            }
        }

        @Override
        public void run(RunSummary summary) {
        }
    };
}
