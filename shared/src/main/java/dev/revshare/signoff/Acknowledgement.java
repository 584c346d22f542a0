package dev.revshare.signoff;

import dev.revshare.domain.Side;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/** A party's "agreed" to an issued statement: recorded once, never taken back. */
public record Acknowledgement(String agreementId, YearMonth period, Side side, Instant at) {
    public Acknowledgement {
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(at, "at");
    }
}
