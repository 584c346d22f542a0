package dev.revshare.cli;

import dev.revshare.domain.Side;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.page.PageSecret;
import dev.revshare.signoff.SignOffs;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.store.StatementStore.Resend;
import java.time.YearMonth;
import java.util.List;

/**
 * Where the command's data lives: the embedded local store (the default), or a deployed stack's table.
 * Every command that reads or changes data works the same on both.
 */
interface Backend extends AutoCloseable {

    DynamoDbStores store();

    /** The statement engine on this data, for previews: it computes and stores nothing. */
    MonthlyStatementRun statementRun();

    /** Closes and sends what is due now (or the month and agreement given), as the daily schedule does; its summary. */
    String runStatements(YearMonth period, String agreementId);

    /**
     * Sends a party's message of a statement again to the addresses given, with the party's page link signed now, and
     * notes it on the statement (which party, who, when, to whom, the message id); refused with a message when it
     * cannot be done here.
     */
    Resend resendStatement(String agreementId, YearMonth period, Side side, List<String> to, String by);

    /**
     * Payments to partners on this data: recorded by hand, or made by Stripe transfer with the platform's key
     * ({@code STRIPE_PAYOUT_KEY}, or on a stack its SSM parameter); each notice to both parties goes out as statements do.
     */
    PartnerPayouts payouts();

    /** The read-only Stripe API keys the deployed webhook's lookups use here (none: {@link StripeApiKeys#NONE}). */
    StripeApiKeys stripeApiKeys();

    /** Where {@link #stripeApiKeys()} come from, for the message when an agreement has none. */
    String stripeApiKeysFrom(String agreementId);

    /** The deployed stack's WebhookUrl output (its endpoints start with it), or null when not known here. */
    String webhookUrl();

    /** The parties' sign-offs of statements on this data; an objection's email goes as statements do from here. */
    SignOffs signOffs();

    /** The key the parties' page links are signed with (the local store's file, or the stack's SSM parameter). */
    PageSecret pageSecret();

    /** Where the page is served, links start with it: {@code revshare serve}'s address, or the stack's PageUrl. */
    String pageUrl();

    /** Where the data is, for messages: "the local store in .revshare", "stack revshare-prod (table ...)". */
    String where();

    @Override
    void close();
}
