package dev.revshare.cli;

import dev.revshare.statements.PartyLinks;
import dev.revshare.page.SignedPartyLinks;
import dev.revshare.page.PageTokens;
import dev.revshare.domain.Side;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.CachedSsmParameters;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.stripe.StripeApiTransfers;
import dev.revshare.stripe.StripeTransfers;
import dev.revshare.aws.DeployedStack;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.Environment;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.aws.SsmPageSecret;
import dev.revshare.page.PageSecret;
import dev.revshare.signoff.SignOffs;
import dev.revshare.aws.SsmStripeApiKeys;
import dev.revshare.aws.StatementsFunctionInvoker;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import dev.revshare.statements.StatementResend;
import dev.revshare.store.StatementStore.Resend;
import dev.revshare.stripe.StripeApiKeys;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;

/**
 * A deployed stack's data, reached with the AWS SDK's default chain (region, profile and credentials
 * from the environment or ~/.aws; an emulator through AWS_ENDPOINT_URL). The table is named by
 * {@code --table}, or read from {@code --stack}'s CloudFormation outputs, with the statements function.
 */
final class StackRuntime implements Backend {
    private final AwsClients aws;
    private final DynamoDbStores store;
    private final String statementsFunction;
    /** the stack's sender and SES configuration set, for a resend; null with --table alone */
    private final DeployedStack stack;
    private final String where;
    private final Clock clock;

    private StackRuntime(AwsClients aws, String table, String statementsFunction, DeployedStack stack, String where,
                         Clock clock) {
        this.aws = aws;
        this.store = DynamoDbStores.over(aws.dynamoDb(), table);
        this.statementsFunction = statementsFunction;
        this.stack = stack;
        this.where = where;
        this.clock = clock;
    }

    static StackRuntime forStack(String stackName, Clock clock) {
        AwsClients aws = AwsClients.fromEnvironment();
        DeployedStack stack = DeployedStack.describe(aws.cloudFormation(), stackName);
        return new StackRuntime(aws, stack.tableName(), stack.statementsFunction(), stack,
                "stack " + stackName + " (table " + stack.tableName() + ")", clock);
    }

    /**
     * The keys the deployed webhook reads: the stack's SSM parameters (its StripeApiKeyParameterName and
     * AgreementSecretPrefix; template.yaml's defaults with --table alone), with your credentials.
     */
    @Override
    public StripeApiKeys stripeApiKeys() {
        return new SsmStripeApiKeys(aws::ssm, keyParameter(), secretPrefix(), clock);
    }

    @Override
    public String stripeApiKeysFrom(String agreementId) {
        return "put a read-only key in the SSM SecureString parameter " + keyParameter() + " (the Connect platform's) or "
                + secretPrefix() + agreementId + "/api-key (the agreement's own account)";
    }

    private String keyParameter() {
        return stack != null ? stack.stripeApiKeyParameter() : DeployedStack.DEFAULT_STRIPE_API_KEY_PARAMETER;
    }

    private String secretPrefix() {
        return stack != null ? stack.agreementSecretPrefix() : DeployedStack.DEFAULT_AGREEMENT_SECRET_PREFIX;
    }

    static StackRuntime forTable(String table, Clock clock) {
        return new StackRuntime(AwsClients.fromEnvironment(), table, null, null, "table " + table, clock);
    }

    @Override
    public DynamoDbStores store() {
        return store;
    }

