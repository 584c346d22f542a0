package dev.revshare.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.revshare.aws.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** DynamoDB Local as a server on 127.0.0.1 (in memory), for code that reaches it over HTTP. */
public final class DynamoDbLocalServer {
    private static DynamoDbLocalServer instance;
    private final URI endpoint;

    private DynamoDbLocalServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    public static synchronized DynamoDbLocalServer get() {
        if (instance == null) {
            int port = LocalTools.freePort();
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                        "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // the JVM is exiting
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start DynamoDB Local on port " + port, e);
            }
            instance = new DynamoDbLocalServer(URI.create("http://127.0.0.1:" + port));
        }
        return instance;
    }

    public URI endpoint() {
        return endpoint;
    }

    public AwsClients clients() {
        return AwsClients.forEndpoint(endpoint, MotoServer.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }
}
