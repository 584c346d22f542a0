package dev.revshare.functions.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.domain.Statement.Reconciliation.Status;
import dev.revshare.reconcile.ClosingReconciliation;
import dev.revshare.reconcile.SweepReport;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools' functional API (no AspectJ): JSON log lines with the request id and cold start, and per invocation
 * the months it checked, by what they came to, or what the daily sweep found, in CloudWatch's embedded metric format
 * (zeros included, so that an alarm on a sum sees the invocations that had none).
 */
public final class PowertoolsTelemetry implements Telemetry {
    /** Months reconciled with nothing left differing. */
    public static final String RECONCILED = "MonthsReconciled";
    /** Months reconciled with differences kept for the two parties. */
    public static final String DIFFERENCES = "MonthsWithDifferences";
    /** Months closed without a check: no Stripe API key for the agreement. */
    public static final String NOT_RECONCILED = "MonthsNotReconciled";
    /** Months held back today because Stripe failed (the next daily run tries again). */
    public static final String HELD = "MonthsHeldForStripe";
    /** Months closed with a failed reconciliation, their patience run out: a person should look (alarm). */
    public static final String CLOSED_UNRECONCILED = "MonthsClosedUnreconciled";
    /** Messages that failed and come back from the queue. */
    public static final String FAILED = "ReconcileJobsFailed";
    /** The daily sweep: events Stripe listed as not delivered (failed, or still being retried). */
    public static final String UNDELIVERED_FOUND = "UndeliveredEventsFound";
    /** The daily sweep: of those, booked now through the webhook's booking path. */
    public static final String UNDELIVERED_BOOKED = "UndeliveredEventsBooked";
    /** The daily sweep: Stripe listings that failed, events not booked, the sweep itself failing (alarm). */
    public static final String SWEEP_FAILURES = "SweepFailures";
    /** The daily sweep: revshare's webhook endpoints that Stripe has disabled, or that are missing (alarm). */
    public static final String ENDPOINT_PROBLEMS = "WebhookEndpointProblems";
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
    public void checked(List<ClosingReconciliation.Checked> checked, int failedMessages) {
        try {
            metrics.flushMetrics(counts -> {
                counts.addMetric(RECONCILED, sum(checked, c -> c.count(Status.RECONCILED)), MetricUnit.COUNT);
                counts.addMetric(DIFFERENCES, sum(checked, c -> c.count(Status.DIFFERENCES)), MetricUnit.COUNT);
                counts.addMetric(NOT_RECONCILED, sum(checked, c -> c.count(Status.NOT_RECONCILED)), MetricUnit.COUNT);
                counts.addMetric(HELD, checked.stream().filter(c -> c.decision().held()).count(), MetricUnit.COUNT);
                counts.addMetric(CLOSED_UNRECONCILED, sum(checked, ClosingReconciliation.Checked::closedUnreconciled),
                        MetricUnit.COUNT);
                counts.addMetric(FAILED, failedMessages, MetricUnit.COUNT);
            });
        } catch (RuntimeException e) {
            // a metric never fails a check that was done
            log.warn("could not write the reconciliation metrics: {}", e.toString());
        }
    }

    @Override
    public void swept(SweepReport report) {
        try {
            metrics.flushMetrics(counts -> {
                counts.addMetric(UNDELIVERED_FOUND, report.eventsFound(), MetricUnit.COUNT);
                counts.addMetric(UNDELIVERED_BOOKED, report.eventsBooked(), MetricUnit.COUNT);
                counts.addMetric(SWEEP_FAILURES, report.failures(), MetricUnit.COUNT);
                counts.addMetric(ENDPOINT_PROBLEMS, report.endpointProblems(), MetricUnit.COUNT);
            });
        } catch (RuntimeException e) {
            // a metric never fails a sweep that was done
            log.warn("could not write the sweep metrics: {}", e.toString());
        }
    }

    private static long sum(List<ClosingReconciliation.Checked> checked,
                            java.util.function.ToLongFunction<ClosingReconciliation.Checked> count) {
        return checked.stream().mapToLong(count).sum();
    }
}
