package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table the code creates locally is the table template.yaml deploys: one schema, written twice, held together. */
class TemplateSchemaTest {

    @Test
    void theTemplatesTableHasTheKeysAndAttributesTheCodeUses() throws IOException {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../template.yaml").toFile());
        List<JsonNode> tables = new ArrayList<>();
        template.path("Resources").forEach(resource -> {
            if ("AWS::DynamoDB::Table".equals(resource.path("Type").asText())) {
                tables.add(resource.path("Properties"));
            }
        });

        assertThat(tables).singleElement().satisfies(table -> {
            assertThat(table.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
            List<String> attributes = new ArrayList<>();
            table.path("AttributeDefinitions").forEach(a -> attributes.add(a.path("AttributeName").asText() + ":"
                    + a.path("AttributeType").asText()));
            List<String> keys = new ArrayList<>();
            table.path("KeySchema").forEach(k -> keys.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()));
            assertThat(attributes).containsExactlyElementsOf(Table.Schema.ATTRIBUTES.stream()
                    .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).toList());
            assertThat(keys).containsExactlyElementsOf(Table.Schema.KEY_SCHEMA.stream()
                    .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList());
            assertThat(table.has("GlobalSecondaryIndexes")).as("the code queries no index").isFalse();
        });
    }
}
