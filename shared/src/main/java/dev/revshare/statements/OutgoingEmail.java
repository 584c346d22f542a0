package dev.revshare.statements;

import java.util.List;

/**
 * A statement email ready to go: what people read (subject, HTML, text) and the MIME message built
 * from it, which is what is actually sent or written to the outbox.
 *
 * @param reference names the statement ("sarah-mindfulness-2026-10"), for files and logs
 * @param chartPng  the chart the HTML shows as {@code cid:chart@revshare}, or null
 */
public record OutgoingEmail(String reference, String from, List<String> recipients, String subject, String html, String text,
                            byte[] mime, byte[] chartPng) {
    public OutgoingEmail {
        recipients = List.copyOf(recipients);
    }

    public OutgoingEmail(String reference, String from, List<String> recipients, String subject, String html, String text,
                         byte[] mime) {
        this(reference, from, recipients, subject, html, text, mime, null);
    }
}
