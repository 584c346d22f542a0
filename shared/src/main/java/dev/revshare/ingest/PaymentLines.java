package dev.revshare.ingest;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Allocation;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.RevenueDefinition;
import dev.revshare.ingest.PaymentRecord.Description;
import dev.revshare.ingest.PaymentRecord.DisputeMovement;
import dev.revshare.ingest.PaymentRecord.RefundStep;
import dev.revshare.stripe.UnreadableEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger lines a payment should have, from what its record knows: its sale lines from the best
 * description, each refund step and each dispute movement against them. The lines follow from the
 * record alone, so whatever order Stripe's events came in, the same record books the same lines.
 */
final class PaymentLines {
    /** A payment's lines are booked in one DynamoDB transaction (at most 100 items). */
    static final int MAX_SALE_LINES = 40;

    private PaymentLines() {}

    /**
     * The payment as its descriptions tell it together, whichever came first: amounts and items from the
     * richest kind of object (an invoice's lines and tax, else a checkout session's, else the payment
     * intent's or charge's total), the settlement from the charge, the category from the payment's own
     * metadata, the earliest time.
     */
    static Optional<Description> best(Map<PaymentSource, Description> descriptions) {
        Description richest = null;
        for (PaymentSource source : PaymentSource.values()) { // richest kind first
            if (descriptions.containsKey(source)) {
                richest = descriptions.get(source);
                break;
            }
        }
        if (richest == null) {
            return Optional.empty();
        }
        Payment main = richest.payment();
        PaymentIds ids = main.ids();
        Instant paidAt = main.paidAt();
        for (Description each : descriptions.values()) {
            ids = ids.with(each.payment().ids());
            paidAt = each.payment().paidAt().isBefore(paidAt) ? each.payment().paidAt() : paidAt;
        }
        Payment.Settlement settlement = first(descriptions, Payment::settlement, PaymentSource.CHARGE,
                PaymentSource.PAYMENT_INTENT, PaymentSource.CHECKOUT_SESSION, PaymentSource.INVOICE);
        String category = first(descriptions, Payment::category, PaymentSource.CHECKOUT_SESSION,
                PaymentSource.PAYMENT_INTENT, PaymentSource.INVOICE, PaymentSource.CHARGE);
        String customer = first(descriptions, Payment::customer, PaymentSource.CHARGE, PaymentSource.PAYMENT_INTENT,
                PaymentSource.CHECKOUT_SESSION, PaymentSource.INVOICE);
        return Optional.of(new Description(new Payment(ids, paidAt, main.currency(), main.gross(), main.net(), settlement,
                customer, category, main.items()), richest.eventId()));
    }

    /** The payment's sale as booked: what refunds and disputes are converted and spread by. */
    record Sale(String key, String stripeId, Instant paidAt, String currency, long gross, long net, String customer,
                List<LedgerLine> lines) {

        long[] lineAmounts() {
            return lines.stream().mapToLong(LedgerLine::amount).toArray();
        }
    }

