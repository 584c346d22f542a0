package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import dev.revshare.statements.RunSummary;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools' functional API (no AspectJ): each invocation's log lines carry the request id, cold start and
 * service (POWERTOOLS_SERVICE_NAME), and each run writes, in CloudWatch's embedded metric format on stdout, how
 * many statements it sent, found sent already, skipped, left to another run and failed (zeros included, so
 * that an alarm on failures sees every run), and the number of lines of each statement it sent
 * ({@value #LINES_METRIC}: one value a statement, so CloudWatch's statistics give the largest and the average);
 * the scheduled run on the stack writes how many agreements it queued ({@value #QUEUED_METRIC}), and the statements
 * worker how many statements it sent without the parties' page links ({@value #SENT_WITHOUT_PAGE_LINK_METRIC}, zeros
 * included: alarm).
 */
public final class PowertoolsTelemetry implements Telemetry {
    /** Metric names by what happened to a statement. */
    public static final Map<RunSummary.Outcome, String> METRICS = Map.of(
            RunSummary.Outcome.SENT, "StatementsSent",
            RunSummary.Outcome.ALREADY_SENT, "StatementsAlreadySent",
            RunSummary.Outcome.SKIPPED, "StatementsSkipped",
            RunSummary.Outcome.IN_PROGRESS, "StatementsInProgress",
            RunSummary.Outcome.FAILED, "StatementsFailed");
    public static final String LINES_METRIC = "StatementLines";
    /** Agreements the scheduled run queued for the worker, one value a run. */
    public static final String QUEUED_METRIC = "AgreementsQueued";
    /** Statements the worker sent without the parties' page links, there being no page secret in SSM (alarm). */
    public static final String SENT_WITHOUT_PAGE_LINK_METRIC = "StatementsSentWithoutPageLink";
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
    public void queued(int agreements) {
        try {
            metrics.flushMetrics(counts -> counts.addMetric(QUEUED_METRIC, agreements, MetricUnit.COUNT));
        } catch (RuntimeException e) {
            log.warn("could not write the queued metric: {}", e.toString());
        }
    }

    @Override
    public void run(RunSummary summary) {
        flush(summary, null);
    }

    @Override
    public void run(RunSummary summary, int sentWithoutPageLink) {
        flush(summary, sentWithoutPageLink);
    }

    /** @param sentWithoutPageLink null for a run that sends no email with links (the command line's local run) */
    private void flush(RunSummary summary, Integer sentWithoutPageLink) {
        try {
            metrics.flushMetrics(counts -> {
                for (RunSummary.Outcome outcome : RunSummary.Outcome.values()) {
                    counts.addMetric(METRICS.get(outcome), summary.count(outcome), MetricUnit.COUNT);
                }
                if (sentWithoutPageLink != null) {
                    counts.addMetric(SENT_WITHOUT_PAGE_LINK_METRIC, sentWithoutPageLink, MetricUnit.COUNT);
                }
                summary.results().stream().filter(r -> r.outcome() == RunSummary.Outcome.SENT)
                        .forEach(sent -> counts.addMetric(LINES_METRIC, sent.lines(), MetricUnit.COUNT));
            });
        } catch (RuntimeException e) {
            // a metric never fails a run that sent its statements
            log.warn("could not write the statement metrics: {}", e.toString());
        }
    }
}
