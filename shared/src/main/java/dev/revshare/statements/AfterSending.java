package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;

/** What a run does once a statement has been sent and announced: pays it, when its agreement says so. */
@FunctionalInterface
public interface AfterSending {

    /**
     * Never throws: the statement is sent whatever happens here.
     *
     * @return a few words for the run's result ("; paid $1,234.00 by transfer tr_…"), or "" when nothing was done
     */
    String sent(Agreement agreement, Statement statement);

    AfterSending NOTHING = (agreement, statement) -> "";
}
