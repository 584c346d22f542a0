package dev.revshare.reconcile;

import dev.revshare.stripe.BalanceTransaction;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An agreement's month as Stripe recorded it, side by side with the ledger: how many movements of each kind
 * and how much on each side, how many match, and every difference with its Stripe id.
 *
 * <p>The two sides count money differently, on purpose: Stripe's balance transactions are what moved in the
 * account (tax included, in the settlement currency, a refund or dispute at its own day's exchange rate); ledger
 * lines are revenue (tax left out, in the agreement's currency, a refund or dispute at its sale's rate). So the
 * side totals are shown, not compared; each movement is compared by its Stripe id, and its amount in the
 * currency paid, tax included, as the Stripe object and the ledger's record of the payment each say it.
 *
 * @param from       first instant of the month (in the agreement's zone)
 * @param to         first instant after it
 * @param stripe     Stripe's revenue movements of the month, by kind
 * @param ledger     the ledger's movements of the month (lines grouped by the Stripe movement they book), by kind
 * @param matched    Stripe movements of the month found in the ledger with the same amount
 * @param notRevenue Stripe's other balance transactions of the month, by type (payouts, fees...): not compared
 */
public record Comparison(Instant from, Instant to, Map<MovementKind, Tally> stripe, Map<MovementKind, Tally> ledger,
                         int matched, List<Difference> differences, Map<String, Integer> notRevenue) {

    public Comparison {
        stripe = copy(stripe);
        ledger = copy(ledger);
        differences = List.copyOf(differences);
        notRevenue = new TreeMap<>(notRevenue);
    }

    /** How many movements of a kind, and their amounts by currency (lower-case ISO codes). */
    public record Tally(int count, Map<String, Long> amounts) {
        public Tally {
            amounts = new TreeMap<>(amounts);
        }

    }

    /**
     * One movement on which the two sides disagree.
     *
     * @param stripeId           the Stripe object a person looks up: the charge, refund or dispute
     * @param balanceTransaction Stripe's balance transaction, when known
     * @param stripeAmount       signed: the balance transaction's amount (settlement currency) when missing in the
     *                           ledger; the Stripe object's amount in the currency paid when amounts differ; null when
     *                           Stripe has none
     * @param ledgerAmount       signed: the lines' amount (agreement currency) when missing in Stripe; the amount in the
     *                           currency paid by the ledger's record when amounts differ; null when the ledger has none
     * @param transaction        what Stripe listed, for booking a movement missing in the ledger; null otherwise
     * @param detail             in words: what is missing or differs, and why when known
     */
    public record Difference(Kind kind, MovementKind movement, String stripeId, String balanceTransaction, Instant at,
                             Long stripeAmount, String stripeCurrency, Long ledgerAmount, String ledgerCurrency,
                             String detail, BalanceTransaction transaction) {

        public enum Kind {
            /** Stripe recorded it; the ledger has no line for it (a delivery that never came) */
            MISSING_IN_LEDGER,
            /** the ledger has lines for it; Stripe's balance transactions around the month do not list it */
            MISSING_IN_STRIPE,
            /** both have it, with different amounts */
            AMOUNT_DIFFERS
        }
    }

    /** Stripe's revenue movements of the month. */
    public int stripeMovements() {
        return stripe.values().stream().mapToInt(Tally::count).sum();
    }

    public int ledgerMovements() {
        return ledger.values().stream().mapToInt(Tally::count).sum();
    }

    public List<Difference> differences(Difference.Kind kind) {
        return differences.stream().filter(d -> d.kind() == kind).toList();
    }

    /** Total amounts of one side, by currency. */
    public static Map<String, Long> total(Map<MovementKind, Tally> side) {
        Map<String, Long> total = new TreeMap<>();
        side.values().forEach(tally -> tally.amounts().forEach((currency, amount) -> total.merge(currency, amount, Math::addExact)));
        return total;
    }

    private static Map<MovementKind, Tally> copy(Map<MovementKind, Tally> side) {
        return side.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(side));
    }
}
