package dev.revshare.cli;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.statements.MonthlyStatementRun;
import java.time.YearMonth;

/**
 * Where the command's data lives: the embedded local store (the default), or a deployed stack's table.
 * Every command that reads or changes data works the same on both.
 */
interface Backend extends AutoCloseable {

    DynamoDbStores store();

    /** The statement engine on this data, for previews: it computes and stores nothing. */
    MonthlyStatementRun statementRun();

    /** Closes and sends what is due now (or the month and agreement given), as the daily schedule does; its summary. */
    String runStatements(YearMonth period, String agreementId);

    /** Where the data is, for messages: "the local store in .revshare", "stack revshare-prod (table ...)". */
    String where();

    @Override
    void close();
}
