package dev.revshare.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.domain.Classification;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.signoff.Objection;
import dev.revshare.domain.Side;
import dev.revshare.signoff.SignOffState;
import dev.revshare.signoff.SignOffs;
import dev.revshare.statements.MonthComputation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/**
 * An objection made on the page, settled with an adjustment: the issued statement stays as it was, the next statement
 * carries the adjustment as a line that changes the partner's share alone (partner + expert = net revenue still), and
 * the settled statement is final. On DynamoDB Local, through the real statements run.
 */
class ObjectionSettledOnTheNextStatementTest {

    @Test
    void aSettledObjectionAdjustsTheNextStatementAndNeverTheIssuedOne() {
        PageWorld world = new PageWorld();
        String partner = world.token(world.sarah, Side.PARTNER);
        String october = Json.write(world.store.statements().find(world.sarah.id(), PageWorld.OCTOBER).orElseThrow().statement());
        world.post("/p/" + partner + "/statements/2026-10/object", "csrf=" + world.tokens.formToken(partner)
                + "&line=re_oct2&reason=" + URLEncoder.encode("the refund was of another agreement's sale", StandardCharsets.UTF_8));
        Objection objection = world.signOffStore.objections(world.sarah.id()).get(0);

        world.clock.set(Instant.parse("2026-11-25T09:00:00Z"));
        Objection settled = world.signOffs.resolve(world.sarah.id(), objection.id(), 7_425, "refund re_oct2 belongs to another agreement", "ops");
        assertThat(settled.resolution().partnerAdjustment()).isEqualTo(7_425);
        assertThatThrownBy(() -> world.signOffs.resolve(world.sarah.id(), objection.id(), 0, "again", "ops"))
                .isInstanceOf(SignOffs.SignOffException.class).hasMessageContaining("a resolution is final");
        assertThatThrownBy(() -> world.signOffs.resolve(world.sarah.id(), "2026-10-partner-1", 0, "x", "ops"))
                .isInstanceOf(SignOffs.SignOffException.class).hasMessageContaining("has no objection");
        SignOffState state = world.signOffs.state(world.sarah, world.store.statements().findWithoutLines(world.sarah.id(),
                PageWorld.OCTOBER).orElseThrow());
        assertThat(state.status()).isEqualTo(SignOffState.Status.FINAL);

        // December's closing day: November closes with the adjustment
        Instant closing = Instant.parse("2026-12-05T06:00:00Z");
        world.clock.set(closing);
        Statement octoberStored = world.store.statements().find(world.sarah.id(), PageWorld.OCTOBER).orElseThrow().statement();
        Statement withoutAdjustment = new MonthComputation(world.store.agreements(), world.store.ledger())
                .compute(world.sarah, YearMonth.of(2026, 11), octoberStored, closing);
        world.run.run(closing, null, world.sarah.id());

        Statement november = world.store.statements().find(world.sarah.id(), YearMonth.of(2026, 11)).orElseThrow().statement();
        assertThat(Json.write(world.store.statements().find(world.sarah.id(), PageWorld.OCTOBER).orElseThrow().statement()))
                .as("the issued statement never changes").isEqualTo(october);
        assertThat(november.lines()).filteredOn(l -> l.type() == LineType.ADJUSTMENT).singleElement().satisfies(line -> {
            assertThat(line.lineId()).isEqualTo("objection:" + objection.id());
            assertThat(line.amount()).isEqualTo(7_425);
            assertThat(line.classification()).isEqualTo(Classification.SHARED);
            assertThat(line.priorPeriod()).isTrue();
            assertThat(line.reason()).isEqualTo("Objection to the statement for 2026-10 settled: refund re_oct2 belongs to another agreement");
        });
        assertThat(november.totals().netRevenue()).isEqualTo(withoutAdjustment.totals().netRevenue());
        assertThat(november.totals().grossSales()).isEqualTo(withoutAdjustment.totals().grossSales());
        assertThat(november.totals().partnerShare()).isEqualTo(withoutAdjustment.totals().partnerShare() + 7_425);
        assertThat(november.totals().partnerShare() + november.totals().expertShare()).isEqualTo(november.totals().netRevenue());
        // on the page, the settled objection and the statement that carries it
        String html = world.get("/p/" + partner).bodyText();
        assertThat(html).contains("resolved: the partner&#39;s share adjusted by $74.25 on the next statement",
                "Statement for November 2026");

        // December's statement does not carry it again
        Instant january = Instant.parse("2027-01-05T06:00:00Z");
        world.clock.set(january);
        world.run.run(january, null, world.sarah.id());
        assertThat(world.store.statements().find(world.sarah.id(), YearMonth.of(2026, 12)).orElseThrow().statement().lines())
                .noneMatch(l -> l.type() == LineType.ADJUSTMENT);
    }
}
