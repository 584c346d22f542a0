package dev.revshare.statements;

import dev.revshare.domain.Classification;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The statement's lines, one CSV row each (RFC 4180, with a header row), as attached to the email: every
 * figure on the statement can be summed from it. Amounts are in minor units (cents) and as decimals;
 * {@code partner_exact} is rate × amount before the statement's one rounding step; {@code supplementary} says that
 * the line is on a supplementary statement (recorded after the agreement's final statement).
 *
 * <p>Before the header row, comment lines starting with {@code #} carry the proof of the month's reconciliation with
 * Stripe (what the email's bodies say of it), then what was paid to the partner and what is still owed: a spreadsheet shows them as the first rows, and CSV readers skip them
 * when told that {@code #} starts a comment (Commons CSV's {@code setCommentMarker('#')}, pandas'
 * {@code comment='#'}).
 */
public final class StatementCsv {
    static final String[] HEADER = {"line_id", "stripe_id", "date", "time_utc", "type", "category", "classification",
            "reason", "amount_minor", "amount", "currency", "rate", "agreement_year", "prior_period", "partner_exact",
            "customer", "supplementary"};

    private StatementCsv() {}

    /** How to read it back: RFC 4180 with its header row, the lines starting with {@code #} skipped. */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setCommentMarker('#').get();

    public static String write(Statement statement, ZoneId zone) {
        StringWriter out = new StringWriter();
        List<String> proof = new ArrayList<>();
        proof.add(ReconciliationProof.headline(statement, zone));
        ReconciliationProof.differences(statement, zone).forEach(line -> proof.add("  " + line));
        proof.addAll(PaymentsSummary.lines(statement, zone));
        try (CSVPrinter csv = new CSVPrinter(out, FORMAT.builder().setHeaderComments(proof.toArray(Object[]::new))
                .setHeader(HEADER).get())) {
            for (Statement.StatementLine line : statement.lines()) {
                boolean shared = line.classification() == Classification.SHARED;
                csv.printRecord(line.lineId(), line.stripeId(), line.time().atZone(zone).toLocalDate(), line.time(),
                        line.type().name().toLowerCase(Locale.ROOT), nullToEmpty(line.category()),
                        line.classification().name().toLowerCase(Locale.ROOT), nullToEmpty(line.reason()), line.amount(),
                        Money.plain(line.amount(), line.currency()), line.currency(), line.rate().toPlainString(), line.agreementYear(),
                        line.priorPeriod(), shared ? line.rate().multiply(BigDecimal.valueOf(line.amount())).stripTrailingZeros()
                                .toPlainString() : "0",
                        nullToEmpty(line.customer()), statement.supplementary());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
