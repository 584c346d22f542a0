package dev.revshare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * October 2026 of the sarah-mindfulness agreement (account acct_1SarahExample, Europe/Madrid) twice over: as
 * the 20 webhook deliveries of its money movements (14 sales, 3 refunds, 2 dispute withdrawals, a dispute won),
 * and as Stripe's balance transactions of the same movements, with a payout and Stripe's fee beside them. A
 * sale on the evening of 30 September and one on 2 November (Madrid) are delivered too: they belong to the
 * neighbouring months, which Stripe's listing around October also shows. Three of October's deliveries are
 * the ones that get lost: the sale of payment 14, the refund of payment 2 and the dispute withdrawal of payment 4.
 */
public final class MonthOnStripe {
    public static final String ACCOUNT = "acct_1SarahExample";
    public static final Instant FIRST_SALE = Instant.parse("2026-10-01T08:00:00Z");

    /** One delivery and the balance transaction Stripe recorded for the same movement. */
    public record Movement(String name, String eventId, String event, ObjectNode balanceTransaction, boolean lost) {}

    private final List<Movement> movements = new ArrayList<>();
    private final List<ObjectNode> notRevenue = new ArrayList<>();

    public MonthOnStripe() {
        sale("september evening sale", 0, Instant.parse("2026-09-30T20:00:00Z"), 29_700, false);
        for (int i = 1; i <= 14; i++) {
            sale("sale " + i, i, FIRST_SALE.plus(Duration.ofDays(i - 1)), i % 3 == 0 ? 4_900 : 29_700, i == 14);
        }
        sale("november sale", 15, Instant.parse("2026-11-02T10:00:00Z"), 29_700, false);
        refund("refund of 1", 1, 29_700, false);
        refund("refund of 2", 2, 10_000, true);
        refund("refund of 3", 3, 1_900, false);
        dispute("dispute withdrawal of 4", 4, "charge.dispute.funds_withdrawn", true, false, Duration.ofDays(5), true);
        dispute("dispute withdrawal of 5", 5, "charge.dispute.funds_withdrawn", true, false, Duration.ofDays(5), false);
        dispute("dispute of 5 won", 5, "charge.dispute.funds_reinstated", true, true, Duration.ofDays(15), false);
        notRevenue.add(FakeStripeBalance.other("txn_3PayoutOct15", "payout", "payout", -150_000, "usd",
                Instant.parse("2026-10-15T03:00:00Z"), "po_3PayoutOct15"));
        notRevenue.add(FakeStripeBalance.other("txn_3FeeOct31", "stripe_fee", "fee", -2_500, "usd",
                Instant.parse("2026-10-31T12:00:00Z"), null));
    }

    public List<Movement> movements() {
        return List.copyOf(movements);
    }

    /** Every delivery of the month, in the order Stripe sent them. */
    public List<String> allDeliveries() {
        return movements.stream().map(Movement::event).toList();
    }

    /** The deliveries that arrived. */
    public List<String> deliveredDeliveries() {
        return movements.stream().filter(m -> !m.lost()).map(Movement::event).toList();
    }

    public List<Movement> lost() {
        return movements.stream().filter(Movement::lost).toList();
    }

    /** What Stripe lists: every movement's balance transaction, the payout and the fee. */
    public List<ObjectNode> balanceTransactions() {
        List<ObjectNode> all = new ArrayList<>(movements.stream().map(Movement::balanceTransaction).toList());
        all.addAll(notRevenue);
        return all;
    }

    public static String charge(int n) {
        return "ch_3Oct" + String.format("%02d", n) + "Charge";
    }

    public static String paymentIntent(int n) {
        return "pi_3Oct" + String.format("%02d", n) + "Charge";
    }

    public static String refundId(int n) {
        return "re_3Oct" + String.format("%02d", n) + "Refund";
    }

    public static String disputeId(int n) {
        return "du_3Oct" + String.format("%02d", n) + "Dispute";
    }

    private final java.util.Map<Integer, Instant> soldAt = new java.util.HashMap<>();
    private final java.util.Map<Integer, Long> amounts = new java.util.HashMap<>();

    private void sale(String name, int n, Instant at, long amount, boolean lost) {
        soldAt.put(n, at);
        amounts.put(n, amount);
        String eventId = "evt_3Oct" + String.format("%02d", n) + "Sale";
        String event = SampleStripeEvents.chargeSucceeded(eventId, ACCOUNT, charge(n), paymentIntent(n), amount, "usd", at,
                "course", "cus_Oct" + n);
        movements.add(new Movement(name, eventId, event, FakeStripeBalance.charge("txn_" + charge(n).substring(3), object(event)),
                lost));
    }

    private void refund(String name, int n, long amount, boolean lost) {
        Instant at = soldAt.get(n).plus(Duration.ofDays(2));
        String eventId = "evt_3Oct" + String.format("%02d", n) + "Refund";
        String event = SampleStripeEvents.refund(eventId, "refund.created", ACCOUNT, refundId(n), charge(n), paymentIntent(n),
                amount, "usd", "succeeded", at);
        movements.add(new Movement(name, eventId, event, FakeStripeBalance.refund("txn_" + refundId(n).substring(3), object(event)),
                lost));
    }

    private void dispute(String name, int n, String type, boolean withdrawn, boolean reinstated, Duration after, boolean lost) {
        Instant at = soldAt.get(n).plus(after);
        String eventId = "evt_3Oct" + String.format("%02d", n) + (reinstated ? "Won" : "Withdrawn");
        String event = SampleStripeEvents.dispute(eventId, type, ACCOUNT, disputeId(n), charge(n), paymentIntent(n),
                amounts.get(n), "usd", at, reinstated ? "won" : "under_review", withdrawn, reinstated);
        // the dispute's balance transactions are named as SampleStripeEvents names them: txn_<dispute>w and r
        String transaction = "txn_" + disputeId(n).substring(3) + (reinstated ? "r" : "w");
        movements.add(new Movement(name, eventId, event, FakeStripeBalance.dispute(transaction, object(event), !reinstated, at),
                lost));
    }

    private static JsonNode object(String event) {
        return Json.read(event, JsonNode.class).path("data").path("object");
    }
}
