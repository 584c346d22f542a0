package dev.revshare.agreements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revshare.agreements.AgreementFile.InvalidAgreementException;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementFileTest {

    private static final String VALID = """
            id: sarah-course
            name: Sarah's course with Acme
            expert:
              name: Sarah Example
              emails: [sarah@example.com]
            partner:
              name: Acme Tech
              emails: [finance@acme.example, ops@acme.example]
            stripe:
              account: acct_1SarahExample
            currency: usd
            timezone: America/Los_Angeles
            term:
              start: 2026-01-01
              end: 2028-12-31
            split:
              - year: 1
                partnerPercent: 25
              - year: 2
                partnerPercent: 20.5
            revenue:
              shared: [course, membership]
              excluded:
                coaching: Sarah's own one-to-one coaching
              review: [tip]
              products:
                prod_Course: course
              default: course
            """;

    /** Every term issue 3 added: a cap, a buyout clause, three amendments, a buyout termination, a settlement period. */
    private static final String FULL = """
            id: sarah-course
            name: Sarah's course with Acme
            expert:
              name: Sarah Example
              emails: [sarah@example.com]
            partner:
              name: Acme Tech
              emails: [finance@acme.example]
            currency: usd
            timezone: Europe/Madrid
            term:
              start: 2026-01-01
              end: 2028-12-31
              settlementDays: 90
            split:
              - year: 1
                partnerPercent: 25
              - year: 2
                partnerPercent: 20
            cap:
              perAgreementYear: "20000.00"
            buyout:
              multiple: 2.5
            amendments:
              - effective: 2026-07-01
                split:
                  - year: 2
                    partnerPercent: 22.5
              - effective: 2027-03-01
                cap:
                  perAgreementYear: "15000.50"
              - effective: 2027-09-01
                cap:
                  perAgreementYear: none
                revenue:
                  shared: [course]
            termination:
              type: buyout
              effective: 2028-06-30
            """;

    @Test
    void aFileThatIsNoAgreementIsSaidSoInASentence() {
        for (String notAnAgreement : new String[] {"- id: a\n- id: b\n", "just some words\n"}) {
            assertThatThrownBy(() -> AgreementFile.parse(notAnAgreement, "notes.yaml"))
                    .isInstanceOf(AgreementFile.InvalidAgreementException.class)
                    .hasMessageStartingWith("notes.yaml: not an agreement: an agreement file is a set of fields")
                    .hasMessageNotContaining("Cannot construct");
        }
    }

    @Test
    void parsesCapBuyoutAmendmentsTerminationAndSettlementDays() {
        Agreement agreement = AgreementFile.parse(FULL, "full.yaml");

        // "20000.00" usd is 2,000,000 cents; "15000.50" is 1,500,050
        assertThat(agreement.capPerAgreementYear()).isEqualTo(2_000_000L);
        assertThat(agreement.buyoutMultiple()).isEqualByComparingTo("2.5");
        assertThat(agreement.settlementDays()).isEqualTo(90);
        assertThat(agreement.termination())
                .isEqualTo(new Agreement.Termination(Agreement.Termination.Type.BUYOUT, LocalDate.of(2028, 6, 30)));
        assertThat(agreement.amendments()).hasSize(3);
        assertThat(agreement.amendments().get(0)).isEqualTo(new Agreement.Amendment(LocalDate.of(2026, 7, 1),
                List.of(new Agreement.SplitStep(2, new BigDecimal("22.5"))), null, false, null));
        assertThat(agreement.amendments().get(1)).isEqualTo(new Agreement.Amendment(LocalDate.of(2027, 3, 1),
                List.of(), 1_500_050L, false, null));
        assertThat(agreement.amendments().get(2)).satisfies(lift -> {
            assertThat(lift.effective()).isEqualTo(LocalDate.of(2027, 9, 1));
            assertThat(lift.split()).isEmpty();
            assertThat(lift.cap()).isNull();
            assertThat(lift.removeCap()).isTrue();
            assertThat(lift.revenue().shared()).containsExactly("course");
        });
        // what the terms mean: a buyout ends the term and settles everything on its date
        assertThat(agreement.lastDay()).isEqualTo(LocalDate.of(2028, 6, 30));
        assertThat(agreement.settlementEnd()).isEqualTo(LocalDate.of(2028, 6, 30));
        assertThat(agreement.partnerRate(LocalDate.of(2027, 1, 1))).isEqualByComparingTo("0.225");
        // cap amendments count from the first agreement year starting on or after them:
        // 2027-03-01 is inside year 2 (from 2027-01-01), so year 2 keeps 20,000.00; year 3 (2028) is after the
        // 2027-09-01 lift and has none
        assertThat(agreement.capFor(1)).isEqualTo(2_000_000L);
        assertThat(agreement.capFor(2)).isEqualTo(2_000_000L);
        assertThat(agreement.capFor(3)).isNull();
        assertThat(agreement.revenueOn(LocalDate.of(2027, 9, 1)).classify("coaching").classification())
                .isEqualTo(Classification.REVIEW);
    }

    @Test
    void aFileWithoutTheNewTermsHasNoCapNoAmendmentsAndTheDefaultSettlementPeriod() {
        Agreement agreement = AgreementFile.parse(VALID, "sarah-course.yaml");

        assertThat(agreement.capPerAgreementYear()).isNull();
        assertThat(agreement.buyoutMultiple()).isNull();
        assertThat(agreement.amendments()).isEmpty();
        assertThat(agreement.termination()).isNull();
        assertThat(agreement.settlementDays()).isEqualTo(120);
        assertThat(agreement.settlementEnd()).isEqualTo(LocalDate.of(2028, 12, 31).plusDays(120));
    }

    @Test
    void refusesACapWithMoreDecimalsThanTheCurrencyHas() {
        String yaml = FULL.replace("\"20000.00\"", "\"12.345\"");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 21: cap.perAgreementYear: must be an amount in USD with at most the"
                        + " currency's decimals, such as \"20000.00\" (was 12.345)");
    }

    @Test
    void refusesAnAmendmentDatedBeforeTheTermStarts() {
        String yaml = FULL.replace("effective: 2026-07-01", "effective: 2025-12-15");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 25: amendments[0].effective: must be after the term's start (2026-01-01)");
    }

    @Test
    void refusesAmendmentsOutOfDateOrder() {
        String yaml = FULL.replace("effective: 2027-03-01", "effective: 2026-05-01");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 29: amendments[1].effective: amendments must be in date order, one per date");
    }

    @Test
    void refusesAnUnknownTerminationType() {
        String yaml = FULL.replace("type: buyout", "type: divorce");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 38: termination.type: must be one of [expiry, buyout, mutual, breach]"
                        + " (was divorce)");
    }

    @Test
    void refusesATerminationAfterTheTermEnds() {
        String yaml = FULL.replace("effective: 2028-06-30", "effective: 2029-01-15");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 39: termination.effective: must be on or before the term's end (2028-12-31)");
    }

    @Test
    void refusesABuyoutTerminationWithoutABuyoutMultiple() {
        String yaml = FULL.replace("buyout:\n  multiple: 2.5\n", "");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 36: termination.type: a buyout needs buyout.multiple, which prices it");
    }

    @Test
    void refusesAnAmendmentThatChangesNothing() {
        String yaml = FULL.replace("""
                  - effective: 2027-03-01
                    cap:
                      perAgreementYear: "15000.50"
                """, """
                  - effective: 2027-03-01
                """);

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 29: amendments[1].effective: changes nothing: give split, cap or revenue");
    }

    @Test
    void refusesAnAmendmentWhoseSplitListIsEmpty() {
        String yaml = FULL.replace("""
                  - effective: 2027-03-01
                    cap:
                      perAgreementYear: "15000.50"
                """, """
                  - effective: 2027-03-01
                    split: []
                """);

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 29: amendments[1].effective: changes nothing: give split, cap or revenue");
    }

    @Test
    void parsesEveryFieldOfAValidFile() {
        Agreement agreement = AgreementFile.parse(VALID, "sarah-course.yaml");

        assertThat(agreement.id()).isEqualTo("sarah-course");
        assertThat(agreement.name()).isEqualTo("Sarah's course with Acme");
        assertThat(agreement.expert()).isEqualTo(new Agreement.Party("Sarah Example", List.of("sarah@example.com")));
        assertThat(agreement.partner().emails()).containsExactly("finance@acme.example", "ops@acme.example");
        assertThat(agreement.stripeAccount()).isEqualTo("acct_1SarahExample");
        assertThat(agreement.currency()).isEqualTo("usd");
        assertThat(agreement.timezone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
        assertThat(agreement.termStart()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(agreement.termEnd()).isEqualTo(LocalDate.of(2028, 12, 31));
        assertThat(agreement.split()).containsExactly(
                new Agreement.SplitStep(1, new BigDecimal("25")), new Agreement.SplitStep(2, new BigDecimal("20.5")));
        assertThat(agreement.partnerRate(agreement.agreementYearStart(1))).isEqualByComparingTo("0.25");
        assertThat(agreement.partnerRate(agreement.agreementYearStart(3))).isEqualByComparingTo("0.205");
        assertThat(agreement.revenue().shared()).containsExactly("course", "membership");
        assertThat(agreement.revenue().excluded()).isEqualTo(Map.of("coaching", "Sarah's own one-to-one coaching"));
        assertThat(agreement.revenue().review()).containsExactly("tip");
        assertThat(agreement.revenue().products()).isEqualTo(Map.of("prod_Course", "course"));
        assertThat(agreement.revenue().defaultCategory()).isEqualTo("course");
        assertThat(agreement.revenue().classify(null).classification()).isEqualTo(Classification.SHARED);
    }

    @Test
    void refusesAnUnknownFieldNamingItsLine() {
        String yaml = VALID.replace("currency: usd", "currency: usd\ncurency: eur");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessageStartingWith("a.yaml: line 12: curency: unknown field 'curency' (known here: ")
                .hasMessageContaining("currency");
    }

    @Test
    void refusesAPartnerPercentAbove100NamingItsLineAndField() {
        String yaml = VALID.replace("partnerPercent: 25", "partnerPercent: 130");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 18: split[0].partnerPercent: must be between 0 and 100 (was 130)");
    }

    @Test
    void refusesSplitYearsOutOfOrder() {
        String yaml = VALID.replace("""
                  - year: 2
                    partnerPercent: 20.5
                """, """
                  - year: 3
                    partnerPercent: 15
                  - year: 2
                    partnerPercent: 20.5
                """);

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 21: split[2].year: split years must be in increasing order without repeats"
                        + " (year 2 follows year 3)");
    }

    @Test
    void refusesATermThatEndsBeforeItStarts() {
        String yaml = VALID.replace("end: 2028-12-31", "end: 2025-06-30");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 15: term.end: end (2025-06-30) must be after start (2026-01-01)");
    }

    @Test
    void refusesAnUnknownCurrency() {
        String yaml = VALID.replace("currency: usd", "currency: xyz");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 11: currency: unknown currency 'xyz' (use an ISO 4217 code such as usd)");
    }

    @Test
    void refusesAnUnknownTimeZone() {
        String yaml = VALID.replace("America/Los_Angeles", "Mars/Olympus");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 12: timezone: unknown time zone 'Mars/Olympus' (use an IANA zone such as Europe/Madrid)");
    }

    @Test
    void refusesABadEmailInFlowStyleNamingItsLine() {
        String yaml = VALID.replace("""
                expert:
                  name: Sarah Example
                  emails: [sarah@example.com]
                """, """
                expert: {name: Sarah Example, emails: [sarah@example.com, sarah-at-example]}
                """);

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 3: expert.emails[1]: not an email address: sarah-at-example");
    }

    @Test
    void refusesAMissingFieldNamingTheLineOfItsParent() {
        String yaml = VALID.replace("  start: 2026-01-01\n", "");

        assertThatThrownBy(() -> AgreementFile.parse(yaml, "a.yaml"))
                .isInstanceOf(InvalidAgreementException.class)
                .hasMessage("a.yaml: line 13: term.start: is required (YYYY-MM-DD)");
    }
}
