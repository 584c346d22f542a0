package dev.revshare.statements;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.revshare.domain.Statement;
import dev.revshare.store.StatementStore.SentMessages;
import java.time.YearMonth;

/**
 * The detail of a {@code StatementIssued} event: which statement (a supplementary one, after the final statement,
 * says so), its headline figures, its email.
 */
public record StatementIssuedDetail(String agreementId, YearMonth period, String currency, @JsonProperty("final") boolean isFinal,
                                    boolean supplementary, long netRevenue, long partnerShare, long expertShare,
                                    SentMessages messages) {

    /** @param messages the message id each party's copy went out under */
    public static StatementIssuedDetail of(Statement statement, SentMessages messages) {
        Statement.Totals totals = statement.totals();
        return new StatementIssuedDetail(statement.agreementId(), statement.period(), statement.currency(),
                statement.isFinal(), statement.supplementary(), totals.netRevenue(), totals.partnerShare(), totals.expertShare(), messages);
    }
}
