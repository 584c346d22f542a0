package dev.revshare.domain;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * Turns minor units into the amounts people read, and back. Formatting never fails: a stored line's currency
 * comes from Stripe, and one line with a code Java does not know (or none) must not stop a listing or a
 * statement from rendering, so it is shown in minor units with the code as given.
 */
public final class Money {
    private Money() {}

    /**
     * "$1,234.50" for 123450 usd; negative amounts as "-$12.00". A code that is not a currency with minor units
     * reads 'minor units of unknown currency "zzz"': no decimal point is guessed.
     */
    public static String format(long minorUnits, String currencyCode) {
        Currency currency = knownCurrency(currencyCode);
        if (currency == null) {
            return inMinorUnits(minorUnits, currencyCode);
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
        format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
        return format.format(BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits()));
    }

    /**
     * 123450 usd as "1234.50": the plain decimal in major units, for files (no symbol, no grouping); "" when the
     * code is not a currency with minor units (files carry the amount in minor units beside it).
     */
    public static String plain(long minorUnits, String currencyCode) {
        Currency currency = knownCurrency(currencyCode);
        return currency == null ? "" : BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits()).toPlainString();
    }

    /** "1234.50" in major units to 123450 minor units; refuses amounts finer than the currency allows. */
    public static long parseMajor(String amount, String currencyCode) {
        Currency currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        return new BigDecimal(amount).movePointRight(currency.getDefaultFractionDigits()).longValueExact();
    }

    /** Whether the code names a currency Java knows and that has minor units (not "xxx", "xau"). */
    public static boolean isKnownCurrency(String currencyCode) {
        return knownCurrency(currencyCode) != null;
    }

    private static Currency knownCurrency(String code) {
        if (code == null) {
            return null;
        }
        try {
            Currency currency = Currency.getInstance(code.toUpperCase(Locale.ROOT));
            return currency.getDefaultFractionDigits() < 0 ? null : currency;
        } catch (IllegalArgumentException notACurrency) {
            return null;
        }
    }

    private static String inMinorUnits(long minorUnits, String code) {
        if (code == null) {
            return minorUnits + " minor units, no currency";
        }
        // control characters (a line break, an escape) would garble a listing: shown as '?'
        return minorUnits + " minor units of unknown currency \"" + code.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
