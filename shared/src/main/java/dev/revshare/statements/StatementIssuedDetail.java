package dev.revshare.statements;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.revshare.domain.Statement;
import java.time.YearMonth;

/**
 * The detail of a {@code StatementIssued} event: which statement (a supplementary one, after the final statement,
 * says so), its headline figures, its email.
 */
public record StatementIssuedDetail(String agreementId, YearMonth period, String currency, @JsonProperty("final") boolean isFinal,
                                    boolean supplementary, long netRevenue, long partnerShare, long expertShare,
                                    String messageId) {

    public static StatementIssuedDetail of(Statement statement, String messageId) {
        Statement.Totals totals = statement.totals();
        return new StatementIssuedDetail(statement.agreementId(), statement.period(), statement.currency(),
                statement.isFinal(), statement.supplementary(), totals.netRevenue(), totals.partnerShare(), totals.expertShare(), messageId);
    }
}
