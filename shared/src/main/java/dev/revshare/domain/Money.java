package dev.revshare.domain;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/** Turns minor units into the amounts people read, and back. */
public final class Money {
    private Money() {}

    /** "$1,234.50" for 123450 usd; negative amounts as "-$12.00". */
    public static String format(long minorUnits, String currencyCode) {
        Currency currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
        format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
        return format.format(BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits()));
    }

    /** 123450 usd as "1234.50": the plain decimal in major units, for files (no symbol, no grouping). */
    public static String plain(long minorUnits, String currencyCode) {
        Currency currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits()).toPlainString();
    }

    /** "1234.50" in major units to 123450 minor units; refuses amounts finer than the currency allows. */
    public static long parseMajor(String amount, String currencyCode) {
        Currency currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        return new BigDecimal(amount).movePointRight(currency.getDefaultFractionDigits()).longValueExact();
    }
}
