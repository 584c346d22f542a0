package dev.revshare.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What Lambda's SQS event source does between a queue and a function, on a real queue (moto's): receives up to a
 * batch of messages, hands them over as the SQS event JSON Lambda sends (the shape of
 * {@code sam local generate-event sqs receive-message}), then deletes those the function did not report as batch
 * item failures and lets the failed ones be received again (their visibility timeout cut to zero, as if it had
 * passed). The queue's own redrive policy moves a message to its dead-letter queue after maxReceiveCount receives.
 */
public final class LambdaSqsPoller {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Map<String, String> receiptHandles = new LinkedHashMap<>();

    public LambdaSqsPoller(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** The next batch as Lambda's SQS event JSON, or null when the queue has nothing visible. */
    public String receiveEvent(int batchSize) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return null;
        }
        ArrayNode records = Json.mapper().createArrayNode();
        for (Message message : messages) {
            receiptHandles.put(message.messageId(), message.receiptHandle());
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", MotoServer.REGION);
        }
        ObjectNode event = Json.mapper().createObjectNode();
        event.set("Records", records);
        return Json.write(event);
    }

    /** After the function answered: deletes the batch's messages except {@code failedIds}, which become visible again. */
    public void settle(Collection<String> failedIds) {
        Set<String> failed = new HashSet<>(failedIds);
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        receiptHandles.forEach((id, handle) -> {
            if (failed.contains(id)) {
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(handle).visibilityTimeout(0));
            } else {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(handle).build());
            }
        });
        for (int from = 0; from < done.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> batch = done.subList(from, Math.min(from + 10, done.size()));
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("could not delete messages: " + response.failed());
            }
        }
        receiptHandles.clear();
    }

    /** Messages waiting in a queue (visible and in flight), as SQS counts them. */
    public static int depth(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
