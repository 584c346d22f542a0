package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every function runs as a SnapStart version behind the alias "live", and what the README tells people to use
 * is the alias's: the webhook URL to register in Stripe, the statements function the command line invokes.
 */
class TemplateSnapStartTest {

    @Test
    void everyFunctionIsASnapStartVersionBehindTheLiveAliasAndTheOutputsNameTheAlias() throws IOException {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../template.yaml").toFile());
        JsonNode function = template.path("Globals").path("Function");
        assertThat(function.path("AutoPublishAlias").asText()).isEqualTo("live");
        assertThat(function.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        template.path("Resources").forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                assertThat(resource.path("Properties").has("AutoPublishAlias")).isFalse();
                assertThat(resource.path("Properties").has("SnapStart")).isFalse();
            }
        });
        // YAML tags (!GetAtt, !Ref) are read as their scalar
        assertThat(template.path("Outputs").path("WebhookUrl").path("Value").asText()).isEqualTo("StripeWebhookFunctionUrl.FunctionUrl");
        assertThat(template.path("Outputs").path("StatementsFunctionName").path("Value").asText())
                .isEqualTo("MonthlyStatementsFunction.Alias");
    }
}
