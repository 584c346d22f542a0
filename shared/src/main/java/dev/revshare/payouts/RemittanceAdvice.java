package dev.revshare.payouts;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Payout;
import dev.revshare.statements.MimeMessageWriter;
import dev.revshare.statements.OutgoingEmail;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The short notice both parties get when a payment to the partner is recorded (remittance advice): how much, for
 * which statement, how it was paid and under which reference, and what that statement still owes.
 */
public final class RemittanceAdvice {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private final String sender;
    private final MimeMessageWriter mime = new MimeMessageWriter();

    public RemittanceAdvice(String sender) {
        this.sender = sender;
    }

    /**
     * @param payable     the statement's payable amount
     * @param paidInAll   what has been paid against it, this payment included
     */
    public OutgoingEmail build(Agreement agreement, Payout payout, long payable, long paidInAll) {
        List<String> recipients = new ArrayList<>(agreement.expert().emails());
        recipients.addAll(agreement.partner().emails());
        String currency = payout.currency();
        String month = MONTH.format(payout.period());
        Instant paidAt = payout.settledAt();
        String how = payout.method() == Payout.Method.STRIPE_TRANSFER
                ? "by Stripe transfer " + payout.reference() + " to " + agreement.payouts().destination()
                : "by bank transfer, reference " + payout.reference();
        long outstanding = payable - paidInAll;
        String subject = "Payment " + Money.format(payout.amount(), currency) + " to " + agreement.partner().name()
                + " for the " + month + " statement";
        List<String> facts = List.of(
                "Paid: " + Money.format(payout.amount(), currency) + " on " + DAY.format(paidAt.atZone(agreement.timezone())),
                "To: " + agreement.partner().name() + ", " + how,
                "For: the statement of " + month + " (" + reference(agreement, payout) + "), payable "
                        + Money.format(payable, currency),
                "Paid against it in all: " + Money.format(paidInAll, currency)
                        + (outstanding > 0 ? "; still outstanding: " + Money.format(outstanding, currency) : "; paid in full"),
                "Recorded by: " + payout.by() + ", payment " + payout.number() + " for this statement");
        StringBuilder text = new StringBuilder(agreement.name()).append("\n\n").append(subject).append(".\n\n");
        facts.forEach(fact -> text.append(fact).append('\n'));
        text.append("\nThis notice records a payment; the statement itself is unchanged. The next statement lists it.\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(subject)).append("</title></head><body style=\"font-family:sans-serif;max-width:40em\">")
                .append("<p>").append(escape(agreement.name())).append("</p><h1 style=\"font-size:1.2em\">")
                .append(escape(subject)).append("</h1><ul>");
        facts.forEach(fact -> html.append("<li>").append(escape(fact)).append("</li>"));
        html.append("</ul><p>This notice records a payment; the statement itself is unchanged. The next statement lists it.</p>")
                .append("</body></html>");
        String file = reference(agreement, payout) + "-payment-" + payout.number();
        byte[] message = mime.write("<payment." + agreement.id() + "." + payout.period() + "." + payout.number() + "@revshare>",
                sender, recipients, subject, text.toString(), html.toString(), List.of(), List.of(), paidAt);
        return new OutgoingEmail(file, sender, recipients, subject, html.toString(), text.toString(), message);
    }

    /** The statement's reference: "sarah-mindfulness-2026-10" (the transfer group and first idempotency key too). */
    static String reference(Agreement agreement, Payout payout) {
        return agreement.id() + "-" + payout.period();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
