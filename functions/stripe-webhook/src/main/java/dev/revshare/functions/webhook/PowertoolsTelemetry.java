package dev.revshare.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.ingest.BookingResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools' functional API (no AspectJ): each invocation's log lines carry the request id, cold start and
 * service (POWERTOOLS_SERVICE_NAME), and each Stripe event adds 1 to the metric {@value #EVENTS} with the
 * dimensions service and outcome, written to stdout in CloudWatch's embedded metric format.
 */
public final class PowertoolsTelemetry implements Telemetry {
    /** The metric: one per Stripe event handled, by outcome (dimension {@value #OUTCOME}, e.g. recorded, duplicate). */
    public static final String EVENTS = "StripeEvents";
    public static final String OUTCOME = "outcome";
    private static final Logger log = LoggerFactory.getLogger(PowertoolsTelemetry.class);

    private final Metrics metrics;

    public PowertoolsTelemetry(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The namespace from POWERTOOLS_METRICS_NAMESPACE (template.yaml), "revshare" without it. */
    public static PowertoolsTelemetry fromEnvironment() {
        String namespace = System.getenv("POWERTOOLS_METRICS_NAMESPACE");
        return new PowertoolsTelemetry(MetricsBuilder.builder()
                .withNamespace(namespace == null || namespace.isBlank() ? "revshare" : namespace).build());
    }

    @Override
    public <T> T invocation(Context context, Supplier<T> handling) {
        return PowertoolsLogging.withLogging(context, handling);
    }

    @Override
    public void outcome(BookingResult.Outcome outcome) {
        try {
            // a document of its own: the outcome dimension must not stay on the metrics of the next invocation
            metrics.flushMetrics(single -> {
                Map<String, String> dimensions = new LinkedHashMap<>(single.getDefaultDimensions().getDimensions());
                dimensions.put(OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
                single.setDefaultDimensions(DimensionSet.of(dimensions));
                single.addMetric(EVENTS, 1, MetricUnit.COUNT);
            });
        } catch (RuntimeException e) {
            // a metric never changes Stripe's answer
            log.warn("could not write the {} metric: {}", EVENTS, e.toString());
        }
    }
}
