package dev.revshare.stripe;

/** Where webhook signing secrets come from (SSM in AWS, an environment variable locally). */
@FunctionalInterface
public interface WebhookSecrets {
    /** The signing secret of the platform endpoint ({@code /stripe}), where the event's account picks the agreement. */
    String platformSecret();

    /**
     * The signing secret of an agreement's own endpoint ({@code /stripe/{agreementId}}), for an expert whose
     * revenue comes through their own Stripe account. Where only one secret is configured, it is that one.
     *
     * @throws MissingSecretException when the agreement's secret has not been set up
     */
    default String agreementSecret(String agreementId) {
        return platformSecret();
    }

    /** A secret the configuration should hold is not there; the message says where to put it. */
    final class MissingSecretException extends RuntimeException {
        public MissingSecretException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
