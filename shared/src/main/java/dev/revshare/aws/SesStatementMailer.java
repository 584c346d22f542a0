package dev.revshare.aws;

import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.StatementMailer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * Sends the statement's MIME message through SESv2; the recipients are the message's To header. With a
 * configuration set, SES reports the message's deliveries, bounces and complaints to its event destination
 * (template.yaml: StatementsConfigurationSet).
 */
public final class SesStatementMailer implements StatementMailer {
    private final Supplier<SesV2Client> ses;
    private final String configurationSet;

    /** Without a configuration set: nothing reports what became of the mail (local runs, emulators). */
    public SesStatementMailer(SesV2Client ses) {
        this(ses, null);
    }

    /** @param configurationSet the SES configuration set every statement email is sent with, or null */
    public SesStatementMailer(SesV2Client ses, String configurationSet) {
        this(() -> ses, configurationSet);
    }

    /** The functions': the client is asked for (and so built) when the first statement is sent. */
    public SesStatementMailer(Supplier<SesV2Client> ses, String configurationSet) {
        this.ses = ses;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    @Override
    public String send(OutgoingEmail email) {
        SendEmailRequest.Builder request = SendEmailRequest.builder().fromEmailAddress(email.from())
                .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(email.mime()))));
        if (configurationSet != null) {
            request.configurationSetName(configurationSet);
        }
        return ses.get().sendEmail(request.build()).messageId();
    }
}
