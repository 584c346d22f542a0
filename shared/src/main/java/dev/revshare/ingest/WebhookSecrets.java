package dev.revshare.ingest;

/** Where the webhook signing secret comes from (SSM in AWS, an environment variable locally). */
@FunctionalInterface
public interface WebhookSecrets {
    /** The signing secret for deliveries to the platform endpoint. */
    String platformSecret();
}
