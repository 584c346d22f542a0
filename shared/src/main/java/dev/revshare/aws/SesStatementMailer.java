package dev.revshare.aws;

import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementMailer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** Sends the statement's MIME message through SESv2; the recipients are the message's To header. */
public final class SesStatementMailer implements StatementMailer {
    private final SesV2Client ses;

    public SesStatementMailer(SesV2Client ses) {
        this.ses = ses;
    }

    @Override
    public String send(OutgoingEmail email) {
        return ses.sendEmail(b -> b.fromEmailAddress(email.from())
                        .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(email.mime())))))
                .messageId();
    }
}
