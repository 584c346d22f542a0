package dev.revshare.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Splits an amount over parts in proportion to their weights, to the minor unit, so that the parts
 * always add up to the amount exactly: each part gets the floor of its exact share, and the cents left
 * go one each to the parts with the largest remainders (the earlier part on a tie).
 */
public final class Allocation {
    private Allocation() {}

    /**
     * @param amount  signed, in minor units
     * @param weights non-negative; when they are all 0, the whole amount goes to the first part
     */
    public static long[] spread(long amount, long[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("nothing to spread " + amount + " over");
        }
        long[] parts = new long[weights.length];
        BigInteger total = BigInteger.ZERO;
        for (long weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight " + weight);
            }
            total = total.add(BigInteger.valueOf(weight));
        }
        if (total.signum() == 0) {
            parts[0] = amount;
            return parts;
        }
        long magnitude = Math.abs(amount);
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] divided = BigInteger.valueOf(magnitude).multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(total);
            parts[i] = divided[0].longValueExact();
            remainders[i] = divided[1];
            given += parts[i];
        }
        Integer[] order = new Integer[weights.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> remainders[b].compareTo(remainders[a]) != 0
                ? remainders[b].compareTo(remainders[a]) : Integer.compare(a, b));
        for (int k = 0; given < magnitude; k++, given++) {
            parts[order[k]]++;
        }
        if (amount < 0) {
            for (int i = 0; i < parts.length; i++) {
                parts[i] = -parts[i];
            }
        }
        return parts;
    }

    /**
     * An amount in the payment's currency at the rate Stripe settled the payment at ({@code settled} for
     * {@code paid}), half-up to the minor unit: the one rounding step of a currency conversion.
     */
    public static long convert(long amount, long settled, long paid) {
        if (paid == 0) {
            return 0;
        }
        return new BigDecimal(amount).multiply(new BigDecimal(settled))
                .divide(new BigDecimal(paid), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
