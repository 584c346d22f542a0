package dev.revshare.aws;

import dev.revshare.domain.Statement;
import dev.revshare.store.StatementStore.SentMessages;
import dev.revshare.json.Json;
import dev.revshare.statements.StatementIssuedDetail;
import dev.revshare.statements.StatementPublisher;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Puts a {@code StatementIssued} event on the revshare event bus. */
public final class EventBridgeStatementPublisher implements StatementPublisher {
    private final Supplier<EventBridgeClient> events;
    private final String busName;

    public EventBridgeStatementPublisher(EventBridgeClient events, String busName) {
        this(() -> events, busName);
    }

    /** The functions': the client is asked for (and so built) when the first statement is announced. */
    public EventBridgeStatementPublisher(Supplier<EventBridgeClient> events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void statementIssued(Statement statement, SentMessages messages) {
        PutEventsResponse response = events.get().putEvents(b -> b.entries(e -> e.eventBusName(busName)
                .source(SOURCE).detailType(DETAIL_TYPE)
                .detail(Json.write(StatementIssuedDetail.of(statement, messages)))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the StatementIssued event: "
                    + response.entries().get(0).errorCode() + " " + response.entries().get(0).errorMessage());
        }
    }
}
