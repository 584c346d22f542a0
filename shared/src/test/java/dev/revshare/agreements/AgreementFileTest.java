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
