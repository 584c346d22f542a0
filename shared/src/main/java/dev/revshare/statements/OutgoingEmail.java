package dev.revshare.statements;

import java.util.List;

/**
 * A statement email ready to go: what people read (subject, HTML, text) and the MIME message built
 * from it, which is what is actually sent or written to the outbox.
 *
 * @param reference names the statement ("sarah-mindfulness-2026-10"), for files and logs
 */
public record OutgoingEmail(String reference, String from, List<String> recipients, String subject, String html, String text,
                            byte[] mime) {
    public OutgoingEmail {
        recipients = List.copyOf(recipients);
    }
}
