package dev.revshare.aws;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place AWS clients are built: one lightweight sync HTTP client shared by all of them, the
 * region from {@code AWS_REGION}. Emulators (DynamoDB Local, moto, LocalStack) are reached through the
 * SDK's own {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_<SERVICE>} settings, or an explicit
 * endpoint for tests: there is no other local code path.
 * <p>
 * Nothing is built until it is first asked for, and each client once: a function's start-up builds no client, a
 * webhook delivery refused before its booking builds no DynamoDB client, and a SnapStart snapshot holds no
 * client, connection or credentials (they are made after restore, on first use).
 */
public final class AwsClients {
    private static final String DEFAULT_REGION = "us-east-1";

    private final Region region;
    private final URI endpoint;
    private final Supplier<AwsCredentialsProvider> credentials;
    private final Supplier<SdkHttpClient> httpClient;
    private AwsCredentialsProvider credentialsProvider;
    private SdkHttpClient http;
    private final Map<Class<?>, SdkClient> built = new HashMap<>();

    private AwsClients(Region region, URI endpoint, Supplier<AwsCredentialsProvider> credentials) {
        this(region, endpoint, credentials, () -> UrlConnectionHttpClient.builder().build());
    }

    private AwsClients(Region region, URI endpoint, Supplier<AwsCredentialsProvider> credentials,
                       Supplier<SdkHttpClient> httpClient) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.httpClient = httpClient;
    }

    /** For the command line: region, credentials (any the SDK's default chain finds) and endpoints from the environment. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(regionFromEnvironment(), null, () -> DefaultCredentialsProvider.builder().build());
    }

    /**
     * In a Lambda function: the region and endpoints from the environment, and the function role's credentials
     * where Lambda puts them: in environment variables, or (with SnapStart, whose snapshot must hold none) behind
     * the container credentials endpoint. The default chain would also look for profiles, SSO and instance
     * metadata, which a function never has.
     */
    public static AwsClients inLambda() {
        return new AwsClients(regionFromEnvironment(), null, () -> AwsCredentialsProviderChain.of(
                EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.builder().build()));
    }

    /** Every client talks to one endpoint (an emulator) with the given credentials. */
    public static AwsClients forEndpoint(URI endpoint, String region, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), endpoint, () -> credentials);
    }

    /**
     * Clients that reach no network: every call is answered at once with nothing ({@link OfflineHttpClient}), signed
     * with made-up credentials. A function runs its calls through them before its first real one (priming) so that
     * the SDK's classes are loaded and initialised by then; they hold no connection, credentials or data.
     */
    public static AwsClients offline() {
        return new AwsClients(Region.US_EAST_1, URI.create("http://offline.invalid"),
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAOFFLINEPRIMING", "offline")),
                OfflineHttpClient::new);
    }

    private static Region regionFromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = System.getenv("AWS_DEFAULT_REGION");
        }
        return Region.of(region == null || region.isBlank() ? DEFAULT_REGION : region);
    }

    public DynamoDbClient dynamoDb() {
        return client(DynamoDbClient.class, DynamoDbClient::builder);
    }

    public software.amazon.awssdk.services.sesv2.SesV2Client sesV2() {
        return client(software.amazon.awssdk.services.sesv2.SesV2Client.class,
                software.amazon.awssdk.services.sesv2.SesV2Client::builder);
    }

    public software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return client(software.amazon.awssdk.services.eventbridge.EventBridgeClient.class,
                software.amazon.awssdk.services.eventbridge.EventBridgeClient::builder);
    }

    public software.amazon.awssdk.services.sqs.SqsClient sqs() {
        return client(software.amazon.awssdk.services.sqs.SqsClient.class, software.amazon.awssdk.services.sqs.SqsClient::builder);
    }

    public software.amazon.awssdk.services.ssm.SsmClient ssm() {
        return client(software.amazon.awssdk.services.ssm.SsmClient.class, software.amazon.awssdk.services.ssm.SsmClient::builder);
    }

    public software.amazon.awssdk.services.cloudformation.CloudFormationClient cloudFormation() {
        return client(software.amazon.awssdk.services.cloudformation.CloudFormationClient.class,
                software.amazon.awssdk.services.cloudformation.CloudFormationClient::builder);
    }

    public software.amazon.awssdk.services.lambda.LambdaClient lambda() {
        return client(software.amazon.awssdk.services.lambda.LambdaClient.class,
                software.amazon.awssdk.services.lambda.LambdaClient::builder);
    }

    /**
     * SSM parameters read with GetParameter alone, without the SSM client (see {@link SsmGetParameter}): for the
     * functions whose jars have no room for it. Shares this object's HTTP client and credentials, made on first use.
     */
    public java.util.function.Function<String, java.util.Optional<String>> ssmParameterReader() {
        SsmGetParameter reader = new SsmGetParameter(this::sharedHttpClient, this::sharedCredentials, region, endpoint);
        return reader::read;
    }

    private synchronized SdkHttpClient sharedHttpClient() {
        if (http == null) {
            http = httpClient.get();
            credentialsProvider = credentials.get();
        }
        return http;
    }

    private synchronized AwsCredentialsProvider sharedCredentials() {
        sharedHttpClient();
        return credentialsProvider;
    }

    /** The client of {@code type}, built on the first call and the same one after. */
    private synchronized <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            Class<C> type, Supplier<B> builder) {
        SdkClient client = built.get(type);
        if (client == null) {
            sharedHttpClient();
            B configured = builder.get().region(region).credentialsProvider(credentialsProvider).httpClient(http);
            if (endpoint != null) {
                configured.endpointOverride(endpoint);
            }
            client = configured.build();
            built.put(type, client);
        }
        return type.cast(client);
    }
}
