package dev.revshare.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that sends nothing: every request is answered at once with an empty JSON object, as the AWS
 * JSON protocols (DynamoDB, SSM, SQS, ...) answer a call with nothing to return. It lets a function run the SDK's
 * whole request path (marshalling, endpoint rules, signing, unmarshalling) before its first real call, with no
 * network, no credentials and nothing kept: see {@link AwsClients#offline()}.
 */
final class OfflineHttpClient implements SdkHttpClient {
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                SdkHttpResponse response = SdkHttpResponse.builder().statusCode(200)
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("Content-Length", String.valueOf(EMPTY_OBJECT.length))
                        .putHeader("x-amzn-RequestId", "offline")
                        .build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_OBJECT))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "offline";
    }

    @Override
    public void close() {
    }
}
