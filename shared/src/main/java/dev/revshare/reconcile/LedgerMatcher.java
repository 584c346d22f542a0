package dev.revshare.reconcile;

import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.Payment;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.ingest.RefundState;
import dev.revshare.reconcile.Comparison.Difference;
import dev.revshare.reconcile.Comparison.Difference.Kind;
import dev.revshare.reconcile.Comparison.Tally;
import dev.revshare.stripe.BalanceTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compares Stripe's balance transactions with the ledger, by Stripe id; pure code, no I/O.
 *
 * <p>A Stripe movement is in the ledger when the ledger's record of its payment (found by the charge or payment
 * intent) knows it and has lines for it: the sale, a refund by its id, a dispute's movement by its balance
 * transaction. A refund booked from {@code charge.refunded} alone is known by the charge's refunded total, not
 * by its id: Stripe's refunds of the payment are matched against that total (and the ledger's refund lines that
 * name no refund, against Stripe's refunds of their payment). Amounts are compared in the
 * currency paid, tax included, because that is what both Stripe's object and the ledger's record say (lines
 * are revenue in the agreement's currency, see {@link Comparison}).
 *
 * <p>A ledger movement of the month is in Stripe when a balance transaction listed around the month (a day
 * before it, a week after it: a card payment is captured up to a week after it was authorised) books the
 * same Stripe movement.
 */
public final class LedgerMatcher {
    private static final String REVERSED = ":reversed:";

    private LedgerMatcher() {}

    /**
     * @param listed   Stripe's balance transactions around the month
     * @param lines    ledger lines; those that happened in [from, to) are the ledger's side
     * @param payments the ledger's record of a payment, by any of its ids (null when none)
     */
    public static Comparison compare(Instant from, Instant to, List<BalanceTransaction> listed, List<LedgerLine> lines,
                                     Function<String, PaymentRecord> payments) {
        Sums stripeSide = new Sums();
        Map<String, Integer> notRevenue = new TreeMap<>();
        Set<String> matchedInLedger = new HashSet<>();
        List<Difference> differences = new ArrayList<>();
        int matched = 0;
        // refunds a record knows only by its charge's refunded total, by payment, oldest first
        Map<String, List<BalanceTransaction>> byTotal = new LinkedHashMap<>();

        List<BalanceTransaction> ordered = listed.stream()
                .sorted(Comparator.comparing(BalanceTransaction::created).thenComparing(BalanceTransaction::id)).toList();
        for (BalanceTransaction transaction : ordered) {
            MovementKind kind = MovementKind.of(transaction);
            boolean inMonth = within(transaction.created(), from, to);
            if (kind == null) {
                if (inMonth) {
                    notRevenue.merge(transaction.type(), 1, Integer::sum);
                }
                continue;
            }
            if (inMonth) {
                stripeSide.add(kind, transaction.amount(), transaction.currency());
            }
            PaymentRecord record = record(payments, transaction.charge(), transaction.paymentIntent());
            if (record != null && (kind == MovementKind.REFUND || kind == MovementKind.REFUND_FAILURE)) {
                // refund lines that name no refund (charge.refunded's total, a refund booked when its sale came)
                matchedInLedger.add("refunds-of:" + record.key());
            }
            Found found = find(kind, transaction, record);
            if (found == null && kind == MovementKind.REFUND && record != null && record.described()) {
                byTotal.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(transaction);
                continue;
            }
            if (found != null) {
                matchedInLedger.add(found.identity());
            }
            if (!inMonth) {
                continue;
            }
            if (found == null) {
                differences.add(missingInLedger(kind, transaction, record));
            } else if (differs(kind, transaction, found)) {
                differences.add(amountDiffers(kind, transaction, found));
            } else {
                matched++;
            }
        }
        for (Map.Entry<String, List<BalanceTransaction>> payment : byTotal.entrySet()) {
            PaymentRecord record = payments.apply(payment.getKey());
            long covered = Math.max(0, record.refunds().booked() - record.refunds().refunds().values().stream()
                    .filter(refund -> !refund.voided()).mapToLong(RefundState.Refund::amount).sum());
            for (BalanceTransaction refund : payment.getValue()) {
                long amount = refund.sourceAmount() == null ? Math.abs(refund.amount()) : refund.sourceAmount();
                boolean known = amount <= covered;
                if (known) {
                    covered -= amount;
                }
                if (within(refund.created(), from, to)) {
                    if (known) {
                        matched++;
                    } else {
                        differences.add(missingInLedger(MovementKind.REFUND, refund, record));
                    }
                }
            }
        }

        Sums ledgerSide = new Sums();
        for (LedgerMovement movement : ledgerMovements(lines, from, to, payments).values()) {
            ledgerSide.add(movement);
            if (!matchedInLedger.contains(movement.identity()) && !movement.reversedToNothing()) {
                differences.add(movement.missingInStripe());
            }
        }
        differences.sort(Comparator.comparing(Difference::at).thenComparing(d -> Objects.toString(d.stripeId(), "")));
        return new Comparison(from, to, stripeSide.tallies(), ledgerSide.tallies(), matched, differences, notRevenue);
    }

    /** What the ledger's record says of a Stripe movement: the movement it books, its amount in the currency paid. */
    private record Found(String identity, long amount, String currency) {}

    private static Found find(MovementKind kind, BalanceTransaction transaction, PaymentRecord record) {
        Payment payment = record == null ? null : record.bestPayment().orElse(null);
        if (payment == null) {
            return null; // no payment, or only its refunds and disputes, waiting for it: no lines
        }
        return switch (kind) {
            case SALE -> new Found("sale:" + record.key(), payment.gross(), payment.currency());
            case REFUND -> {
                RefundState.Refund refund = record.refunds().refunds().get(transaction.sourceId());
                yield refund == null ? null : new Found("refund:" + transaction.sourceId(), -refund.amount(), payment.currency());
            }
            case REFUND_FAILURE -> {
                RefundState.Refund refund = record.refunds().refunds().get(transaction.sourceId());
                yield refund == null || !refund.voided() ? null
                        : new Found("refund-failure:" + transaction.sourceId(), refund.amount(), payment.currency());
            }
            case DISPUTE_WITHDRAWAL, DISPUTE_REINSTATEMENT -> {
                PaymentRecord.DisputeMovement movement = record.disputes().get(transaction.id());
                yield movement == null ? null : new Found("dispute:" + transaction.id(), movement.amount(), payment.currency());
            }
        };
    }

    private static boolean differs(MovementKind kind, BalanceTransaction transaction, Found found) {
        if (transaction.sourceAmount() == null || transaction.sourceCurrency() == null) {
            return false; // Stripe gave no source object: present is all that can be said
        }
        return kind.sign * transaction.sourceAmount() != found.amount() || !transaction.sourceCurrency().equals(found.currency());
    }

    private static Difference missingInLedger(MovementKind kind, BalanceTransaction transaction, PaymentRecord record) {
        String why;
        if (record == null) {
            why = kind == MovementKind.SALE ? "the ledger has no payment with charge " + transaction.charge()
                    : "the ledger has neither it nor its payment (charge " + transaction.charge() + ")";
        } else if (!record.described()) {
            why = kind == MovementKind.SALE ? "the ledger holds only refunds or disputes of this payment, waiting for it"
                    : "its payment " + record.key() + " is not in the ledger: it waits for it";
        } else {
            why = "the ledger's payment " + record.key() + " does not have it";
        }
        return new Difference(Kind.MISSING_IN_LEDGER, kind, stripeId(transaction), transaction.id(), transaction.created(),
                transaction.amount(), transaction.currency(), null, null, why, transaction);
    }

    private static Difference amountDiffers(MovementKind kind, BalanceTransaction transaction, Found found) {
        return new Difference(Kind.AMOUNT_DIFFERS, kind, stripeId(transaction), transaction.id(), transaction.created(),
                kind.sign * transaction.sourceAmount(), transaction.sourceCurrency(), found.amount(), found.currency(),
                "Stripe's " + transaction.sourceId() + " and the ledger's record of it differ in amount (in the currency paid, "
                        + "tax included)", null);
    }

    private static String stripeId(BalanceTransaction transaction) {
        return transaction.sourceId() != null ? transaction.sourceId() : transaction.id();
    }

    // ---------------------------------------------------------------- the ledger's side

    /** The lines of one Stripe movement in the ledger: a sale's lines, a refund's, a dispute movement's. */
    private record LedgerMovement(String identity, MovementKind kind, List<LedgerLine> lines, String stripeId,
                                  String balanceTransaction) {

        /** A movement booked and taken back in full (a provisional booking replaced): nothing to find in Stripe. */
        boolean reversedToNothing() {
            return lines.stream().anyMatch(line -> line.lineId().contains(REVERSED))
                    && lines.stream().mapToLong(LedgerLine::amount).sum() == 0;
        }

        Difference missingInStripe() {
            Instant at = lines.stream().map(LedgerLine::occurredAt).min(Comparator.naturalOrder()).orElseThrow();
            String currency = lines.get(0).currency();
            long amount = lines.stream().mapToLong(LedgerLine::amount).sum();
            return new Difference(Kind.MISSING_IN_STRIPE, kind, stripeId, balanceTransaction, at, null, null, amount, currency,
                    "the ledger has " + lines.size() + " line(s) for it; Stripe's balance transactions around the month do not"
                            + " list it", null);
        }
    }

    private static Map<String, LedgerMovement> ledgerMovements(List<LedgerLine> lines, Instant from, Instant to,
                                                               Function<String, PaymentRecord> payments) {
        Map<String, LedgerMovement> movements = new LinkedHashMap<>();
        for (LedgerLine line : lines) {
            if (!within(line.occurredAt(), from, to)) {
                continue;
            }
            boolean reversal = line.lineId().contains(REVERSED);
            LineType booked = reversal ? line.type().reversed() : line.type();
            PaymentRecord record = payments.apply(line.saleId());
            String payment = record == null ? line.saleId() : record.key();
            boolean byRefundId = line.stripeId() != null && (record == null ? !line.stripeId().equals(line.saleId())
                    : !record.ids().contains(line.stripeId()));
            String base = baseId(line.lineId());
            String identity;
            MovementKind kind;
            String balanceTransaction = null;
            switch (booked) {
                case SALE, SALE_REVERSAL -> {
                    identity = "sale:" + payment;
                    kind = MovementKind.SALE;
                }
                case REFUND -> {
                    identity = byRefundId ? "refund:" + line.stripeId() : "refunds-of:" + payment;
                    kind = MovementKind.REFUND;
                }
                case REFUND_REVERSAL -> {
                    identity = byRefundId ? "refund-failure:" + line.stripeId() : "refunds-of:" + payment;
                    kind = byRefundId ? MovementKind.REFUND_FAILURE : MovementKind.REFUND;
                }
                case DISPUTE_WITHDRAWAL, DISPUTE_REINSTATEMENT -> {
                    identity = "dispute:" + base;
                    kind = booked == LineType.DISPUTE_WITHDRAWAL ? MovementKind.DISPUTE_WITHDRAWAL : MovementKind.DISPUTE_REINSTATEMENT;
                    balanceTransaction = base;
                }
                default -> throw new IllegalStateException("unknown line type " + booked);
            }
            String shownId = line.stripeId() != null ? line.stripeId() : payment;
            String txn = balanceTransaction;
            movements.computeIfAbsent(identity, id -> new LedgerMovement(id, kind, new ArrayList<>(), shownId, txn))
                    .lines().add(line);
        }
        return movements;
    }

    /** A line's movement id: {@code txn_1#2:reversed:3} books movement {@code txn_1}. */
    private static String baseId(String lineId) {
        int end = lineId.length();
        int hash = lineId.indexOf('#');
        int reversed = lineId.indexOf(REVERSED);
        if (hash >= 0) {
            end = hash;
        }
        if (reversed >= 0 && reversed < end) {
            end = reversed;
        }
        return lineId.substring(0, end);
    }

    /** Counts and amounts of one side, by kind, added up as movements are met. */
    private static final class Sums {
        private final Map<MovementKind, int[]> counts = new EnumMap<>(MovementKind.class);
        private final Map<MovementKind, Map<String, Long>> amounts = new EnumMap<>(MovementKind.class);

        void add(MovementKind kind, long amount, String currency) {
            counts.computeIfAbsent(kind, k -> new int[1])[0]++;
            amounts.computeIfAbsent(kind, k -> new TreeMap<>()).merge(currency, amount, Math::addExact);
        }

        void add(LedgerMovement movement) {
            counts.computeIfAbsent(movement.kind(), k -> new int[1])[0]++;
            Map<String, Long> byCurrency = amounts.computeIfAbsent(movement.kind(), k -> new TreeMap<>());
            movement.lines().forEach(line -> byCurrency.merge(String.valueOf(line.currency()), line.amount(), Math::addExact));
        }

        Map<MovementKind, Tally> tallies() {
            Map<MovementKind, Tally> tallies = new EnumMap<>(MovementKind.class);
            counts.forEach((kind, count) -> tallies.put(kind, new Tally(count[0], amounts.get(kind))));
            return tallies;
        }
    }

    private static PaymentRecord record(Function<String, PaymentRecord> payments, String charge, String paymentIntent) {
        PaymentRecord record = charge == null ? null : payments.apply(charge);
        return record != null || paymentIntent == null ? record : payments.apply(paymentIntent);
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }
}
