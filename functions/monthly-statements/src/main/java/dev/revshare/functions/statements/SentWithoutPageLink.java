package dev.revshare.functions.statements;

import dev.revshare.aws.PageWiring;
import dev.revshare.statements.RunSummary;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.Set;

/**
 * The statements whose email was built without the parties' page links (no page secret in SSM) during one batch, so
 * that the worker counts those that went out so ({@value PowertoolsTelemetry#SENT_WITHOUT_PAGE_LINK_METRIC}): an email
 * built and then refused by SES is not counted; its next try is.
 */
public final class SentWithoutPageLink implements PageWiring.WithoutLinks {
    private final Set<Month> built = new HashSet<>();

    private record Month(String agreementId, String period) {}

    @Override
    public synchronized void built(String agreementId, YearMonth period) {
        built.add(new Month(agreementId, period.toString()));
    }

    /** How many of the batch's sent statements went without links; the batch is then forgotten. */
    synchronized int sentOf(RunSummary summary) {
        int sent = (int) summary.results().stream().filter(r -> r.outcome() == RunSummary.Outcome.SENT)
                .filter(r -> built.contains(new Month(r.agreementId(), r.period()))).count();
        built.clear();
        return sent;
    }
}
