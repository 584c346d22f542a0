package dev.revshare.domain;

import dev.revshare.domain.Statement.PaymentMade;
import dev.revshare.domain.Statement.Payments;
import dev.revshare.domain.Statement.StillOwed;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the partner has been paid and is still owed, from the statements' payable amounts and the payouts recorded.
 * Pure arithmetic on minor units: the statement run puts it on each statement it closes, and the payout commands
 * check a new payout against it.
 */
public final class PaymentStanding {
    private PaymentStanding() {}

    /**
     * The payments section of a statement closing at {@code closedAt}: the earlier statements still owed (those the
     * previous statement listed, and the previous statement itself when it left the partner something to be paid),
     * less the payouts paid by then; and the payouts paid since the previous statement closed.
     *
     * @param previous the agreement's statement before this one, or null for its first
     * @param payouts  every payout recorded for the agreement
     */
    public static Payments at(Statement previous, List<Payout> payouts, Instant closedAt) {
        if (previous == null) {
            return new Payments(List.of(), List.of());
        }
        Map<YearMonth, Long> payable = new TreeMap<>();
        if (previous.payments() != null) {
            previous.payments().outstanding().forEach(owed -> payable.put(owed.statementPeriod(), owed.payable()));
        }
        // a negative balance is carried forward, never paid back by a transfer: only a positive amount is owed
        if (previous.totals().partnerPayable() > 0) {
            payable.putIfAbsent(previous.period(), previous.totals().partnerPayable());
        }
        List<StillOwed> outstanding = new ArrayList<>();
        payable.forEach((period, amount) -> {
            long paid = paidBy(payouts, period, closedAt);
            if (paid < amount) {
                outstanding.add(new StillOwed(period, amount, paid, amount - paid));
            }
        });
        List<PaymentMade> since = payouts.stream()
                .filter(Payout::paid)
                .filter(p -> p.settledAt().isAfter(previous.closedAt()) && !p.settledAt().isAfter(closedAt))
                .sorted(Comparator.comparing(Payout::settledAt).thenComparing(Payout::period).thenComparing(Payout::number))
                .map(p -> new PaymentMade(p.period(), p.amount(), p.method(), p.reference(), p.settledAt()))
                .toList();
        return new Payments(since, outstanding);
    }

    /** What was paid against the statement of {@code period} by {@code when} (minor units). */
    public static long paidBy(List<Payout> payouts, YearMonth period, Instant when) {
        return payouts.stream()
                .filter(p -> p.paid() && p.period().equals(period) && !p.settledAt().isAfter(when))
                .mapToLong(Payout::amount).reduce(0, Math::addExact);
    }

    /** What was paid against the statement of {@code period}, whenever (minor units). */
    public static long paid(List<Payout> payouts, YearMonth period) {
        return paidBy(payouts, period, Instant.MAX);
    }
}
