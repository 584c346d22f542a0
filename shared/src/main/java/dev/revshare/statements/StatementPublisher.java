package dev.revshare.statements;

import dev.revshare.domain.Statement;

/** Announces issued statements to other systems (EventBridge in AWS). */
public interface StatementPublisher {
    String SOURCE = "revshare";
    String DETAIL_TYPE = "StatementIssued";

    void statementIssued(Statement statement, String messageId);
}
