package dev.revshare.functions.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.SqsClosingQueue;
import dev.revshare.aws.SsmStripeApiKeys;
import dev.revshare.json.Json;
import dev.revshare.reconcile.ClosingReconciliation;
import dev.revshare.reconcile.Reconciliation;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.ClosingQueue;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the reconcile queue (an SQS event source, ReportBatchItemFailures), the first stop of each agreement's
 * {@link ClosingJob} on a closing day: reconciles with Stripe the months the job will close
 * ({@link ClosingReconciliation}, which keeps each month's proof for its statement), then forwards the job to the
 * statements queue, where StatementWorkerFunction closes and sends them. When Stripe fails within the month's
 * patience, the month is not forwarded (an earlier month of the job that reconciled is): logged once, counted, and
 * the message is done with: the next daily run finds the month due and queues it again. A message that is not a
 * closing job, or whose check or forwarding failed (the store, SSM, SQS), is a batch item failure: SQS delivers it
 * again, and after maxReceiveCount deliveries moves it to the dead-letter queue, whose alarm calls a person.
 */
public final class ReconcileWorkerFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger log = LoggerFactory.getLogger(ReconcileWorkerFunction.class);

    private final ClosingReconciliation reconciliation;
    private final ClosingQueue statements;
    private final Telemetry telemetry;

    /** Production wiring from the environment template.yaml sets; Powertools' logs and metrics. */
    public ReconcileWorkerFunction() {
        this(productionWiring(), new SqsClosingQueue(AWS::sqs, Environment.require("STATEMENTS_QUEUE_URL")),
                PowertoolsTelemetry.fromEnvironment());
    }

    public ReconcileWorkerFunction(ClosingReconciliation reconciliation, ClosingQueue statements, Telemetry telemetry) {
        this.reconciliation = reconciliation;
        this.statements = statements;
        this.telemetry = telemetry;
    }

    /** No client is built at start: each on its first use, after a SnapStart restore. */
    private static final AwsClients AWS = AwsClients.inLambda();

    /**
     * Reads TABLE_NAME; STRIPE_API_KEY_PARAMETER and AGREEMENT_SECRET_PREFIX (the read-only keys in SSM, as the
     * webhook's lookups read them); STRIPE_API_BASE (optional: another endpoint that speaks Stripe's API);
     * STATEMENT_GRACE_DAYS as the statements functions read it.
     */
    private static ClosingReconciliation productionWiring() {
        Clock clock = Clock.systemUTC();
        DynamoDbStores stores = DynamoDbStores.over(AWS::dynamoDb, Environment.require("TABLE_NAME"));
        SsmStripeApiKeys keys = new SsmStripeApiKeys(AWS::ssm, System.getenv("STRIPE_API_KEY_PARAMETER"),
                System.getenv("AGREEMENT_SECRET_PREFIX"), clock);
        Reconciliation reconciliation = Reconciliation.withStripeApi(stores.agreements(), stores.bookings(), stores.ledger(),
                keys, System.getenv("STRIPE_API_BASE"), clock);
        // which months a job closes, and when each became due: the statements run's own rules; it sends nothing here
        StatementMailer sendsNothing = email -> {
            throw new IllegalStateException("the reconcile worker reconciles; StatementWorkerFunction sends");
        };
        StatementPublisher announcesNothing = (statement, messageId) -> {
            throw new IllegalStateException("the reconcile worker reconciles; StatementWorkerFunction announces");
        };
        MonthlyStatementRun plan = new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                sendsNothing, announcesNothing, "unused@revshare.invalid", clock, Environment.statementGrace());
        return new ClosingReconciliation(stores.agreements(), stores.statements(), plan, reconciliation, clock,
                ClosingReconciliation.DEFAULT_PATIENCE);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return telemetry.invocation(context, () -> checkEach(event.getRecords() == null ? List.of() : event.getRecords()));
    }

    private SQSBatchResponse checkEach(List<SQSEvent.SQSMessage> messages) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<ClosingReconciliation.Checked> checked = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            if (!check(message, checked)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        telemetry.checked(checked, failures.size());
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** @return whether the message is done with (false: SQS delivers it again) */
    private boolean check(SQSEvent.SQSMessage message, List<ClosingReconciliation.Checked> checked) {
        ClosingJob job;
        try {
            job = Json.read(message.getBody() == null ? "" : message.getBody(), ClosingJob.class);
        } catch (IllegalArgumentException e) {
            // never checkable: it goes round until the dead-letter queue, where its alarm calls a person
            log.error("message {} is not a closing job ({}): left for the dead-letter queue", message.getMessageId(),
                    e.getMessage());
            return false;
        }
        MDC.put(MonthlyStatementRun.LOG_AGREEMENT_ID, job.agreementId());
        try {
            ClosingReconciliation.Checked result = reconciliation.checked(job);
            checked.add(result);
            if (result.decision().close() != null) {
                statements.enqueue(List.of(result.decision().close()));
            }
            String months = result.months().stream().map(m -> m.month() + " " + m.proof().status().name().toLowerCase(java.util.Locale.ROOT)
                    + (m.reconciledNow() ? "" : " (proven before)")).collect(Collectors.joining(", "));
            if (result.decision().held()) {
                // the one line for the month held (ClosingReconciliation logged why): what was forwarded, if anything
                log.info("agreement {} through {} (delivery {}): {}; {}", job.agreementId(), job.through(), receiveCount(message),
                        months, result.decision().close() == null ? "nothing queued for closing today"
                                : "queued for closing through " + result.decision().close().through());
            } else {
                log.info("agreement {} reconciled through {} (delivery {}): {}; queued for closing", job.agreementId(),
                        job.through(), receiveCount(message), months.isEmpty() ? "no month to reconcile" : months);
            }
            return true;
        } catch (RuntimeException e) {
            log.error("agreement {} through {}: reconciling before closing failed (delivery {}): delivered again later",
                    job.agreementId(), job.through(), receiveCount(message), e);
            return false;
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
