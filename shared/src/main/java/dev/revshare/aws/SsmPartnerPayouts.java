package dev.revshare.aws;

import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.store.AgreementStore;
import dev.revshare.stripe.StripeApiTransfers;
import java.time.Clock;
import java.util.Optional;

/**
 * The payouts a deployed function makes: the Connect platform's key that may make transfers read from its SSM
 * SecureString parameter (cached a few minutes, so a rotated key is picked up without a deployment), the notices
 * through SES as the statements' sender with their configuration set, on the stack's table.
 */
public final class SsmPartnerPayouts {
    private final DynamoDbStores stores;
    private final CachedSsmParameters parameters;
    private final String keyParameter;
    private final String apiBase;
    private final SesStatementMailer mailer;
    private final String sender;
    private final Clock clock;
    private String keyInUse;
    private PartnerPayouts payouts;

    /**
     * Reads TABLE_NAME, STRIPE_PAYOUT_KEY_PARAMETER, STATEMENT_SENDER, SES_CONFIGURATION_SET and STRIPE_API_BASE
     * (optional: another endpoint that speaks Stripe's API). No client is built until it is first used.
     */
    public static SsmPartnerPayouts fromEnvironment(AwsClients aws, Clock clock) {
        return new SsmPartnerPayouts(DynamoDbStores.over(aws::dynamoDb, Environment.require("TABLE_NAME")),
                new CachedSsmParameters(aws::ssm, clock), Environment.require("STRIPE_PAYOUT_KEY_PARAMETER"),
                System.getenv("STRIPE_API_BASE"), new SesStatementMailer(aws::sesV2, Environment.require("SES_CONFIGURATION_SET")),
                Environment.require("STATEMENT_SENDER"), clock);
    }

    private SsmPartnerPayouts(DynamoDbStores stores, CachedSsmParameters parameters, String keyParameter, String apiBase,
                              SesStatementMailer mailer, String sender, Clock clock) {
        this.stores = stores;
        this.parameters = parameters;
        this.keyParameter = keyParameter;
        this.apiBase = apiBase;
        this.mailer = mailer;
        this.sender = sender;
        this.clock = clock;
    }

    public AgreementStore agreements() {
        return stores.agreements();
    }

    /** With the key in SSM now; without one, a transfer is refused with where to put it (nothing is recorded). */
    public synchronized PartnerPayouts payouts() {
        String key = parameters.read(keyParameter).orElse(null);
        if (payouts == null || !java.util.Objects.equals(key, keyInUse)) {
            keyInUse = key;
            payouts = new PartnerPayouts(stores.agreements(), stores.statements(),
                    Optional.ofNullable(key).map(k -> new StripeApiTransfers(k, apiBase)).orElse(null),
                    "put the Connect platform's key (allowed to write Transfers) in the SSM SecureString parameter "
                            + keyParameter, mailer, sender, clock);
        }
        return payouts;
    }
}
