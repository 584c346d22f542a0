package dev.revshare.cli;

import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementEmailRenderer;
import dev.revshare.statements.StatementIssuedDetail;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import dev.revshare.store.StatementStore.SentMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Local stand-in for SES and EventBridge: every email that would be sent is written to the outbox
 * folder as the exact MIME message ({@code .eml}) plus its HTML body for a browser, and every
 * StatementIssued event is appended to {@code events.jsonl}.
 */
final class OutboxMailer implements StatementMailer, StatementPublisher {
    private final Path outbox;

    OutboxMailer(Path outbox) {
        this.outbox = outbox;
    }

    @Override
    public String send(OutgoingEmail email) {
        try {
            Files.createDirectories(outbox);
            Files.write(outbox.resolve(email.reference() + ".eml"), email.mime());
            // the .html is for a browser, which cannot follow cid: links into the message: the chart goes beside it
            String html = email.html();
            if (email.chartPng() != null) {
                Files.write(outbox.resolve(email.reference() + "-chart.png"), email.chartPng());
                html = html.replace("cid:" + StatementEmailRenderer.CHART_CONTENT_ID, email.reference() + "-chart.png");
            }
            Files.writeString(outbox.resolve(email.reference() + ".html"), html, StandardCharsets.UTF_8);
            return "outbox/" + email.reference();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the outbox " + outbox, e);
        }
    }

    @Override
    public void statementIssued(Statement statement, SentMessages messages) {
        try {
            Files.createDirectories(outbox);
            String line = Json.write(java.util.Map.of("source", SOURCE, "detail-type", DETAIL_TYPE,
                    "detail", StatementIssuedDetail.of(statement, messages))) + "\n";
            Files.writeString(outbox.resolve("events.jsonl"), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the outbox " + outbox, e);
        }
    }
}
