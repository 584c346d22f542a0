package dev.revshare.signoff;

import dev.revshare.domain.Side;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SignOffStore} must do: each write once (an acknowledgement per party and month, an objection per
 * id, a resolution per objection), and the reads the page, the command line and the next statement rely on. The
 * DynamoDB repository and the in-memory store both pass it.
 */
abstract class SignOffStoreContract {
    static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final Instant AT = Instant.parse("2026-11-06T10:15:30.123Z");

    abstract SignOffStore freshStore();

    SignOffStore store;

    @BeforeEach
    void fresh() {
        store = freshStore();
    }

    @Test
    void eachPartyAcknowledgesAStatementOnce() {
        assertThat(store.acknowledge(new Acknowledgement("a", OCTOBER, Side.PARTNER, AT))).isTrue();
        assertThat(store.acknowledge(new Acknowledgement("a", OCTOBER, Side.PARTNER, AT.plusSeconds(60)))).isFalse();
        assertThat(store.acknowledge(new Acknowledgement("a", OCTOBER, Side.EXPERT, AT.plusSeconds(5)))).isTrue();
        assertThat(store.acknowledge(new Acknowledgement("a", SEPTEMBER, Side.EXPERT, AT))).isTrue();

        assertThat(store.acknowledgements("a", OCTOBER)).containsExactly(
                new Acknowledgement("a", OCTOBER, Side.EXPERT, AT.plusSeconds(5)),
                new Acknowledgement("a", OCTOBER, Side.PARTNER, AT));
        assertThat(store.acknowledgements("b", OCTOBER)).isEmpty();
        assertThat(store.acknowledgements("a", YearMonth.of(2026, 8))).isEmpty();
    }

    @Test
    void anObjectionIsRecordedOnceAndResolvedOnce() {
        Objection objection = objection("a", OCTOBER, Side.EXPERT, AT, List.of("ch_1", "re_2"));
        assertThat(store.object(objection)).isTrue();
        assertThat(store.object(objection)).isFalse();
        assertThat(store.objection("a", objection.id())).contains(objection);
        assertThat(store.objection("b", objection.id())).isEmpty();
        assertThat(store.objection("a", "2026-10-expert-1")).isEmpty();
        assertThat(store.objection("a", "not-an-id")).isEmpty();

        Objection.Resolution resolution = new Objection.Resolution(-1_250, "refund was counted twice", AT.plusSeconds(3600), "ops");
        assertThat(store.resolve("a", objection.id(), resolution)).isTrue();
        assertThat(store.resolve("a", objection.id(), new Objection.Resolution(0, "again", AT.plusSeconds(7200), "ops"))).isFalse();
        assertThat(store.resolve("a", "2026-10-expert-1", resolution)).isFalse();
        assertThat(store.objection("a", objection.id())).contains(objection.resolved(resolution));
    }

    @Test
    void objectionsAreListedByMonthThenTimeForTheirAgreementOnly() {
        Objection late = objection("a", OCTOBER, Side.PARTNER, AT.plusSeconds(10), List.of());
        Objection early = objection("a", OCTOBER, Side.EXPERT, AT, List.of("ch_1"));
        Objection september = objection("a", SEPTEMBER, Side.EXPERT, AT.plusSeconds(99), List.of());
        Objection other = objection("b", OCTOBER, Side.EXPERT, AT, List.of());
        for (Objection o : List.of(late, early, september, other)) {
            assertThat(store.object(o)).isTrue();
        }
        store.acknowledge(new Acknowledgement("a", OCTOBER, Side.EXPERT, AT));

        assertThat(store.objections("a")).containsExactly(september, early, late);
        assertThat(store.objections("b")).containsExactly(other);
        assertThat(store.objections("c")).isEmpty();
    }

    @Test
    void anObjectionStoredWithAResolutionIsStoredOpen() {
        Objection resolvedAlready = objection("a", OCTOBER, Side.EXPERT, AT, List.of())
                .resolved(new Objection.Resolution(5, "x", AT, "ops"));
        assertThat(store.object(resolvedAlready)).isTrue();
        assertThat(store.objection("a", resolvedAlready.id())).get().extracting(Objection::open).isEqualTo(true);
    }

    static Objection objection(String agreementId, YearMonth period, Side side, Instant at, List<String> lines) {
        return new Objection(agreementId, period, Objection.newId(period, side, at), side, at, lines,
                "the refund of ch_1 is counted twice; \"quotes\" & <markup> kept as written", null);
    }
}
