package dev.revshare.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void knownCurrenciesReadAsPeopleWriteThem() {
        assertThat(Money.format(123_450, "usd")).isEqualTo("$1,234.50");
        assertThat(Money.format(-1_200, "USD")).isEqualTo("-$12.00");
        assertThat(Money.plain(123_450, "usd")).isEqualTo("1234.50");
    }

    @Test
    void aCodeJavaDoesNotKnowIsShownInMinorUnitsWithTheCodeAsGivenNeverThrown() {
        assertThat(Money.format(1_250, "zzz")).isEqualTo("1250 minor units of unknown currency \"zzz\"");
        assertThat(Money.format(-1_250, "<script>")).isEqualTo("-1250 minor units of unknown currency \"<script>\"");
        assertThat(Money.format(1_250, "")).isEqualTo("1250 minor units of unknown currency \"\"");
        assertThat(Money.format(1_250, null)).isEqualTo("1250 minor units, no currency");
        // XXX ("no currency") is in ISO 4217 but has no minor unit: no decimal point is guessed
        assertThat(Money.format(1_250, "xxx")).isEqualTo("1250 minor units of unknown currency \"xxx\"");
        assertThat(Money.format(5, "u\nsd\u001b")).isEqualTo("5 minor units of unknown currency \"u?sd?\"");
    }

    @Test
    void filesLeaveTheMajorUnitAmountEmptyForACodeJavaDoesNotKnow() {
        assertThat(Money.plain(1_250, "zzz")).isEmpty();
        assertThat(Money.plain(1_250, null)).isEmpty();
        assertThat(Money.plain(1_250, "xxx")).isEmpty();
    }

    @Test
    void knowsWhichCodesAreCurrenciesWithMinorUnits() {
        assertThat(Money.isKnownCurrency("eur")).isTrue();
        assertThat(Money.isKnownCurrency("JPY")).isTrue();
        assertThat(Money.isKnownCurrency("zzz")).isFalse();
        assertThat(Money.isKnownCurrency("xxx")).isFalse();
        assertThat(Money.isKnownCurrency(null)).isFalse();
    }
}
