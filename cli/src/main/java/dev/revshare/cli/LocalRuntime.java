package dev.revshare.cli;

import dev.revshare.domain.Side;
import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.revshare.aws.AwsClients;
import dev.revshare.page.FilePageSecret;
import dev.revshare.page.PageSecret;
import dev.revshare.page.PageTokens;
import dev.revshare.page.SignedPartyLinks;
import dev.revshare.signoff.SignOffs;
import dev.revshare.aws.Environment;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.functions.page.PartyPageFunction;
import dev.revshare.functions.payouts.AutomaticPayoutFunction;
import dev.revshare.functions.payouts.PayoutTelemetry;
import dev.revshare.functions.reconcile.DeliverySweepFunction;
import dev.revshare.functions.reconcile.ReconcileWorkerFunction;
import dev.revshare.functions.reconcile.Telemetry;
import dev.revshare.functions.statements.MonthlyStatementsFunction;
import dev.revshare.functions.statements.StatementDeliveryFunction;
import dev.revshare.functions.statements.StatementWorkerFunction;
import dev.revshare.functions.webhook.StripeEventBridgeFunction;
import dev.revshare.functions.webhook.StripeWebhookFunction;
import dev.revshare.ingest.EventRouter;
import dev.revshare.statements.ClosingQueue;
import dev.revshare.statements.DeliveryReports;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiTransfers;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.WebhookSecrets;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.reconcile.ClosingReconciliation;
import dev.revshare.reconcile.DeliverySweep;
import dev.revshare.reconcile.Reconciliation;
import dev.revshare.statements.StatementResend;
import dev.revshare.store.StatementStore.Resend;
import java.util.List;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.revshare.json.Json;
import java.time.Clock;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * The functions wired for a local run, the way template.yaml wires them in AWS but on local
 * parts: DynamoDB Local in-process (kept under the data folder, or in memory for the demo) and the
 * outbox folder instead of SES and EventBridge. With {@code AWS_ENDPOINT_URL} set (moto, LocalStack),
 * mail and events go to that endpoint's SES and EventBridge instead.
 */
final class LocalRuntime implements Backend {
    static final String TABLE = "revshare";
    static final String DEFAULT_SENDER = "statements@revshare.example";

    private final AmazonDynamoDBLocal dynamoDbLocal;
    final DynamoDbStores store;
    final Path outbox;
    private final StatementMailer mailer;
    private final StatementPublisher publisher;
    private final Clock clock;
    private final PageSecret pageSecret;

