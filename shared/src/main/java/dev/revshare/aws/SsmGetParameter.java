package dev.revshare.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * SSM's GetParameter alone, as the SSM client sends it (JSON 1.1, signed with SigV4 for "ssm"), over the SDK's own HTTP
 * client, credentials and signer, which every function has for DynamoDB. For the functions a person waits on (the
 * parties' page, the statements worker) that read one secret: the SSM client's model holds every one of SSM's 563
 * exception types, which its set-up names, 0.6 MB of a jar with an 8 MB budget. The endpoint is found as the SDK finds
 * it: an explicit one (tests), else {@code AWS_ENDPOINT_URL_SSM}, else {@code AWS_ENDPOINT_URL}, else the region's.
 */
final class SsmGetParameter {
    private final Supplier<SdkHttpClient> http;
    private final Supplier<AwsCredentialsProvider> credentials;
    private final Region region;
    private final URI endpoint;

    SsmGetParameter(Supplier<SdkHttpClient> http, Supplier<AwsCredentialsProvider> credentials, Region region, URI endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint != null ? endpoint : endpointFromEnvironment(region);
    }

    /** Tries of one read, as the SDK's standard retry mode makes them: SSM throttles a burst of cold starts. */
    static final int ATTEMPTS = 3;

    /**
     * The parameter's value, decrypted; empty when there is no such parameter. A throttled read, an error of SSM's
     * own (5xx) or an unreachable endpoint is tried again, {@value #ATTEMPTS} times in all, 50 ms then 200 ms apart.
     */
    Optional<String> read(String name) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(name);
            } catch (Retryable e) {
                if (attempt == ATTEMPTS) {
                    throw e.failure;
                }
                try {
                    Thread.sleep(50L << (2 * (attempt - 1)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e.failure;
                }
            }
        }
    }

    /** A failure worth another try; {@code failure} is what the caller gets when none is left. */
    private static final class Retryable extends RuntimeException {
        final RuntimeException failure;

        Retryable(RuntimeException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private Optional<String> readOnce(String name) {
        String body = Json.write(Map.of("Name", name, "WithDecryption", true));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM.GetParameter")
                .putHeader("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.get().resolveCredentials())
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        try {
            HttpExecuteResponse response = http.get().prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            String text;
            try (InputStream in = response.responseBody().orElse(null)) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode answer = text.isBlank() ? Json.mapper().createObjectNode() : Json.read(text, JsonNode.class);
            if (response.httpResponse().isSuccessful()) {
                JsonNode value = answer.path("Parameter").path("Value");
                if (!value.isTextual()) {
                    throw new IllegalStateException("SSM GetParameter of " + name + " answered without a value");
                }
                return Optional.of(value.asText());
            }
            String type = answer.path("__type").asText("");
            type = type.substring(type.indexOf('#') + 1);
            if (type.startsWith("ParameterNotFound")) {
                return Optional.empty();
            }
            // never the answer's whole text: only SSM's error type and message
            int status = response.httpResponse().statusCode();
            IllegalStateException failure = new IllegalStateException("SSM GetParameter of " + name + " failed with HTTP "
                    + status + " " + type + ": " + answer.path("message").asText(answer.path("Message").asText("")));
            throw status >= 500 || type.startsWith("Throttling") ? new Retryable(failure) : failure;
        } catch (IOException e) {
            throw new Retryable(new UncheckedIOException("SSM GetParameter of " + name + " could not reach " + endpoint, e));
        }
    }

    private static URI endpointFromEnvironment(Region region) {
        for (String variable : new String[] {"AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return URI.create(value.strip());
            }
        }
        return URI.create("https://ssm." + region.id() + (region.id().startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
    }
}
