package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.ingest.BookingResult.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;

/** Priming's clients: the SDK's whole request path, with nothing sent (their endpoint does not even resolve). */
class OfflinePrimingTest {

    @Test
    void offlineClientsAnswerEveryCallWithNothingAndReachNoNetwork() {
        AwsClients offline = AwsClients.offline();

        GetItemResponse item = offline.dynamoDb().getItem(b -> b.tableName("revshare").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("AGREEMENT#a"), "sk", AttributeValue.fromS("AGREEMENT"))));
        GetParameterResponse parameter = offline.ssm().getParameter(b -> b.name("/revshare/webhook-secret").withDecryption(true));

        assertThat(item.hasItem()).isFalse();
        assertThat(parameter.parameter()).isNull();
        assertThat(item.responseMetadata().requestId()).isEqualTo("offline");
    }

    @Test
    void primingBooksTheSampleDeliveryThroughTheDynamoDbAdapterOffline() {
        assertThat(IngestionWiring.primeOffline().outcome()).isEqualTo(Outcome.RECORDED);
        // and again: nothing was kept, so the sample is new each time
        assertThat(IngestionWiring.primeOffline().outcome()).isEqualTo(Outcome.RECORDED);
    }
}
