package dev.revshare.functions.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.reconcile.ClosingReconciliation;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Where the reconcile worker's log lines and metrics go: in Lambda ({@link PowertoolsTelemetry}) JSON lines with the
 * request id and agreement, and the months checked by outcome in CloudWatch EMF; in tests ({@link #LOGS_ONLY}) plain
 * lines, nothing counted.
 */
public interface Telemetry {

    <T> T invocation(Context context, Supplier<T> handling);

    /** Counts what one invocation's checks came to, and the messages that failed (delivered again). */
    void checked(List<ClosingReconciliation.Checked> checked, int failedMessages);

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
    };
}
