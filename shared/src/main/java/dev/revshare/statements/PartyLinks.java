package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Side;
import dev.revshare.domain.Statement;
import java.time.Instant;
import java.util.List;

/**
 * A party's link to its own page, for that party's statement email (signed anew for every email, for that party
 * alone: each party gets a message of its own, so neither reads the other's link). The page itself lives in
 * {@code dev.revshare.page}; the email only needs the address.
 */
@FunctionalInterface
public interface PartyLinks {
    /** No links: where no page is served (the email then says its sign-off window, without a link). */
    PartyLinks NONE = (agreement, statement, side, sentAt) -> Block.NONE;

    /** The block for {@code side}'s email: its one link, signed at {@code sentAt}. */
    Block linkFor(Agreement agreement, Statement statement, Side side, Instant sentAt);

    /** One party's link. {@code side} is "expert" or "partner". */
    record Link(String partyName, String side, String url) {}

    /** The party's link (none: the email says it could not carry it). */
    record Block(List<Link> links) {
        public static final Block NONE = new Block(List.of());

        public Block {
            links = List.copyOf(links);
        }
    }
}
