package dev.revshare.aws;

import dev.revshare.page.PageSecret;
import dev.revshare.page.PageTokens;
import dev.revshare.page.PartyPage;
import dev.revshare.page.RequestLimit;
import dev.revshare.page.SignedPartyLinks;
import dev.revshare.review.ReviewDesk;
import dev.revshare.signoff.SignOffStore;
import dev.revshare.signoff.SignOffs;
import dev.revshare.statements.BeforeClosing;
import dev.revshare.statements.MonthlyStatementRun;
import dev.revshare.statements.PartyLinks;
import dev.revshare.statements.ShareAdjustments;
import dev.revshare.statements.StatementMailer;
import dev.revshare.statements.StatementPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;

/**
 * Each party's page as the stack runs it, from the environment template.yaml sets: the page behind the party page's
 * Function URL, and the links and adjustments the statements worker puts on each statement. Builds no AWS client:
 * each is built on its first use (AwsClients), and the secret is read from SSM when a link is signed or checked.
 */
public final class PageWiring {
    private PageWiring() {}

    /** Told of each statement email built without the parties' page links, because there is no page secret in SSM. */
    @FunctionalInterface
    public interface WithoutLinks {
        void built(String agreementId, YearMonth period);
    }

    /**
     * The page over TABLE_NAME, its links checked with the key in PAGE_SECRET_PARAMETER (SSM); an objection is emailed
     * to the other party through SES as STATEMENT_SENDER, with SES_CONFIGURATION_SET. The month so far is the statement
     * engine's preview with the settled objections' adjustments, as the worker will close it; the engine sends nothing.
     */
    public static PartyPage partyPage(AwsClients aws, Clock clock) {
        String table = Environment.require("TABLE_NAME");
        String sender = Environment.require("STATEMENT_SENDER");
        DynamoDbStores stores = DynamoDbStores.over(aws::dynamoDb, table);
        SignOffStore signOffStore = DynamoDbStores.signOffsOver(aws::dynamoDb, table);
        SignOffs signOffs = new SignOffs(stores.agreements(), stores.statements(), signOffStore,
                new SesStatementMailer(aws::sesV2, Environment.require("SES_CONFIGURATION_SET")), sender, clock);
        StatementMailer noMail = email -> {
            throw new IllegalStateException("the page previews a month: it sends no statement");
        };
        StatementPublisher noEvents = (statement, messages) -> {
            throw new IllegalStateException("the page previews a month: it publishes no statement");
        };
        MonthlyStatementRun engine = new MonthlyStatementRun(stores.agreements(), stores.ledger(), stores.statements(),
                noMail, noEvents, sender, clock, Environment.statementGrace(), BeforeClosing.NOTHING, PartyLinks.NONE,
                SignOffs.adjustments(signOffStore));
        return new PartyPage(stores.agreements(), stores.statements(), signOffs,
                new ReviewDesk(stores.agreements(), stores.ledger(), stores.bookings(), clock), engine,
                new PageTokens(secret(aws, clock), clock), requestLimit(aws, table, clock), clock);
    }

    /**
     * {@link PartyPage#REQUESTS_PER_MINUTE} per link for the whole stack, counted in the table (however many instances
     * serve the page), after this instance's own count, which refuses without a write.
     */
    static RequestLimit requestLimit(AwsClients aws, String table, Clock clock) {
        return new DynamoDbRequestLimit(new Table(aws::dynamoDb, table), PartyPage.REQUESTS_PER_MINUTE, Duration.ofMinutes(1),
                clock, PartyPage.defaultLimiter(clock));
    }

    /**
     * The links' signing key: the SSM SecureString parameter PAGE_SECRET_PARAMETER (read when a link is signed or checked,
     * kept five minutes), by GetParameter alone: the functions' jars have no room for the SSM client.
     */
    public static PageSecret secret(AwsClients aws, Clock clock) {
        return SsmPageSecret.inFunction(aws, Environment.require("PAGE_SECRET_PARAMETER"), clock);
    }

    /**
     * Each party's link in every statement email: signed with {@link #secret}, under PAGE_URL (the page's Function URL).
     * Without a page secret in SSM the email goes out without links, each reported to {@code withoutLinks}.
     */
    public static PartyLinks statementLinks(AwsClients aws, Clock clock, WithoutLinks withoutLinks) {
        return statementLinks(aws, clock, Environment.require("PAGE_SECRET_PARAMETER"), Environment.require("PAGE_URL"),
                withoutLinks);
    }

    /** The same, with the parameter and the page's address given (tests). */
    public static PartyLinks statementLinks(AwsClients aws, Clock clock, String secretParameter, String pageUrl,
                                            WithoutLinks withoutLinks) {
        return new LinksUnlessSecretMissing(new SignedPartyLinks(new PageTokens(
                SsmPageSecret.inFunction(aws, secretParameter, clock), clock), pageUrl), withoutLinks);
    }

    /** The settled objections' adjustments over TABLE_NAME, which the statements closed after them carry. */
    public static ShareAdjustments adjustments(AwsClients aws) {
        return SignOffs.adjustments(DynamoDbStores.signOffsOver(aws::dynamoDb, Environment.require("TABLE_NAME")));
    }
}
