package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.ingest.BookingResult;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Where a Stripe event's log lines and metrics go. In Lambda ({@link PowertoolsTelemetry}, the handlers'
 * no-arg constructors): JSON lines with the request id, cold start and the keys the router adds, and a count
 * per outcome in CloudWatch EMF. On the command line ({@link #LOGS_ONLY}): its own readable lines, no metrics.
 */
public interface Telemetry {

    /** Runs one invocation in its logging context; the keys added on the way (agreement, event) end with it. */
    <T> T invocation(Context context, Supplier<T> handling);

    /** Counts what handling one Stripe event came to. */
    void outcome(BookingResult.Outcome outcome);

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
        public void outcome(BookingResult.Outcome outcome) {
        }
    };
}
