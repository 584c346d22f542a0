package dev.revshare.statements;

import dev.revshare.domain.Statement;
import dev.revshare.store.StatementStore.SentMessages;

/** Announces issued statements to other systems (EventBridge in AWS). */
public interface StatementPublisher {
    String SOURCE = "revshare";
    String DETAIL_TYPE = "StatementIssued";

    void statementIssued(Statement statement, SentMessages messages);
}
