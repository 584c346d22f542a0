package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The files attached to a statement email: every line as CSV, and the statement as JSON. A month of more than
 * {@value #PLAIN_UP_TO} lines has both gzip-compressed ({@code .csv.gz}, {@code .json.gz}): its CSV and JSON
 * shrink three- to tenfold (Stripe's random ids compress least), so a month of 100,000 lines is a message of
 * about 18 MB, inside SES's 40 MB limit.
 */
public final class StatementAttachments {
    /** Up to this many lines, the files are attached as they are, for anyone to open with a double click. */
    public static final int PLAIN_UP_TO = 1_000;
    /**
     * SES refuses a raw message over 40 MB (after base64, which grows attachments by a third); a statement email
     * over 25 MB is refused here, naming its size, rather than risk it. Not 10 MB: with ids as random as Stripe's,
     * a month of 100,000 lines compresses to a message of about 18 MB (StatementEmailSizeTest).
     */
    public static final int MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

    private StatementAttachments() {}

    public static boolean compressed(Statement statement) {
        return statement.lines().size() > PLAIN_UP_TO;
    }

    /** @param signOff where the statement stands with the two parties as the message is built (in the JSON) */
    static List<MimeMessageWriter.Attachment> of(Agreement agreement, Statement statement, StatementDocument.SignOff signOff) {
        String file = StatementEmail.reference(agreement, statement);
        byte[] csv = StatementCsv.write(statement, agreement.timezone()).getBytes(StandardCharsets.UTF_8);
        byte[] json = StatementDocument.writePretty(statement, signOff).getBytes(StandardCharsets.UTF_8);
        if (!compressed(statement)) {
            return List.of(new MimeMessageWriter.Attachment(file + ".csv", "text/csv; charset=utf-8", csv),
                    new MimeMessageWriter.Attachment(file + ".json", "application/json", json));
        }
        return List.of(new MimeMessageWriter.Attachment(file + ".csv.gz", "application/gzip", gzip(csv)),
                new MimeMessageWriter.Attachment(file + ".json.gz", "application/gzip", gzip(json)));
    }

    /** @throws IllegalStateException naming the message and its size, when it is over {@code budget} bytes */
    static void checkSize(String reference, byte[] mime, int budget) {
        if (mime.length > budget) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "the statement email %s is %,d bytes, over revshare's budget of %,d bytes (SES refuses raw messages "
                            + "over 40 MB): not sent", reference, mime.length, budget));
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 8 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out, 64 * 1024)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