    @Override
    public MonthlyStatementRun statementRun() {
        StatementMailer noMail = email -> {
            throw new IllegalStateException("a preview sends nothing");
        };
        StatementPublisher noEvents = (statement, messageId) -> {
            throw new IllegalStateException("a preview publishes nothing");
        };
        return new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), noMail, noEvents,
                LocalRuntime.DEFAULT_SENDER, clock, Environment.statementGrace());
    }

    @Override
    public String runStatements(YearMonth period, String agreementId) {
        if (statementsFunction == null) {
            throw new RevshareCommand.UserError("statements run invokes the deployed statements function: name the stack "
                    + "with --stack (with --table alone there is no function to run)");
        }
        String answer = new StatementsFunctionInvoker(aws.lambda(), statementsFunction).run(clock.instant(), period, agreementId);
        // stdout stays the function's answer (JSON); the sentence for a person goes beside it
        StatementsFunctionInvoker.queuedSentence(answer).ifPresent(System.err::println);
        return answer;
    }

    /**
     * Through SES from here, with your credentials (they need ses:SendRawEmail on the sender's identity and the
     * configuration set), as the stack's sender and with its configuration set, so SES reports what becomes of it.
     */
    @Override
    public Resend resendStatement(String agreementId, YearMonth period, Side side, List<String> to, String by) {
        if (stack == null || stack.statementSender() == null || stack.configurationSet() == null) {
            throw new RevshareCommand.UserError("statements resend sends as the stack's sender with its SES configuration "
                    + "set: name the stack with --stack, deployed from the current template.yaml (outputs StatementSender "
                    + "and StatementsConfigurationSet). Nothing was sent.");
        }
        // a stack deployed before the page (no PageUrl output) has no page to link to
        PartyLinks links = stack.pageUrl() == null && System.getenv("PAGE_URL") == null ? PartyLinks.NONE
                : new SignedPartyLinks(new PageTokens(pageSecret(), clock), pageUrl());
        return new StatementResend(store.agreements(), store.statements(),
                signOffs()::document, new SesStatementMailer(aws.sesV2(), stack.configurationSet()), stack.statementSender(), links, clock)
                .resend(agreementId, period, side, to, by);
    }

    /**
     * Over the stack's table; an objection made here (by `revshare --stack NAME serve`) is emailed through SES as the
     * stack's sender, with its configuration set.
     */
    @Override
    public SignOffs signOffs() {
        StatementMailer mailer = stack == null || stack.statementSender() == null ? email -> {
            throw new IllegalStateException("no sender known with --table alone: name the stack with --stack");
        } : new SesStatementMailer(aws.sesV2(), stack.configurationSet());
        return new SignOffs(store.agreements(), store.statements(), DynamoDbStores.signOffsOver(aws::dynamoDb, store.tableName()),
                mailer, stack == null ? LocalRuntime.DEFAULT_SENDER : stack.statementSender(), clock);
    }

    /**
     * The stack's SSM parameter (its PageSecretParameterName, as its functions read it; template.yaml's default with
     * --table alone; PAGE_SECRET_PARAMETER when set), read with your credentials.
     */
    @Override
    public PageSecret pageSecret() {
        String deployed = stack == null ? SsmPageSecret.DEFAULT_PARAMETER : stack.pageSecretParameter();
        return new SsmPageSecret(aws::ssm, LocalRuntime.envOr("PAGE_SECRET_PARAMETER", deployed), clock);
    }

    /** The stack's PageUrl output (the party page's Function URL); PAGE_URL when given. */
    @Override
    public String pageUrl() {
        String deployed = stack == null ? null : stack.pageUrl();
        return LocalRuntime.envOr("PAGE_URL", deployed == null ? "http://127.0.0.1:" + ServeCommand.DEFAULT_PORT + "/" : deployed);
    }

    /**
     * Transfers with STRIPE_PAYOUT_KEY when set, else with the key in the stack's SSM parameter (StripePayoutKeyParameterName,
     * read with your credentials); the notices through SES, as the stack's sender with its configuration set.
     */
    @Override
    public PartnerPayouts payouts() {
        if (stack == null || stack.statementSender() == null || stack.configurationSet() == null) {
            throw new RevshareCommand.UserError("payouts send both parties a payment notice as the stack's sender: name the "
                    + "stack with --stack, deployed from the current template.yaml. Nothing was recorded or paid.");
        }
        String key = System.getenv("STRIPE_PAYOUT_KEY");
        String parameter = stack.stripePayoutKeyParameter();
        if (key == null || key.isBlank()) {
            key = new CachedSsmParameters(aws::ssm, clock).read(parameter).orElse(null);
        }
        StripeTransfers transfers = key == null ? null : new StripeApiTransfers(key, System.getenv("STRIPE_API_BASE"));
        return new PartnerPayouts(store.agreements(), store.statements(), transfers, "put the Connect platform's key "
                + "(allowed to write Transfers) in the SSM SecureString parameter " + parameter + ", or set STRIPE_PAYOUT_KEY",
                new SesStatementMailer(aws.sesV2(), stack.configurationSet()), stack.statementSender(), clock);
    }

    /** The stack's WebhookUrl output; null with --table alone. */
    @Override
    public String webhookUrl() {
        return stack == null ? null : stack.webhookUrl();
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void close() {
        // the SDK's clients hold no resources a short command must release
    }
}
