package dev.revshare.aws;

import dev.revshare.page.PageSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The party links' signing key, an SSM SecureString parameter (template.yaml's {@code PageSecretParameterName}), kept
 * for a few minutes like the webhook's secrets: a new value (the rotation that revokes every link) is in force within
 * five minutes, without a deployment. Its text is the key (use 32 random bytes or more, e.g. {@code openssl rand -hex 32}).
 */
public final class SsmPageSecret implements PageSecret {
    /** template.yaml's default for PageSecretParameterName. */
    public static final String DEFAULT_PARAMETER = "/revshare/page/secret";

    private final CachedSsmParameters parameters;
    private final String parameter;

    public SsmPageSecret(Supplier<SsmClient> ssm, String parameter, Clock clock) {
        this(new CachedSsmParameters(ssm, clock), parameter);
    }

    /** The functions': read with GetParameter alone ({@link AwsClients#ssmParameterReader()}), no SSM client in their jars. */
    public static SsmPageSecret inFunction(AwsClients aws, String parameter, Clock clock) {
        return new SsmPageSecret(new CachedSsmParameters(aws.ssmParameterReader(), clock), parameter);
    }

    private SsmPageSecret(CachedSsmParameters parameters, String parameter) {
        this.parameters = parameters;
        this.parameter = parameter;
    }

    /** @throws PageSecret.Missing when the parameter does not exist; SSM failing to answer throws anything else */
    @Override
    public byte[] current() {
        return parameters.read(parameter).map(value -> value.getBytes(StandardCharsets.UTF_8))
                .orElseThrow(() -> new PageSecret.Missing("no page secret in SSM: put one with `aws ssm put-parameter "
                        + "--type SecureString --name " + parameter + " --value \"$(openssl rand -hex 32)\"`"));
    }
}
