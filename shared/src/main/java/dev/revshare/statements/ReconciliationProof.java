package dev.revshare.statements;

import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.domain.Statement.Reconciliation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The proof of a statement's reconciliation with Stripe in words, the same in the email's two bodies, the CSV and
 * {@code revshare statements show}: "Reconciled with Stripe on 2026-11-04: 20 movements, $5,049.00; 3 booked by
 * reconciliation; differences: none", or why the month is not reconciled. Dates are in the agreement's zone.
 */
public final class ReconciliationProof {
    /** What a statement closed before revshare reconciled says. */
    static final String BEFORE_RECONCILIATION = "Closed before revshare reconciled statements with Stripe: not reconciled.";

    private ReconciliationProof() {}

    /** One sentence: what the check found, or why there was none. */
    public static String headline(Statement statement, ZoneId zone) {
        Reconciliation proof = statement.reconciliation();
        if (proof == null) {
            return BEFORE_RECONCILIATION;
        }
        return switch (proof.status()) {
            case RECONCILED, DIFFERENCES -> "Reconciled with Stripe on " + day(proof.reconciledAt(), zone) + ": "
                    + plural(proof.movements(), "movement") + ", " + amounts(proof.amounts(), statement.currency()) + "; "
                    + proof.bookedByReconciliation() + " booked by reconciliation; differences: "
                    + (proof.differenceCount() == 0 ? "none." : proof.differenceCount()
                    + " (kept for the two parties to settle; the ledger was not changed).");
            case NOT_RECONCILED -> "Not reconciled with Stripe: " + proof.problem() + ".";
            case FAILED -> "Not reconciled with Stripe: the check" + (proof.reconciledAt() == null ? ""
                    : " on " + day(proof.reconciledAt(), zone)) + " failed (" + proof.problem() + ").";
        };
    }

    /** Each difference listed, in one line: its Stripe id, what differs, each side's amount and why. */
    public static List<String> differences(Statement statement, ZoneId zone) {
        Reconciliation proof = statement.reconciliation();
        if (proof == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Reconciliation.Difference d : proof.differences()) {
            List<String> sides = new ArrayList<>();
            if (d.stripeAmount() != null) {
                sides.add("Stripe " + Money.format(d.stripeAmount(), d.stripeCurrency()));
            }
            if (d.ledgerAmount() != null) {
                sides.add("ledger " + Money.format(d.ledgerAmount(), d.ledgerCurrency()));
            }
            lines.add(d.stripeId() + " (" + d.movement() + (d.at() == null ? "" : ", " + day(d.at(), zone)) + "): "
                    + kind(d.kind()) + ", " + String.join(", ", sides) + (d.detail() == null ? "" : "; " + d.detail()));
        }
        if (proof.differencesNotListed() > 0) {
            lines.add("... and " + proof.differencesNotListed() + " more (revshare events unclaimed lists every one)");
        }
        return lines;
    }

    /** Whether the books were proven complete: compared with Stripe, nothing left differing. */
    public static boolean reconciled(Statement statement) {
        return statement.reconciliation() != null && statement.reconciliation().status() == Reconciliation.Status.RECONCILED;
    }

    private static String kind(Reconciliation.Kind kind) {
        return switch (kind) {
            case MISSING_IN_LEDGER -> "missing in the ledger";
            case MISSING_IN_STRIPE -> "missing in Stripe";
            case AMOUNT_DIFFERS -> "amounts differ";
        };
    }

    private static String amounts(Map<String, Long> byCurrency, String currency) {
        if (byCurrency.isEmpty()) {
            return Money.format(0, currency);
        }
        return byCurrency.entrySet().stream().map(e -> Money.format(e.getValue(), e.getKey())).collect(Collectors.joining(" + "));
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String day(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate().toString();
    }
}
