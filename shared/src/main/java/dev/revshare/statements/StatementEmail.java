package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.json.StatementDocument;
import java.time.Instant;
import java.util.List;

/**
 * Builds the messages a statement is sent as: one per party, to that party's addresses, with that party's page link
 * alone (neither party reads the other's link), the rendered bodies, the chart, the attachments and the raw MIME
 * message, refused when it is over {@link StatementAttachments#MAX_MESSAGE_BYTES}.
 */
public final class StatementEmail {
    private final String sender;
    private final StatementEmailRenderer renderer = new StatementEmailRenderer();
    private final MimeMessageWriter mime = new MimeMessageWriter();
    private final PartyLinks links;

    public StatementEmail(String sender) {
        this(sender, PartyLinks.NONE);
    }

    /** @param links each party's page link, signed anew for each email */
    public StatementEmail(String sender, PartyLinks links) {
        this.sender = sender;
        this.links = links;
    }

    /**
     * {@code side}'s message, to its addresses.
     *
     * @throws IllegalStateException naming the message and its size, when it is over the budget
     */
    public OutgoingEmail build(Agreement agreement, Statement statement, Side side, Instant sentAt) {
        // one Message-ID per statement and party: in the rare case it is sent twice (a run stopped between SES accepting
        // it and recording that), mail clients show the second as the same message
        return build(agreement, statement, side, sentAt, StatementDocument.SignOff.opening(agreement, sentAt), side.of(agreement).emails(),
                "<statement." + agreement.id() + "." + statement.period() + "." + side.word() + "@revshare>",
                reference(agreement, statement) + "-" + side.word());
    }

    /** Names the statement in files and logs: "sarah-mindfulness-2026-10", "...-2027-03-supplementary". */
    public static String reference(Agreement agreement, Statement statement) {
        return agreement.id() + "-" + statement.period() + (statement.supplementary() ? "-supplementary" : "");
    }

    /**
     * {@code side}'s message sent again to other addresses (a person's corrected address after a bounce), with a link
     * signed now, under a Message-ID and reference (the outbox file) of its own: a resend is a new message, not a copy
     * mail clients would hide.
     *
     * @param signOff where the statement stands with the parties now (its window runs from when it was first sent)
     */
    public OutgoingEmail buildResend(Agreement agreement, Statement statement, Side side, Instant sentAt,
                                     StatementDocument.SignOff signOff, List<String> recipients) {
        return build(agreement, statement, side, sentAt, signOff, recipients,
                "<statement." + agreement.id() + "." + statement.period() + "." + side.word() + ".resent."
                        + sentAt.toEpochMilli() + "@revshare>",
                reference(agreement, statement) + "-" + side.word() + "-resent-" + sentAt.toEpochMilli());
    }

    private OutgoingEmail build(Agreement agreement, Statement statement, Side side, Instant sentAt, StatementDocument.SignOff signOff,
                                List<String> recipients, String messageId, String file) {
        StatementEmailRenderer.Rendered rendered = renderer.render(agreement, statement,
                links.linkFor(agreement, statement, side, sentAt), signOff);
        List<MimeMessageWriter.Attachment> attachments = StatementAttachments.of(agreement, statement, signOff);
        List<MimeMessageWriter.Inline> chart = rendered.chartPng() == null ? List.of()
                : List.of(new MimeMessageWriter.Inline(StatementEmailRenderer.CHART_CONTENT_ID, "image/png", rendered.chartPng()));
        byte[] message = mime.write(messageId, sender, recipients, rendered.subject(), rendered.text(), rendered.html(),
                chart, attachments, sentAt);
        StatementAttachments.checkSize(file, message, StatementAttachments.MAX_MESSAGE_BYTES);
        return new OutgoingEmail(file, sender, recipients, rendered.subject(), rendered.html(), rendered.text(), message,
                rendered.chartPng());
    }
}
