package dev.revshare.functions.statements;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.PageWiring;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.json.Json;
import dev.revshare.statements.BeforeClosing;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.PacedMailer;
import dev.revshare.statements.RunSummary;
import dev.revshare.statements.RunSummary.Outcome;
import dev.revshare.statements.RunSummary.Result;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the statements queue (an SQS event source, ReportBatchItemFailures): each message is one agreement's
 * {@link ClosingJob}, whose months it closes, sends and announces ({@link MonthlyStatementRun#close}). A message
 * whose statement failed, or that is not a closing job, is reported as a batch item failure: SQS delivers it again
 * after the queue's visibility timeout and, after maxReceiveCount deliveries, moves it to the dead-letter queue
 * (template.yaml), whose alarm calls a person. The others are done and leave the queue. A message delivered twice
 * sends nothing twice: each statement's stored states say how far it got. One log line per agreement, with its
 * agreement_id; the batch's statement counts as metrics, with those sent without the parties' page links (no page
 * secret in SSM: the statement goes out, its email has no sign-off block).
 */
public final class StatementWorkerFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger log = LoggerFactory.getLogger(StatementWorkerFunction.class);

    private final MonthlyStatementRun run;
    private final Telemetry telemetry;
    private final SentWithoutPageLink withoutLinks;

    /** Production wiring from the environment template.yaml sets, its sends paced; Powertools' logs and metrics. */
    public StatementWorkerFunction() {
        this(new SentWithoutPageLink(), PowertoolsTelemetry.fromEnvironment());
        // SnapStart: a sample month computed and rendered before the snapshot (the worker is what sends)
        StatementsPriming.register();
    }

    private StatementWorkerFunction(SentWithoutPageLink withoutLinks, Telemetry telemetry) {
        this(productionRun(withoutLinks), telemetry, withoutLinks);
    }

    /** The tests': plain log lines, no metrics. */
    public StatementWorkerFunction(MonthlyStatementRun run) {
        this(run, Telemetry.LOGS_ONLY);
    }

    public StatementWorkerFunction(MonthlyStatementRun run, Telemetry telemetry) {
        this(run, telemetry, new SentWithoutPageLink());
    }

    /** @param withoutLinks what {@code run}'s links tell of each email built without them (PageWiring.statementLinks) */
    public StatementWorkerFunction(MonthlyStatementRun run, Telemetry telemetry, SentWithoutPageLink withoutLinks) {
        this.run = run;
        this.telemetry = telemetry;
        this.withoutLinks = withoutLinks;
    }

    /**
     * Each email carries the parties' links to their pages (signed with the page secret in SSM, under PAGE_URL, the
     * page's Function URL), or none when there is no secret (each told to {@code withoutLinks}), and each statement the
     * adjustments of the objections settled since the one before.
     */
    private static MonthlyStatementRun productionRun(SentWithoutPageLink withoutLinks) {
        // no client is built here: each on its first use, after a SnapStart restore
        AwsClients aws = AwsClients.inLambda();
        Clock clock = Clock.systemUTC();
        DynamoDbStores stores = DynamoDbStores.over(aws::dynamoDb, Environment.require("TABLE_NAME"));
        return new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                new PacedMailer(new SesStatementMailer(aws::sesV2, Environment.require("SES_CONFIGURATION_SET")),
                        Environment.statementSendInterval()),
                new EventBridgeStatementPublisher(aws::eventBridge, Environment.require("EVENT_BUS_NAME")),
                Environment.require("STATEMENT_SENDER"), clock, Environment.statementGrace(), BeforeClosing.NOTHING,
                PageWiring.statementLinks(aws, clock, withoutLinks), PageWiring.adjustments(aws));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return telemetry.invocation(context, () -> closeEach(event.getRecords() == null ? List.of() : event.getRecords()));
    }

    private SQSBatchResponse closeEach(List<SQSEvent.SQSMessage> messages) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            if (!close(message, results)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        RunSummary summary = new RunSummary(results);
        telemetry.run(summary, withoutLinks.sentOf(summary));
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** @return whether the message is done with (false: SQS delivers it again) */
    private boolean close(SQSEvent.SQSMessage message, List<Result> results) {
        ClosingJob job;
        try {
            job = Json.read(message.getBody() == null ? "" : message.getBody(), ClosingJob.class);
        } catch (IllegalArgumentException e) {
            // never closable: it goes round until the dead-letter queue, where its alarm calls a person
            log.error("message {} is not a closing job ({}): left for the dead-letter queue", message.getMessageId(),
                    e.getMessage());
            return false;
        }
        List<Result> closed;
        try {
            closed = run.close(job);
        } catch (RuntimeException e) {
            // close reports an agreement's failures as results; this is a fault around them
            withAgreement(job, () -> log.error("agreement {} through {}: closing failed (delivery {}): delivered again later",
                    job.agreementId(), job.through(), receiveCount(message), e));
            results.add(new Result(job.agreementId(), job.through().toString(), Outcome.FAILED, e.getMessage()));
            return false;
        }
        results.addAll(closed);
        boolean failed = closed.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
        String months = closed.stream().map(r -> r.period() + " " + r.outcome().name().toLowerCase(Locale.ROOT)
                + (r.outcome() == Outcome.SENT ? "" : " (" + r.message() + ")")).collect(Collectors.joining(", "));
        withAgreement(job, () -> {
            if (failed) {
                log.warn("agreement {} through {} (delivery {}): {}; delivered again later", job.agreementId(), job.through(),
                        receiveCount(message), months);
            } else {
                log.info("agreement {} closed through {} (delivery {}): {}", job.agreementId(), job.through(),
                        receiveCount(message), months);
            }
        });
        return !failed;
    }

    /** The line names its agreement (key agreement_id), as close's own lines do. */
    private static void withAgreement(ClosingJob job, Runnable logging) {
        MDC.put(MonthlyStatementRun.LOG_AGREEMENT_ID, job.agreementId());
        try {
            logging.run();
        } finally {
            MDC.remove(MonthlyStatementRun.LOG_AGREEMENT_ID);
        }
    }

    private static String receiveCount(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        return count == null ? "?" : count;
    }
}
