package dev.revshare.aws;

import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.EventRouter;
import dev.revshare.ingest.SampleDelivery;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.stripe.WebhookEndpoint;
import java.time.Clock;

/**
 * Booking Stripe events as the Lambda functions run it, from the environment template.yaml sets. Wiring
 * builds no AWS client: each is built on its first use (AwsClients), so a delivery refused at the door
 * costs no DynamoDB client, and a SnapStart snapshot holds none.
 */
public final class IngestionWiring {
    private IngestionWiring() {}

    /**
     * Reads TABLE_NAME; STRIPE_API_KEY_PARAMETER and AGREEMENT_SECRET_PREFIX (optional: Stripe lookups for
     * classifying payments); STRIPE_API_BASE (optional: another endpoint that speaks Stripe's API).
     */
    public static EventRouter router(AwsClients aws, Clock clock) {
        DynamoDbStores stores = DynamoDbStores.over(aws::dynamoDb, Environment.require("TABLE_NAME"));
        return new EventRouter(stores.agreements(), stores.bookings(), lookup(aws, clock), clock);
    }

    /** The router behind the webhook endpoint, whose signing secrets are in SSM (WEBHOOK_SECRET_PARAMETER, AGREEMENT_SECRET_PREFIX). */
    public static StripeWebhook webhook(AwsClients aws, Clock clock) {
        EventRouter router = router(aws, clock);
        SsmWebhookSecrets secrets = new SsmWebhookSecrets(aws::ssm, Environment.require("WEBHOOK_SECRET_PARAMETER"),
                System.getenv("AGREEMENT_SECRET_PREFIX"), clock);
        return new StripeWebhook(new WebhookEndpoint(secrets, clock, router::knows), router);
    }

    /**
     * The webhook's first delivery, rehearsed with nothing real (priming, for SnapStart's snapshot or while a
     * container starts): the built-in {@link SampleDelivery} booked through the DynamoDB adapter, and a signing
     * secret read, on clients that reach no network ({@link AwsClients#offline()}), so that the SDK's request path
     * and revshare's are loaded and initialised before a real delivery needs them. Nothing is kept.
     */
    public static BookingResult primeOffline() {
        AwsClients offline = AwsClients.offline();
        offline.ssm().getParameter(b -> b.name("/revshare/priming/webhook-secret").withDecryption(true));
        return SampleDelivery.book(DynamoDbStores.over(offline::dynamoDb, "revshare-priming").bookings());
    }

    private static StripeLookup lookup(AwsClients aws, Clock clock) {
        String keyParameter = System.getenv("STRIPE_API_KEY_PARAMETER");
        String agreementPrefix = System.getenv("AGREEMENT_SECRET_PREFIX");
        boolean lookups = keyParameter != null && !keyParameter.isBlank() || agreementPrefix != null && !agreementPrefix.isBlank();
        if (!lookups) {
            return StripeLookup.NONE;
        }
        return new StripeApiLookup(new SsmStripeApiKeys(aws::ssm, keyParameter, agreementPrefix, clock),
                System.getenv("STRIPE_API_BASE"));
    }
}
