package dev.revshare.statements;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Builds the raw MIME message with Jakarta Mail: multipart/mixed of [multipart/related of
 * [multipart/alternative of plain text then HTML] and the images the HTML shows] and the attachments.
 */
public final class MimeMessageWriter {
    private final Session session = Session.getInstance(new Properties());

    public byte[] write(String from, List<String> recipients, String subject, String text, String html, Instant sentAt) {
        return write(null, from, recipients, subject, text, html, List.of(), List.of(), sentAt);
    }

    /** A file attached to the message. */
    public record Attachment(String fileName, String contentType, byte[] content) {}

    /** An image the HTML shows by {@code <img src="cid:contentId">}, carried in the message itself. */
    public record Inline(String contentId, String contentType, byte[] content) {}

    /**
     * @param messageId the Message-ID header (e.g. {@code <statement.ID.2026-10@revshare>}), so that a statement
     *                  sent again carries the same id and mail clients take it for the same message; null for
     *                  a new one
     */
    public byte[] write(String messageId, String from, List<String> recipients, String subject, String text, String html,
                        List<Inline> inline, List<Attachment> attachments, Instant sentAt) {
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
            MimeMultipart body = alternative;
            if (!inline.isEmpty()) {
                // multipart/related: the HTML and the images it shows, so that no client fetches anything remote
                MimeMultipart related = new MimeMultipart("related");
                related.addBodyPart(wrap(alternative));
                for (Inline image : inline) {
                    MimeBodyPart part = part(image.content(), image.contentType(), Part.INLINE);
                    part.setContentID("<" + image.contentId() + ">");
                    related.addBodyPart(part);
                }
                body = related;
            }
            if (!attachments.isEmpty()) {
                MimeMultipart mixed = new MimeMultipart("mixed");
                mixed.addBodyPart(wrap(body));
                for (Attachment attachment : attachments) {
                    MimeBodyPart part = part(attachment.content(), attachment.contentType(), Part.ATTACHMENT);
                    part.setFileName(attachment.fileName());
                    mixed.addBodyPart(part);
                }
                body = mixed;
            }
            message.setContent(body);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("cannot build the statement email: " + e.getMessage(), e);
        }
    }

    private static MimeBodyPart part(byte[] content, String contentType, String disposition) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, contentType)));
        part.setDisposition(disposition);
        return part;
    }

    private static MimeBodyPart wrap(MimeMultipart multipart) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setContent(multipart);
        return part;
    }
}
