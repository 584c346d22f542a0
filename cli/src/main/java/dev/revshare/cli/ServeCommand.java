package dev.revshare.cli;

import dev.revshare.domain.Agreement;
import dev.revshare.page.PageHttpServer;
import dev.revshare.page.PageTokens;
import dev.revshare.page.PartyPage;
import dev.revshare.page.SignedPartyLinks;
import dev.revshare.review.ReviewDesk;
import dev.revshare.domain.Side;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve each party's page here (on 127.0.0.1), "
        + "over the local store or, with --stack, the stack's table and page secret; prints a link for each party of "
        + "each agreement (or of --agreement), signed now, then serves until stopped (Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8642;

    @ParentCommand
    RevshareCommand root;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "N", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--agreement", paramLabel = "ID", description = "Print the links of this agreement only.")
    String agreementId;

    @Option(names = "--links-only", description = "Print the links and stop, without serving (to serve them: the same "
            + "command without --links-only).")
    boolean linksOnly;

    /** The parties' pages over the backend's data, as the stack's function serves them. */
    static PartyPage page(Backend backend, Clock clock) {
        var store = backend.store();
        return new PartyPage(store.agreements(), store.statements(), backend.signOffs(),
                new ReviewDesk(store.agreements(), store.ledger(), store.bookings(), clock), backend.statementRun(),
                new PageTokens(backend.pageSecret(), clock), PartyPage.defaultLimiter(clock), clock);
    }

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Backend backend = root.backend(clock)) {
            PageTokens tokens = new PageTokens(backend.pageSecret(), clock);
            String base = linksOnly ? backend.pageUrl() : "http://127.0.0.1:" + port + "/";
            SignedPartyLinks links = new SignedPartyLinks(tokens, base);
            List<Agreement> agreements = agreementId == null ? backend.store().agreements().all()
                    : List.of(backend.store().agreements().find(agreementId).orElseThrow(() ->
                            new RevshareCommand.UserError("no agreement with id " + agreementId + " in " + backend.where())));
            for (Agreement agreement : agreements) {
                for (Side side : Side.values()) {
                    System.out.printf("%s, %s (%s): %s%n", agreement.id(), side.of(agreement).name(), side.word(),
                            links.link(agreement, side, clock.instant()));
                }
            }
            if (linksOnly) {
                return 0;
            }
            try (PageHttpServer server = PageHttpServer.start(page(backend, clock), new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                System.out.println("Serving the parties' pages of " + backend.where() + " at " + server.base()
                        + " (Ctrl-C stops it).");
                System.out.flush();
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }
}
