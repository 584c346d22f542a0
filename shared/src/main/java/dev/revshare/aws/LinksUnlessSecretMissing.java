package dev.revshare.aws;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import dev.revshare.page.PageSecret;
import dev.revshare.statements.PartyLinks;
import java.time.Instant;
import java.time.YearMonth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statement email's links, or none when there is no page secret ({@link PageSecret.Missing}): a statement is money
 * and goes out on time, the link is a convenience. Such an email says until when to sign off, without the link; each
 * is logged at ERROR with what to do and told to {@code withoutLinks} (the statements worker counts them: alarm). Any
 * other failure to sign (SSM not answering, throttled) is thrown as before, so the send fails and is tried again.
 */
final class LinksUnlessSecretMissing implements PartyLinks {
    private static final Logger log = LoggerFactory.getLogger(LinksUnlessSecretMissing.class);

    private final PartyLinks links;
    private final PageWiring.WithoutLinks withoutLinks;

    LinksUnlessSecretMissing(PartyLinks links, PageWiring.WithoutLinks withoutLinks) {
        this.links = links;
        this.withoutLinks = withoutLinks;
    }

    @Override
    public Block linkFor(Agreement agreement, Statement statement, Side side, Instant sentAt) {
        try {
            return links.linkFor(agreement, statement, side, sentAt);
        } catch (PageSecret.Missing missing) {
            YearMonth period = statement.period();
            // a known state, said in one line without a stack trace; the message names the parameter, never a value
            log.error("agreement {} period {}: the {}'s statement email built without its page link: {}; the emails "
                    + "built once it is there (within five minutes) carry them, and `revshare --stack NAME serve "
                    + "--links-only --agreement {}` prints this agreement's links now", agreement.id(), period, side.word(),
                    missing.getMessage(), agreement.id());
            withoutLinks.built(agreement.id(), period);
            return Block.NONE;
        }
    }
}
