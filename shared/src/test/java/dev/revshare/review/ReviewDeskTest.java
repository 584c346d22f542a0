package dev.revshare.review;

import dev.revshare.stripe.StripeLookup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.ingest.BookingResult;
import dev.revshare.ingest.StripeWebhook;
import dev.revshare.testing.TestLedger;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.time.SettableClock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Payments held for review, resolved by the parties, and counted on the next statement as prior-period adjustments. */
class ReviewDeskTest {
    private static final String SECRET = "whsec_review";
    private static final String YAML = """
            id: review-coach
            name: Coach x Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Studio, emails: [books@studio.example]}
            stripe: {account: acct_1ReviewCoach}
            currency: usd
            timezone: UTC
            term: {start: 2026-01-01}
            split: [{year: 1, partnerPercent: 25}]
            revenue:
              shared: [course]
              review: [tip]
            """;
    private static final Instant SEPTEMBER_SALE = Instant.parse("2026-09-10T10:00:00Z");
    private static final Instant SEPTEMBER_CLOSE = Instant.parse("2026-10-02T06:00:00Z");
    private static final Instant RESOLVED_AT = Instant.parse("2026-10-15T09:00:00Z");
    private static final Instant OCTOBER_CLOSE = Instant.parse("2026-11-02T06:00:00Z");

    private final SettableClock clock = new SettableClock(SEPTEMBER_SALE);
    private final StatementCalculator calculator = new StatementCalculator();
    private DynamoDbStores store;
    private Agreement agreement;
    private ReviewDesk desk;

