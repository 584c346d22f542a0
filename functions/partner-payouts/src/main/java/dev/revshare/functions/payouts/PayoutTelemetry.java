package dev.revshare.functions.payouts;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Where the automatic payouts' log lines and counts go: in Lambda, Powertools' JSON lines with the request id and one
 * EMF count per transfer outcome; in tests ({@link #LOGS_ONLY}) plain lines, nothing counted.
 */
public interface PayoutTelemetry {
    /** Transfers Stripe made. */
    String PAID = "PayoutsPaid";
    /** Transfers Stripe refused, or that could not be asked for (no key): a person must act (alarm). */
    String FAILED = "PayoutsFailed";
    /** Transfers whose answer was not heard: the invocation fails and Lambda asks again under the same key. */
    String UNANSWERED = "PayoutsUnanswered";

    <T> T invocation(Context context, Supplier<T> handling);

    void counted(String metric);

    PayoutTelemetry LOGS_ONLY = new PayoutTelemetry() {
        @Override
        public <T> T invocation(Context context, Supplier<T> handling) {
            try {
                return handling.get();
            } finally {
                MDC.clear();
            }
        }

        @Override
        public void counted(String metric) {
        }
    };

    /** The namespace from POWERTOOLS_METRICS_NAMESPACE (template.yaml), "revshare" without it. */
    static PayoutTelemetry powertools() {
        String namespace = System.getenv("POWERTOOLS_METRICS_NAMESPACE");
        var metrics = MetricsBuilder.builder().withNamespace(namespace == null || namespace.isBlank() ? "revshare" : namespace)
                .build();
        Logger log = LoggerFactory.getLogger(PayoutTelemetry.class);
        return new PayoutTelemetry() {
            @Override
            public <T> T invocation(Context context, Supplier<T> handling) {
                return PowertoolsLogging.withLogging(context, handling);
            }

            @Override
            public void counted(String metric) {
                try {
                    metrics.flushMetrics(counts -> counts.addMetric(metric, 1, MetricUnit.COUNT));
                } catch (RuntimeException e) {
                    // a metric never fails a payout that was made
                    log.warn("could not write the payout metric {}: {}", metric, e.toString());
                }
            }
        };
    }
}
