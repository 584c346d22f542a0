package dev.revshare.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.json.Json;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.ClosingQueue;
import dev.revshare.testing.MotoServer;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The statements queue on moto's SQS: one message per job, in batches of ten; what cannot be queued is named. */
class SqsClosingQueueTest {
    private static final MotoServer moto = MotoServer.get();
    private static final SqsClient sqs = moto.clients().sqs();

    @Test
    void everyJobIsOneMessageWhoseBodyIsTheJob() {
        String queue = sqs.createQueue(b -> b.queueName("closing-" + System.nanoTime())).queueUrl();
        List<ClosingJob> jobs = jobs(23); // three batches: 10, 10, 3

        new SqsClosingQueue(sqs, queue).enqueue(jobs);

        List<ClosingJob> received = new ArrayList<>();
        for (List<Message> batch; !(batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages()).isEmpty(); ) {
            batch.forEach(m -> received.add(Json.read(m.body(), ClosingJob.class)));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).isEmpty();
    }

    @Test
    void nothingDueQueuesNothing() {
        String queue = sqs.createQueue(b -> b.queueName("closing-" + System.nanoTime())).queueUrl();

        new SqsClosingQueue(sqs, queue).enqueue(List.of());

        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).isEmpty();
    }

    @Test
    void jobsThatCannotBeQueuedAreNamedAfterRetrying() {
        String queue = sqs.createQueue(b -> b.queueName("closing-" + System.nanoTime())).queueUrl();
        sqs.deleteQueue(b -> b.queueUrl(queue));
        List<ClosingJob> jobs = jobs(12);

        assertThatThrownBy(() -> new SqsClosingQueue(sqs, queue, Duration.ofMillis(1)).enqueue(jobs))
                .isInstanceOfSatisfying(ClosingQueue.NotQueuedException.class,
                        e -> assertThat(e.notQueued()).containsExactlyElementsOf(jobs))
                .hasMessageStartingWith("12 of 12 agreements could not be queued for closing: [agreement-01 2026-10, ")
                .hasMessageContaining("QueueDoesNotExist");
    }

    private static List<ClosingJob> jobs(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> new ClosingJob(String.format("agreement-%02d", i), YearMonth.of(2026, 10))).toList();
    }
}
