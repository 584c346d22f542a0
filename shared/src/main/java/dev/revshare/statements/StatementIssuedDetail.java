package dev.revshare.statements;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.revshare.domain.Statement;
import java.time.YearMonth;

/** The detail of a {@code StatementIssued} event: which statement, its headline figures, its email. */
public record StatementIssuedDetail(String agreementId, YearMonth period, String currency, @JsonProperty("final") boolean isFinal,
                                    long netRevenue, long partnerShare, long expertShare, String messageId) {

    public static StatementIssuedDetail of(Statement statement, String messageId) {
        Statement.Totals totals = statement.totals();
        return new StatementIssuedDetail(statement.agreementId(), statement.period(), statement.currency(),
                statement.isFinal(), totals.netRevenue(), totals.partnerShare(), totals.expertShare(), messageId);
    }
}