    /**
     * The sale lines of the best description, in the agreement's currency when Stripe converted the
     * payment: the net spread over the items, each classified by the payment's category, the item's, or
     * the agreement's products map.
     */
    static Sale sale(Agreement agreement, PaymentIds ids, Description best, Instant recordedAt) {
        Payment payment = best.payment();
        String key = ids.key();
        RevenueDefinition revenue = agreement.revenueOn(agreement.dayOf(payment.paidAt()));
        String currency = payment.currency();
        long net = payment.net();
        Payment.Settlement settlement = payment.settlement();
        if (!currency.equalsIgnoreCase(agreement.currency()) && settlement != null
                && settlement.currency().equalsIgnoreCase(agreement.currency())) {
            net = Allocation.convert(payment.net(), settlement.amount(), payment.gross());
            currency = agreement.currency();
        }
        List<Payment.Item> items = payment.items().stream().filter(item -> item.weight() > 0).toList();
        if (items.isEmpty()) {
            items = List.of(payment.items().get(0));
        }
        if (items.size() > MAX_SALE_LINES) {
            throw new UnreadableEventException("payment " + key + " has " + items.size()
                    + " differently classified items; at most " + MAX_SALE_LINES + " are booked automatically");
        }
        long[] amounts = Allocation.spread(net, items.stream().mapToLong(Payment.Item::weight).toArray());
        String stripeId = ids.charge() != null ? ids.charge() : key;
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Payment.Item item = items.get(i);
            String category = firstNonNull(payment.category(), item.category(),
                    item.price() == null ? null : revenue.products().get(item.price()),
                    item.product() == null ? null : revenue.products().get(item.product()));
            String lineId = items.size() == 1 ? key : key + "#" + (i + 1);
            lines.add(new LedgerLine(agreement.id(), lineId, stripeId, LineType.SALE, amounts[i], currency, payment.paidAt(),
                    payment.paidAt(), recordedAt, category, payment.customer(), best.eventId(), key));
        }
        return new Sale(key, stripeId, payment.paidAt(), currency, payment.gross(), net, payment.customer(), lines);
    }

    /** Every line the payment should have now: its sale's, each refund step's and each dispute movement's. */
    static List<LedgerLine> expected(Agreement agreement, PaymentRecord record, Sale sale, Instant recordedAt) {
        List<LedgerLine> lines = new ArrayList<>(sale.lines());
        long[] weights = sale.lineAmounts();
        for (RefundStep step : record.refundSteps()) {
            long[] was = Allocation.spread(Allocation.convert(step.from(), sale.net(), sale.gross()), weights);
            long[] now = Allocation.spread(Allocation.convert(step.to(), sale.net(), sale.gross()), weights);
            long[] change = new long[weights.length];
            for (int i = 0; i < weights.length; i++) {
                change[i] = was[i] - now[i]; // a refund takes money off the books: negative
            }
            lines.addAll(againstSale(agreement, sale, change, sale.key() + ":refunds:" + step.number(), step.stripeId(),
                    null, step.at(), step.eventId(), recordedAt));
        }
        for (DisputeMovement movement : record.disputes().values()) {
            long[] parts = Allocation.spread(Allocation.convert(movement.amount(), sale.net(), sale.gross()), weights);
            lines.addAll(againstSale(agreement, sale, parts, movement.balanceTransaction(), movement.dispute(),
                    movement.type(), movement.at(), movement.eventId(), recordedAt));
        }
        return lines;
    }

    /**
     * One line per line of the sale whose part is not zero, in its category, named {@code baseId}, or
     * {@code baseId#n} for the sale's n-th line when it has several.
     *
     * @param type null: a refund or its reversal, by the part's sign
     */
    private static List<LedgerLine> againstSale(Agreement agreement, Sale sale, long[] parts, String baseId, String stripeId,
                                                LineType type, Instant occurredAt, String eventId, Instant recordedAt) {
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == 0) {
                continue;
            }
            LineType lineType = type != null ? type : parts[i] < 0 ? LineType.REFUND : LineType.REFUND_REVERSAL;
            lines.add(new LedgerLine(agreement.id(), parts.length == 1 ? baseId : baseId + "#" + (i + 1), stripeId,
                    lineType, parts[i], sale.currency(), occurredAt, sale.paidAt(), recordedAt,
                    sale.lines().get(i).category(), sale.customer(), eventId, sale.key()));
        }
        return lines;
    }

    /**
     * What to write to take the ledger from {@code booked} to {@code expected}: a line that books the same
     * money movement as before stays as it was (with its recording time); others are added or taken out.
     */
    record Changes(List<LedgerLine> add, List<LedgerLine> remove, List<LedgerLine> after) {
        boolean none() {
            return add.isEmpty() && remove.isEmpty();
        }
    }

    static Changes changes(List<LedgerLine> booked, List<LedgerLine> expected) {
        List<LedgerLine> add = new ArrayList<>();
        List<LedgerLine> after = new ArrayList<>();
        List<LedgerLine> remove = new ArrayList<>(booked);
        for (LedgerLine line : expected) {
            Optional<LedgerLine> same = remove.stream().filter(old -> sameMovement(old, line)).findFirst();
            if (same.isPresent()) {
                remove.remove(same.get());
                after.add(same.get());
            } else {
                add.add(line);
                after.add(line);
            }
        }
        // a line booked again at the same moment under the same id takes its old one's place: one write, not two
        remove.removeIf(old -> add.stream().anyMatch(line -> line.lineId().equals(old.lineId())
                && line.recordedAt().equals(old.recordedAt())));
        after.sort(Comparator.comparing(LedgerLine::lineId));
        return new Changes(add, remove, after);
    }

    /**
     * The changes with the lines a statement has counted reversed instead of taken out: each gets a line
     * of the opposite kind and amount, dated as it was (an adjustment for an earlier month), recorded now.
     *
     * @param write numbers the reversals, so that a line reversed, booked again and reversed again has two
     */
    static Changes reversing(Changes changes, List<LedgerLine> counted, long write, String eventId, Instant recordedAt) {
        List<LedgerLine> add = new ArrayList<>(changes.add());
        for (LedgerLine line : counted) {
            add.add(new LedgerLine(line.agreementId(), line.lineId() + ":reversed:" + write, line.stripeId(),
                    line.type().reversed(), -line.amount(), line.currency(), line.occurredAt(), line.saleOccurredAt(),
                    recordedAt, line.category(), line.customer(), eventId, line.saleId()));
        }
        List<LedgerLine> remove = new ArrayList<>(changes.remove());
        remove.removeAll(counted);
        // the reversed lines and their reversals stay in the ledger as they are: the payment's live lines are the rest
        return new Changes(add, remove, changes.after());
    }

    /** Same id, same money: the recording time and the event that booked it do not make a line different. */
    private static boolean sameMovement(LedgerLine a, LedgerLine b) {
        return a.lineId().equals(b.lineId()) && a.type() == b.type() && a.amount() == b.amount()
                && a.currency().equals(b.currency()) && Objects.equals(a.category(), b.category())
                && Objects.equals(a.stripeId(), b.stripeId()) && a.occurredAt().equals(b.occurredAt())
                && a.saleOccurredAt().equals(b.saleOccurredAt()) && Objects.equals(a.customer(), b.customer())
                && a.saleId().equals(b.saleId());
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static <T> T first(Map<PaymentSource, Description> descriptions, java.util.function.Function<Payment, T> field,
                               PaymentSource... order) {
        for (PaymentSource source : order) {
            Description description = descriptions.get(source);
            T value = description == null ? null : field.apply(description.payment());
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
