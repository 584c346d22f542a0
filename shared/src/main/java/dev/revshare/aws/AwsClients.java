package dev.revshare.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place AWS clients are built: one lightweight sync HTTP client shared by all of them, the
 * region from {@code AWS_REGION}. Emulators (DynamoDB Local, moto, LocalStack) are reached through the
 * SDK's own {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_<SERVICE>} settings, or an explicit
 * endpoint for tests: there is no other local code path.
 */
public final class AwsClients {
    private static final String DEFAULT_REGION = "us-east-1";

    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;

    private AwsClients(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** As in Lambda: region, credentials and any endpoint override from the environment. */
    public static AwsClients fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = System.getenv("AWS_DEFAULT_REGION");
        }
        return new AwsClients(Region.of(region == null || region.isBlank() ? DEFAULT_REGION : region), null,
                DefaultCredentialsProvider.builder().build());
    }

    /** Every client talks to one endpoint (an emulator) with the given credentials. */
    public static AwsClients forEndpoint(URI endpoint, String region, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), endpoint, credentials);
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    public software.amazon.awssdk.services.sesv2.SesV2Client sesV2() {
        return configure(software.amazon.awssdk.services.sesv2.SesV2Client.builder()).build();
    }

    public software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return configure(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()).build();
    }

    public software.amazon.awssdk.services.sqs.SqsClient sqs() {
        return configure(software.amazon.awssdk.services.sqs.SqsClient.builder()).build();
    }

    public software.amazon.awssdk.services.ssm.SsmClient ssm() {
        return configure(software.amazon.awssdk.services.ssm.SsmClient.builder()).build();
    }

    public software.amazon.awssdk.services.cloudformation.CloudFormationClient cloudFormation() {
        return configure(software.amazon.awssdk.services.cloudformation.CloudFormationClient.builder()).build();
    }

    public software.amazon.awssdk.services.lambda.LambdaClient lambda() {
        return configure(software.amazon.awssdk.services.lambda.LambdaClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials).httpClient(http);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
