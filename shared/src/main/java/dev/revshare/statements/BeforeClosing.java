package dev.revshare.statements;

import java.time.YearMonth;

/**
 * A step a closing job passes before its months are closed: reconciling them with Stripe
 * ({@code reconcile.ClosingReconciliation}), so that a statement is computed from complete books. It may let the job
 * close whole, close it only through an earlier month, or close nothing today.
 */
@FunctionalInterface
public interface BeforeClosing {

    Decision check(ClosingJob job);

    /** Closes every job as it is. */
    BeforeClosing NOTHING = Decision::closeAll;

    /**
     * @param close      what to close now: the job, the same agreement through an earlier month, or null for nothing today
     * @param heldMonth  the first month not closed today, or null when the whole job closes
     * @param heldReason why it is not closed today, and when it will be, in a sentence
     */
    record Decision(ClosingJob close, YearMonth heldMonth, String heldReason) {
        public static Decision closeAll(ClosingJob job) {
            return new Decision(job, null, null);
        }

        public boolean held() {
            return heldMonth != null;
        }
    }
}
