package dev.revshare.statements;

import java.util.List;

/**
 * Where the scheduled run leaves each agreement's closing for a worker (SQS on the deployed stack: one message an
 * agreement). A job queued twice is closed once: the statement's stored states keep "never twice".
 */
public interface ClosingQueue {

    /**
     * Queues every job. Jobs that could not be queued after retrying are named in the exception, after the others
     * were queued: the caller fails, so that its own retry queues them (and queues the others a harmless second time).
     *
     * @throws NotQueuedException when some job could not be queued
     */
    void enqueue(List<ClosingJob> jobs);

    /** Some jobs are not on the queue; the message names each with the reason the queue gave. */
    final class NotQueuedException extends RuntimeException {
        private final List<ClosingJob> notQueued;

        public NotQueuedException(List<ClosingJob> notQueued, int of, String reasons) {
            super(notQueued.size() + " of " + of + " agreements could not be queued for closing: " + reasons);
            this.notQueued = List.copyOf(notQueued);
        }

        public List<ClosingJob> notQueued() {
            return notQueued;
        }
    }
}
