package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What `revshare --stack NAME statements run` tells a person about the deployed function's answer. */
class StatementsFunctionInvokerTest {

    @Test
    void theAnswerSaysHowManyAgreementsWereQueued() {
        assertThat(StatementsFunctionInvoker.queuedSentence("""
                {"summary": "3 agreements queued for closing", "queued": 3, "jobs": []}"""))
                .hasValueSatisfying(sentence -> assertThat(sentence)
                        .startsWith("3 agreements were queued for closing: the stack's StatementWorkerFunction"));
        assertThat(StatementsFunctionInvoker.queuedSentence("{\"queued\": 1}")).hasValueSatisfying(sentence ->
                assertThat(sentence).startsWith("1 agreement was queued"));
        assertThat(StatementsFunctionInvoker.queuedSentence("{\"queued\": 0}")).hasValue("Nothing is due: no agreement was queued.");
    }

    @Test
    void anAnswerWithoutAQueueSaysNothingMore() {
        assertThat(StatementsFunctionInvoker.queuedSentence("{\"summary\": \"statements: 1 sent\"}")).isEmpty();
        assertThat(StatementsFunctionInvoker.queuedSentence("not json")).isEmpty();
    }
}