    @BeforeEach
    void freshTable() {
        store = LocalDynamoDb.newStore();
        agreement = AgreementFile.parse(YAML, "review-coach.yaml");
        store.agreements().put(agreement, Instant.parse("2026-01-01T00:00:00Z"));
        desk = new ReviewDesk(store.agreements(), store.ledger(), store.bookings(), clock);
        StripeWebhook ingestion = StripeWebhook.of(store.agreements(), store.bookings(), () -> SECRET, StripeLookup.NONE, clock);
        for (String body : List.of(
                SampleStripeEvents.chargeSucceeded("evt_tip", "acct_1ReviewCoach", "ch_tip", "pi_tip", 10_000, "usd",
                        SEPTEMBER_SALE, "tip", "cus_1"),
                SampleStripeEvents.chargeSucceeded("evt_course", "acct_1ReviewCoach", "ch_course", "pi_course", 40_000, "usd",
                        SEPTEMBER_SALE, "course", "cus_2"))) {
            BookingResult result = ingestion.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, SEPTEMBER_SALE), body);
            assertThat(result.outcome()).isEqualTo(BookingResult.Outcome.RECORDED);
        }
    }

    @Test
    void aHeldPaymentIsListedWithItsReasonUntilResolved() {
        clock.set(RESOLVED_AT);
        assertThat(desk.held(agreement)).singleElement().satisfies(held -> {
            assertThat(held.saleId()).isEqualTo("pi_tip");
            assertThat(held.heldAmount()).isEqualTo(10_000);
            assertThat(held.reasons()).containsExactly("Held for review: tip");
        });

        desk.resolve(agreement, "ch_tip", Classification.SHARED, "Tips for course sessions are course revenue");

        assertThat(desk.held(agreement)).isEmpty();
    }

    @Test
    void aResolutionShowsOnTheNextStatementAsAPriorPeriodAdjustmentAndChangesNoIssuedStatement() {
        Statement september = close(YearMonth.of(2026, 9), SEPTEMBER_CLOSE, null);
        assertThat(september.totals().pendingReview()).isEqualTo(10_000);
        assertThat(september.totals().partnerShare()).isEqualTo(10_000); // 25 % of the course only

        clock.set(RESOLVED_AT);
        desk.resolve(agreement, "pi_tip", Classification.SHARED, "Tips for course sessions are course revenue");
        Statement october = close(YearMonth.of(2026, 10), OCTOBER_CLOSE, september);

        assertThat(october.lines()).singleElement().satisfies(line -> {
            assertThat(line.lineId()).isEqualTo("pi_tip:resolved");
            assertThat(line.priorPeriod()).isTrue();
            assertThat(line.classification()).isEqualTo(Classification.SHARED);
            assertThat(line.reason()).isEqualTo("Resolved as shared: Tips for course sessions are course revenue");
        });
        assertThat(october.totals().grossSales()).isEqualTo(10_000);
        assertThat(october.totals().partnerShare()).isEqualTo(2_500);
        // and only once: November has nothing more of it
        Statement november = close(YearMonth.of(2026, 11), Instant.parse("2026-12-02T06:00:00Z"), october);
        assertThat(november.lines()).isEmpty();
    }

    @Test
    void resolvedAsExcludedItLeavesTheSplitAloneAndSaysWhy() {
        Statement september = close(YearMonth.of(2026, 9), SEPTEMBER_CLOSE, null);
        clock.set(RESOLVED_AT);
        desk.resolve(agreement, "ch_tip", Classification.EXCLUDED, "Personal gift");
        Statement october = close(YearMonth.of(2026, 10), OCTOBER_CLOSE, september);

        assertThat(october.totals().partnerShare()).isZero();
        assertThat(october.totals().excluded()).isEqualTo(10_000);
        assertThat(october.lines()).singleElement().extracting(Statement.StatementLine::reason)
                .isEqualTo("Resolved as excluded: Personal gift");
    }

    @Test
    void aPaymentNotHeldUnknownOrResolvedAlreadyIsRefusedWithTheReason() {
        clock.set(RESOLVED_AT);
        assertThatThrownBy(() -> desk.resolve(agreement, "pi_course", Classification.SHARED, null))
                .hasMessageContaining("not held for review");
        assertThatThrownBy(() -> desk.resolve(agreement, "pi_nothing", Classification.SHARED, null))
                .hasMessageContaining("no payment with id pi_nothing");
        desk.resolve(agreement, "pi_tip", Classification.SHARED, null);
        assertThatThrownBy(() -> desk.resolve(agreement, "ch_tip", Classification.EXCLUDED, null))
                .hasMessageContaining("resolved already, as shared");
        assertThat(store.ledger().resolutions("review-coach")).hasSize(1);
    }

    @Test
    void aPaymentInACurrencyCodeNoOneKnowsIsListedWithTheCodeAsGivenAndCannotBeResolved() {
        Instant at = SEPTEMBER_SALE.plusSeconds(60);
        for (String currency : List.of("zzz", "<script>")) {
            String id = "ch_" + currency.replaceAll("\\W", "");
            TestLedger.record(store.bookings(), new LedgerLine(agreement.id(), id, id, LineType.SALE, 5_000, currency, at, at,
                    at, "course", "cus_3", "evt_" + id));
        }
        clock.set(RESOLVED_AT);

        List<ReviewDesk.HeldPayment> held = desk.held(agreement);

        assertThat(held).extracting(ReviewDesk.HeldPayment::saleId, ReviewDesk.HeldPayment::currency,
                        ReviewDesk.HeldPayment::heldAmount, ReviewDesk.HeldPayment::reasons)
                .containsExactly(
                        tuple("pi_tip", "usd", 10_000L, List.of("Held for review: tip")),
                        tuple("ch_script", "<script>", 5_000L,
                                List.of("currency: \"<script>\" is not a currency code; amounts add up only in the agreement's USD")),
                        tuple("ch_zzz", "zzz", 5_000L,
                                List.of("currency: \"zzz\" is not a currency code; amounts add up only in the agreement's USD")));
        assertThatThrownBy(() -> desk.resolve(agreement, "ch_script", Classification.SHARED, null))
                .hasMessageContaining("was paid in <SCRIPT> and Stripe gave no amount in USD");
    }

    private Statement close(YearMonth month, Instant closedAt, Statement previous) {
        return calculator.compute(agreement, month, closedAt, previous,
                store.ledger().recordedBetween(agreement.id(), Instant.parse("2026-01-01T00:00:00Z"), closedAt),
                store.ledger().resolutions(agreement.id()));
    }
}