    private LocalRuntime(AmazonDynamoDBLocal dynamoDbLocal, Path outbox, Clock clock, PageSecret pageSecret) {
        this.pageSecret = pageSecret;
        this.dynamoDbLocal = dynamoDbLocal;
        this.store = DynamoDbStores.createdOver(dynamoDbLocal.dynamoDbClient(), TABLE);
        this.outbox = outbox;
        this.clock = clock;
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            AwsClients aws = AwsClients.fromEnvironment();
            this.mailer = new SesStatementMailer(aws.sesV2());
            this.publisher = new EventBridgeStatementPublisher(aws.eventBridge(), envOr("EVENT_BUS_NAME", "revshare"));
        } else {
            OutboxMailer outboxMailer = new OutboxMailer(outbox);
            this.mailer = outboxMailer;
            this.publisher = outboxMailer;
        }
    }

    /** The store persists in {@code dataDir/dynamodb/revshare.db} between commands; mail goes to {@code dataDir/outbox}. */
    static LocalRuntime persistent(Path dataDir, Clock clock) {
        return persistent(dataDir, dataDir.resolve("outbox"), clock);
    }

    /** The same, with mail going to {@code outbox} (the demo's, beside its data). */
    static LocalRuntime persistent(Path dataDir, Path outbox, Clock clock) {
        Path dbDir = dataDir.resolve("dynamodb");
        try {
            Files.createDirectories(dbDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dbDir, e);
        }
        // DynamoDB Local's embedded mode takes the SQLite database file itself, not a folder
        return new LocalRuntime(DynamoDBEmbedded.create(dbDir.resolve("revshare.db").toFile(), true),
                outbox, clock, new FilePageSecret(dataDir.resolve("page-secret")));
    }

    /**
     * With STRIPE_API_KEY set (a read-only key; STRIPE_API_BASE for stripe-mock or another endpoint), events
     * that lack what classifying their payment needs are completed from Stripe's API, as in AWS.
     */
    StripeWebhookFunction webhookFunction(WebhookSecrets secrets) {
        return new StripeWebhookFunction(StripeWebhook.of(store.agreements(), store.bookings(), secrets, stripeLookup(), clock));
    }

    /** Stripe events as its EventBridge event destination delivers them (no signature), booked as the webhook books them. */
    StripeEventBridgeFunction stripeEventBridgeFunction() {
        return new StripeEventBridgeFunction(new EventRouter(store.agreements(), store.bookings(), stripeLookup(), clock));
    }

    private StripeLookup stripeLookup() {
        StripeApiKeys keys = stripeApiKeys();
        return keys == StripeApiKeys.NONE ? StripeLookup.NONE : new StripeApiLookup(keys, System.getenv("STRIPE_API_BASE"));
    }

    /** STRIPE_API_KEY (a read-only key), used on behalf of each agreement's account, as the platform's key is in AWS. */
    @Override
    public StripeApiKeys stripeApiKeys() {
        String apiKey = System.getenv("STRIPE_API_KEY");
        return apiKey == null || apiKey.isBlank() ? StripeApiKeys.NONE
                : agreement -> new StripeApiKeys.ApiKey(apiKey, agreement.stripeAccount());
    }

    @Override
    public String stripeApiKeysFrom(String agreementId) {
        return "set STRIPE_API_KEY to a read-only key (and STRIPE_API_BASE for stripe-mock or another endpoint)";
    }

    @Override
    public DynamoDbStores store() {
        return store;
    }

    /** The local store's DynamoDB client, to read it whole (what a test compares before and after a command). */
    DynamoDbClient dynamoDb() {
        return dynamoDbLocal.dynamoDbClient();
    }

    @Override
    public String runStatements(YearMonth period, String agreementId) {
        Map<String, Object> detail = new HashMap<>();
        if (period != null) {
            detail.put("period", period.toString());
        }
        if (agreementId != null) {
            detail.put("agreementId", agreementId);
        }
        ScheduledEvent event = new ScheduledEvent();
        event.setDetailType("Scheduled Event");
        event.setTime(new DateTime(clock.millis(), DateTimeZone.UTC));
        event.setDetail(detail);
        return Json.writePretty(statementsFunction().handleRequest(event, null)) + "\noutbox: " + outbox;
    }

    /** Nothing is deployed: the sweep's {@code --webhook-url} names it. */
    @Override
    public String webhookUrl() {
        return null;
    }

    @Override
    public String where() {
        return "the local store beside " + outbox;
    }

    MonthlyStatementsFunction statementsFunction() {
        return new MonthlyStatementsFunction(statementRun(), clock);
    }

    StatementWorkerFunction statementWorkerFunction() {
        return new StatementWorkerFunction(statementRun());
    }

    /**
     * The reconcile worker on the local store: each job's months reconciled with Stripe as {@link #statementRun()} does
     * before it closes them, then handed to {@code statements} (on the stack, StatementWorkerFunction's queue).
     */
    ReconcileWorkerFunction reconcileWorkerFunction(ClosingQueue statements) {
        return new ReconcileWorkerFunction(closingReconciliation(), statements, Telemetry.LOGS_ONLY);
    }

    /** SES's reports about statement emails, noted on the local store's statements. */
    StatementDeliveryFunction statementDeliveryFunction() {
        return new StatementDeliveryFunction(new DeliveryReports(store.statements()));
    }

    /** The parties' pages, as {@code revshare serve} serves them from this store. */
    PartyPageFunction partyPageFunction() {
        return new PartyPageFunction(ServeCommand.page(this, clock));
    }

    /** The automatic transfer of an issued statement, with {@link #payouts()} (STRIPE_PAYOUT_KEY) as it is now. */
    AutomaticPayoutFunction automaticPayoutFunction() {
        return new AutomaticPayoutFunction(store.agreements(), this::payouts, PayoutTelemetry.LOGS_ONLY);
    }

    /**
     * The daily sweep on the local store, as the stack wires it: Stripe read with STRIPE_API_KEY (STRIPE_API_BASE for
     * another endpoint), SWEEP_DAYS and WEBHOOK_URL as template.yaml sets them (without WEBHOOK_URL the endpoints are
     * not checked).
     */
    DeliverySweepFunction deliverySweepFunction() {
        DeliverySweep sweep = DeliverySweep.withStripeApi(store.agreements(), store.bookings(), stripeApiKeys(),
                System.getenv("STRIPE_API_BASE"), System.getenv("WEBHOOK_URL"), clock);
        return new DeliverySweepFunction(sweep, Environment.sweepLookBack(), clock);
    }

    /**
     * Each agreement's months are reconciled with Stripe before they close, here in the run's process (on the stack
     * the reconcile worker does it before the statements worker closes them): with STRIPE_API_KEY (and STRIPE_API_BASE)
     * as {@code revshare reconcile} reads it; without one, each statement says it is not reconciled.
     */
    @Override
    public MonthlyStatementRun statementRun() {
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), mailer, publisher,
                envOr("STATEMENT_SENDER", DEFAULT_SENDER), clock, Environment.statementGrace(), closingReconciliation(),
                new SignedPartyLinks(new PageTokens(pageSecret, clock), pageUrl()),
                SignOffs.adjustments(DynamoDbStores.signOffsOver(this::dynamoDb, TABLE))).payingAutomatically(payouts());
    }

    /** The months a closing job closes, reconciled with Stripe first (STRIPE_API_KEY, STRIPE_API_BASE). */
    private ClosingReconciliation closingReconciliation() {
        MonthlyStatementRun plan = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), mailer,
                publisher, envOr("STATEMENT_SENDER", DEFAULT_SENDER), clock, Environment.statementGrace());
        Reconciliation reconciliation = Reconciliation.withStripeApi(store.agreements(), store.bookings(), store.ledger(),
                stripeApiKeys(), System.getenv("STRIPE_API_BASE"), clock);
        return new ClosingReconciliation(store.agreements(), store.statements(), plan, reconciliation, clock,
                ClosingReconciliation.DEFAULT_PATIENCE);
    }

    /** Objections are emailed to the outbox, as statements are (or to AWS_ENDPOINT_URL's SES). */
    @Override
    public SignOffs signOffs() {
        return new SignOffs(store.agreements(), store.statements(), DynamoDbStores.signOffsOver(this::dynamoDb, TABLE), mailer,
                envOr("STATEMENT_SENDER", DEFAULT_SENDER), clock);
    }

    @Override
    public PageSecret pageSecret() {
        return pageSecret;
    }

    /** {@code revshare serve}'s address (PAGE_URL when it is served elsewhere). */
    @Override
    public String pageUrl() {
        return envOr("PAGE_URL", "http://127.0.0.1:" + ServeCommand.DEFAULT_PORT + "/");
    }

    /**
     * To the outbox (or AWS_ENDPOINT_URL's SES), as statements; transfers with STRIPE_PAYOUT_KEY (the Connect platform's
     * key; STRIPE_API_BASE for stripe-mock or another endpoint), none without it.
     */
    @Override
    public PartnerPayouts payouts() {
        String key = System.getenv("STRIPE_PAYOUT_KEY");
        StripeTransfers transfers = key == null || key.isBlank() ? null
                : new StripeApiTransfers(key, System.getenv("STRIPE_API_BASE"));
        return new PartnerPayouts(store.agreements(), store.statements(), transfers, "set STRIPE_PAYOUT_KEY to the Connect "
                + "platform's secret key (or a restricted key that may write Transfers)", mailer,
                envOr("STATEMENT_SENDER", DEFAULT_SENDER), clock);
    }

    /**
     * To the outbox, as the run's emails (or to the endpoint's SES with {@code AWS_ENDPOINT_URL} set), with the party's
     * link to {@code revshare serve}'s page.
     */
    @Override
    public Resend resendStatement(String agreementId, YearMonth period, Side side, List<String> to, String by) {
        return new StatementResend(store.agreements(), store.statements(), signOffs()::document,
                mailer, envOr("STATEMENT_SENDER", DEFAULT_SENDER),
                new SignedPartyLinks(new PageTokens(pageSecret, clock), pageUrl()), clock)
                .resend(agreementId, period, side, to, by);
    }

    static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void close() {
        dynamoDbLocal.shutdown();
    }
}
