package dev.revshare.statements;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Each party's link to its own page, for the statement email (signed anew for every email). The page itself lives in
 * {@code dev.revshare.page}; the email only needs the addresses.
 */
@FunctionalInterface
public interface PartyLinks {
    /** No links: where no page is served (the email then has no sign-off block). */
    PartyLinks NONE = (agreement, statement, sentAt) -> Block.NONE;

    Block linksFor(Agreement agreement, Statement statement, Instant sentAt);

    /** One party's link. {@code side} is "expert" or "partner". */
    record Link(String partyName, String side, String url) {}

    /** @param until the last day to sign off, as the email writes it ("4 Dec 2026") */
    record Block(List<Link> links, String until) {
        public static final Block NONE = new Block(List.of(), "");

        public Block {
            links = List.copyOf(links);
        }
    }
}
