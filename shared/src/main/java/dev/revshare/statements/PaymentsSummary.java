package dev.revshare.statements;

import dev.revshare.domain.Money;
import dev.revshare.domain.Payout;
import dev.revshare.domain.Statement;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The statement's payments to the partner in sentences, the same in the email, its text and the CSV: what was paid
 * since the previous statement, what earlier statements still owe, and what is owed in all with this one.
 */
public final class PaymentsSummary {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private PaymentsSummary() {}

    /** Nothing for a statement closed before payouts were recorded, or with nothing paid or owed before it. */
    public static List<String> lines(Statement statement, ZoneId zone) {
        Statement.Payments payments = statement.payments();
        if (payments == null || payments.paidSincePrevious().isEmpty() && payments.outstanding().isEmpty()) {
            return List.of();
        }
        String currency = statement.currency();
        List<String> lines = new ArrayList<>();
        lines.add("Paid to the partner since the last statement: " + Money.format(payments.paidTotal(), currency));
        for (Statement.PaymentMade paid : payments.paidSincePrevious()) {
            lines.add("  " + Money.format(paid.amount(), currency) + " for " + MONTH.format(paid.statementPeriod()) + ", "
                    + (paid.method() == Payout.Method.STRIPE_TRANSFER ? "Stripe transfer " : "bank transfer, reference ")
                    + paid.reference() + ", on " + DAY.format(paid.paidAt().atZone(zone)));
        }
        lines.add("Still owed to the partner from earlier statements: " + Money.format(payments.outstandingTotal(), currency));
        for (Statement.StillOwed owed : payments.outstanding()) {
            lines.add("  " + MONTH.format(owed.statementPeriod()) + ": " + Money.format(owed.outstanding(), currency) + " of "
                    + Money.format(owed.payable(), currency) + (owed.paid() > 0 ? " (" + Money.format(owed.paid(), currency)
                    + " paid)" : ""));
        }
        long payableNow = Math.max(0, statement.totals().partnerPayable());
        lines.add("Owed to the partner in all, with this statement: "
                + Money.format(Math.addExact(payments.outstandingTotal(), payableNow), currency));
        return lines;
    }
}
