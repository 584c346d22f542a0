package dev.revshare.page;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import dev.revshare.domain.Side;
import dev.revshare.statements.PartyLinks;
import dev.revshare.statements.StatementEmail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A party's link for its statement email: signed at the time the email is built, valid for the agreement's objection
 * window and {@link PageTokens#BEYOND_WINDOW} after, under the page's address.
 */
public final class SignedPartyLinks implements PartyLinks {
    private final PageTokens tokens;
    private final String base;

    /** @param base the page's address (the Function URL, or {@code revshare serve}'s), ending in / */
    public SignedPartyLinks(PageTokens tokens, String base) {
        this.tokens = tokens;
        this.base = base;
    }

    @Override
    public Block linkFor(Agreement agreement, Statement statement, Side side, Instant sentAt) {
        Duration validFor = PageTokens.validity(agreement.objectionWindowDays());
        String reference = StatementEmail.reference(agreement, statement);
        return new Block(List.of(link(agreement, side, sentAt, validFor, reference)));
    }

    /** One party's link, signed now. */
    public String link(Agreement agreement, Side side, Instant issuedAt) {
        return link(base, tokens.sign(agreement.id(), side, issuedAt, PageTokens.validity(agreement.objectionWindowDays())));
    }

    private Link link(Agreement agreement, Side side, Instant sentAt, Duration validFor, String reference) {
        return new Link(side.of(agreement).name(), side.word(),
                link(base, tokens.sign(agreement.id(), side, sentAt, validFor, reference)));
    }

    /**
     * {@code base} (the page's address) then {@link PartyPage#PREFIX} and the token. Here rather than in PartyPage, so
     * that the statements worker signing links never loads the page (its template, compiled when it is loaded).
     */
    static String link(String base, String token) {
        return (base.endsWith("/") ? base : base + "/") + PartyPage.PREFIX.substring(1) + token;
    }
}
