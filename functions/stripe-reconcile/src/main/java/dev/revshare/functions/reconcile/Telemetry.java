package dev.revshare.functions.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.reconcile.ClosingReconciliation;
import dev.revshare.reconcile.SweepReport;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Where the reconcile worker's and the daily sweep's log lines and metrics go: in Lambda ({@link PowertoolsTelemetry})
 * JSON lines with the request id and agreement, and the months checked by outcome, or what the sweep found, in
 * CloudWatch EMF; on the command line and in tests ({@link #LOGS_ONLY}) plain lines, nothing counted.
 */
public interface Telemetry {

    <T> T invocation(Context context, Supplier<T> handling);

    /** Counts what one invocation's checks came to, and the messages that failed (delivered again). */
    void checked(List<ClosingReconciliation.Checked> checked, int failedMessages);

    /** Counts what one daily sweep found and did: undelivered events found and booked, failures, endpoint problems. */
    void swept(SweepReport report);

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
        public void checked(List<ClosingReconciliation.Checked> checked, int failedMessages) {
        }

        @Override
        public void swept(SweepReport report) {
        }
    };
}
