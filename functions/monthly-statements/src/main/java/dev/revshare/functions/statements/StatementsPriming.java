package dev.revshare.functions.statements;

import dev.revshare.statements.OutgoingEmail;
import dev.revshare.statements.SampleStatement;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's priming for the statements run (a CRaC {@code beforeCheckpoint} hook): the built-in
 * {@link SampleStatement} is computed and made into its email in memory, so that restored containers start with
 * the statement engine, the templates, the chart's Java2D and the MIME classes loaded and initialised. It sends
 * nothing and reads nothing: the function's AWS clients are made after restore, on first use.
 */
final class StatementsPriming implements Resource {
    private static final Logger log = LoggerFactory.getLogger(StatementsPriming.class);
    /** CRaC keeps registered resources by weak reference: this one lives as long as the class. */
    private static final StatementsPriming REGISTERED = new StatementsPriming();

    private static boolean registered;

    /** Registers the hook with CRaC (once); without SnapStart it never runs. */
    static synchronized void register() {
        if (!registered) {
            Core.getGlobalContext().register(REGISTERED);
            registered = true;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        OutgoingEmail email = prime();
        log.info("primed the statements run on a built-in sample month (nothing sent or stored): a {}-byte email",
                email.mime().length);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to re-create: the function's clients are made on first use, after restore
    }

    OutgoingEmail prime() {
        return SampleStatement.email();
    }
}
