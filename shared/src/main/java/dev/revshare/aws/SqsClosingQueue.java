package dev.revshare.aws;

import dev.revshare.json.Json;
import dev.revshare.statements.ClosingJob;
import dev.revshare.statements.ClosingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The statements queue: one SQS message per agreement, its {@link ClosingJob} as JSON, sent ten at a time
 * (SendMessageBatch's most). SQS answers a batch entry by entry: the entries it failed on its side are sent again
 * (up to {@value #ATTEMPTS} attempts in all, the SDK retrying each call as well); those it refuses as the
 * sender's fault, or that still fail, are reported together once every batch has been tried.
 */
public final class SqsClosingQueue implements ClosingQueue {
    /** SendMessageBatch takes at most ten entries. */
    static final int BATCH = 10;
    static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(SqsClosingQueue.class);

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;
    private final Duration backoff;

    public SqsClosingQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl, Duration.ofMillis(200));
    }

    /** @param sqs built on first use (in Lambda: after a SnapStart restore, never in the snapshot) */
    public SqsClosingQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this(sqs, queueUrl, Duration.ofMillis(200));
    }

    SqsClosingQueue(SqsClient sqs, String queueUrl, Duration backoff) {
        this(() -> sqs, queueUrl, backoff);
    }

    private SqsClosingQueue(Supplier<SqsClient> sqs, String queueUrl, Duration backoff) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.backoff = backoff;
    }

    @Override
    public void enqueue(List<ClosingJob> jobs) {
        List<ClosingJob> notQueued = new ArrayList<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (int from = 0; from < jobs.size(); from += BATCH) {
            Map<String, String> failed = sendBatch(jobs, from, Math.min(from + BATCH, jobs.size()));
            failed.forEach((index, reason) -> {
                notQueued.add(jobs.get(Integer.parseInt(index)));
                reasons.merge(reason, 1, Integer::sum);
            });
        }
        if (!notQueued.isEmpty()) {
            throw new NotQueuedException(notQueued, jobs.size(), notQueued.stream()
                    .map(job -> job.agreementId() + " " + job.through()).limit(20).toList()
                    + (notQueued.size() > 20 ? " and " + (notQueued.size() - 20) + " more" : "") + "; " + reasons);
        }
    }

    /** @return the entries not queued, by their index in the whole list, with the reason */
    private Map<String, String> sendBatch(List<ClosingJob> jobs, int from, int to) {
        // entry ids are the jobs' places in the whole list: unique within a batch, and they name the job back
        Map<String, SendMessageBatchRequestEntry> pending = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (int index = from; index < to; index++) {
            String id = Integer.toString(index);
            pending.put(id, SendMessageBatchRequestEntry.builder().id(id).messageBody(Json.write(jobs.get(index))).build());
        }
        String lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(1L << (attempt - 2)));
            }
            SendMessageBatchResponse response;
            try {
                response = sqs.get().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending.values()));
            } catch (SdkException e) {
                // the SDK has retried the call itself: try the whole batch again, then give up on it
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                log.warn("could not send {} closing jobs to the queue (attempt {} of {}): {}", pending.size(), attempt,
                        ATTEMPTS, lastError);
                continue;
            }
            response.successful().forEach(ok -> pending.remove(ok.id()));
            for (BatchResultErrorEntry error : response.failed()) {
                String reason = error.code() + (error.message() == null ? "" : ": " + error.message());
                if (Boolean.TRUE.equals(error.senderFault())) {
                    pending.remove(error.id()); // sending it again changes nothing
                    refused.put(error.id(), reason);
                } else {
                    lastError = reason;
                }
            }
        }
        Map<String, String> failed = new LinkedHashMap<>(refused);
        for (String id : pending.keySet()) {
            failed.put(id, lastError == null ? "not queued" : lastError);
        }
        return failed;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing closing jobs", e);
        }
    }
}
