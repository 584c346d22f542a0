package dev.revshare.functions.webhook;

import dev.revshare.aws.AwsClients;
import dev.revshare.aws.IngestionWiring;

/**
 * A cold start without SnapStart: while the runtime starts the function (Log4j, reading the first event), a
 * thread of its own rehearses the first delivery offline ({@link IngestionWiring#primeOffline()}) and builds the
 * function's AWS clients, so that the first real delivery finds the SDK's classes and revshare's loaded and
 * initialised. It makes no call, reads no secret and holds no lock a delivery needs for long: a delivery that
 * comes first simply does the same work itself. Under SnapStart it does not start: {@link WebhookPriming}
 * rehearses before the snapshot instead. Outside Lambda (tests, the command line) it does not start either.
 */
final class WarmUp {
    private WarmUp() {}

    static void startIfColdInLambda(AwsClients aws) {
        if (System.getenv("AWS_LAMBDA_RUNTIME_API") == null
                || "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return;
        }
        Thread.ofPlatform().daemon().name("revshare-warm-up").start(() -> {
            try {
                IngestionWiring.primeOffline();
                aws.ssm();
                aws.dynamoDb();
            } catch (RuntimeException e) {
                // only an optimisation: the delivery does whatever is left; Log4j may still be starting, so
                // the reason goes to standard error, which Lambda keeps in the function's log
                System.err.println("revshare: warming up failed (the first delivery will be slower): " + e);
            }
        });
    }
}
