package dev.revshare.aws;

import dev.revshare.ingest.StripeIngestion;
import dev.revshare.ingest.WebhookSecrets;
import dev.revshare.stripe.StripeApiLookup;
import java.time.Clock;

/** The Stripe ingestion as the Lambda functions run it, from the environment template.yaml sets. */
public final class IngestionWiring {
    private IngestionWiring() {}

    /**
     * Reads TABLE_NAME; STRIPE_API_KEY_PARAMETER and AGREEMENT_SECRET_PREFIX (optional: Stripe lookups for
     * classifying payments); STRIPE_API_BASE (optional: another endpoint that speaks Stripe's API).
     */
    public static StripeIngestion fromEnvironment(AwsClients aws, WebhookSecrets secrets, Clock clock) {
        DynamoDbStore store = new DynamoDbStore(aws.dynamoDb(), Environment.require("TABLE_NAME"));
        String keyParameter = System.getenv("STRIPE_API_KEY_PARAMETER");
        String agreementPrefix = System.getenv("AGREEMENT_SECRET_PREFIX");
        boolean lookups = keyParameter != null && !keyParameter.isBlank() || agreementPrefix != null && !agreementPrefix.isBlank();
        if (!lookups) {
            return new StripeIngestion(store, store, secrets, clock);
        }
        return new StripeIngestion(store, store, secrets,
                new StripeApiLookup(new SsmStripeApiKeys(aws.ssm(), keyParameter, agreementPrefix, clock),
                        System.getenv("STRIPE_API_BASE")), clock);
    }
}
