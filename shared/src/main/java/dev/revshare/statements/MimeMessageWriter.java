package dev.revshare.statements;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** Builds the raw MIME message (multipart/alternative: plain text, then HTML) with Jakarta Mail. */
public final class MimeMessageWriter {
    private final Session session = Session.getInstance(new Properties());

    public byte[] write(String from, List<String> recipients, String subject, String text, String html, Instant sentAt) {
        return write(null, from, recipients, subject, text, html, sentAt);
    }

    /**
     * @param messageId the Message-ID header (e.g. {@code <statement.ID.2026-10@revshare>}), so that a statement
     *                  sent again carries the same id and mail clients take it for the same message; null for
     *                  a new one
     */
    public byte[] write(String messageId, String from, List<String> recipients, String subject, String text, String html,
                        Instant sentAt) {
        try {
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    if (messageId == null) {
                        super.updateMessageID();
                    } else {
                        setHeader("Message-ID", messageId);
                    }
                }
            };
            message.setFrom(new InternetAddress(from));
            for (String recipient : recipients) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
            }
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(sentAt));
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(text, StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setText(html, StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(textPart);
            alternative.addBodyPart(htmlPart);
            message.setContent(alternative);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("cannot build the statement email: " + e.getMessage(), e);
        }
    }
}
