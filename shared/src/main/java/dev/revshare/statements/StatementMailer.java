package dev.revshare.statements;

/** Delivers statement emails (SESv2 in AWS, a local outbox folder in the command line). */
public interface StatementMailer {
    /** @return the message id the mail service gave the email */
    String send(OutgoingEmail email);
}
