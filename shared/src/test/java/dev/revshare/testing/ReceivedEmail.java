package dev.revshare.testing;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A raw MIME message as a mail client reads it: its headers, bodies, inline images and attachments. */
public final class ReceivedEmail {
    public final String subject;
    public final String messageId;
    public final List<String> to = new ArrayList<>();
    public String text;
    public String html;
    /** inline parts by Content-ID (without the angle brackets) */
    public final Map<String, byte[]> inline = new LinkedHashMap<>();
    /** attachments by file name */
    public final Map<String, byte[]> attachments = new LinkedHashMap<>();
    public final Map<String, String> attachmentTypes = new LinkedHashMap<>();

    private ReceivedEmail(MimeMessage message) throws MessagingException, IOException {
        subject = message.getSubject();
        messageId = message.getMessageID();
        for (var address : message.getAllRecipients()) {
            to.add(address.toString());
        }
        walk(message);
    }

    public static ReceivedEmail parse(byte[] raw) {
        try {
            return new ReceivedEmail(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("not a readable MIME message: " + e.getMessage(), e);
        }
    }

    private void walk(Part part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i));
            }
            return;
        }
        String fileName = part.getFileName();
        if (fileName != null && Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            attachments.put(fileName, bytes(part));
            attachmentTypes.put(fileName, part.getContentType());
        } else if (part instanceof BodyPart body && body.getHeader("Content-ID") != null) {
            inline.put(body.getHeader("Content-ID")[0].replaceAll("[<>]", ""), bytes(part));
        } else if (part.isMimeType("text/plain")) {
            text = (String) part.getContent();
        } else if (part.isMimeType("text/html")) {
            html = (String) part.getContent();
        }
    }

    private static byte[] bytes(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
