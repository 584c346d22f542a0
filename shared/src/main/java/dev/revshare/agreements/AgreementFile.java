package dev.revshare.agreements;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.RevenueDefinition;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads an agreement YAML file, the way the tech partner writes it. Strict: an unknown field, a
 * percentage outside 0–100, an unordered schedule, an end before the start, an unknown currency or
 * time zone are refused with the line and the field named.
 */
public final class AgreementFile {
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new JavaTimeModule())
            .build();

    private AgreementFile() {}

    /** @throws InvalidAgreementException naming the source, line and field at fault */
    public static Agreement parse(String yaml, String source) {
        try {
            File file = YAML.readValue(yaml, File.class);
            if (file == null) {
                throw new InvalidAgreementException(source + ": the file is empty");
            }
            return file.toAgreement();
        } catch (JsonMappingException e) {
            throw new InvalidAgreementException(describe(source, e));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidAgreementException(source + (at == null ? "" : ": line " + at.getLineNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static String describe(String source, JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
        JsonLocation at = e.getLocation();
        String where = source + (at == null ? "" : ": line " + at.getLineNr()) + (field.isEmpty() ? "" : ": " + field);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return where + ": unknown field '" + unknown.getPropertyName() + "' (known here: "
                    + unknown.getKnownPropertyIds() + ")";
        }
        Throwable cause = e.getCause();
        String why = cause instanceof IllegalArgumentException || cause instanceof DateTimeException
                ? cause.getMessage() : e.getOriginalMessage();
        return where + ": " + why;
    }

    /** A file that cannot become an agreement; the message says where and why. */
    public static final class InvalidAgreementException extends RuntimeException {
        public InvalidAgreementException(String message) {
            super(message);
        }
    }

    // The file's shape. Each record checks its own fields, so errors carry their line.

    record File(String id, String name, PartyField expert, PartyField partner, StripeField stripe, String currency,
                String timezone, TermField term, List<SplitField> split, RevenueField revenue) {
        File {
            require(id != null && id.matches("[a-z0-9][a-z0-9-]{2,62}"),
                    "id must be 3–63 lower-case letters, digits or dashes (was " + id + ")");
            require(name != null && !name.isBlank(), "name is required");
            require(expert != null, "expert is required");
            require(partner != null, "partner is required");
            require(currency != null, "currency is required");
            try {
                Currency.getInstance(currency.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown currency '" + currency + "' (use an ISO 4217 code such as usd)");
            }
            require(timezone != null, "timezone is required (an IANA zone such as Europe/Madrid)");
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone '" + timezone + "' (use an IANA zone such as Europe/Madrid)");
            }
            require(term != null, "term is required");
            require(split != null && !split.isEmpty(), "split is required: the partner's percentage by agreement year");
            require(split.get(0).year() == 1, "split must start with year 1");
            for (int i = 1; i < split.size(); i++) {
                require(split.get(i).year() > split.get(i - 1).year(),
                        "split years must be in increasing order without repeats (year " + split.get(i).year()
                                + " follows year " + split.get(i - 1).year() + ")");
            }
        }

        Agreement toAgreement() {
            return new Agreement(id, name, expert.toParty(), partner.toParty(), stripe == null ? null : stripe.account(),
                    currency, ZoneId.of(timezone), term.start(), term.end(),
                    split.stream().map(s -> new Agreement.SplitStep(s.year(), s.partnerPercent())).toList(),
                    revenue == null ? null : revenue.toDefinition());
        }
    }

    record PartyField(String name, List<String> emails) {
        PartyField {
            require(name != null && !name.isBlank(), "name is required");
            require(emails != null && !emails.isEmpty(), "at least one statement email is required");
            for (String email : emails) {
                require(email != null && email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"), "not an email address: " + email);
            }
        }

        Agreement.Party toParty() {
            return new Agreement.Party(name, emails);
        }
    }

    record StripeField(String account) {
        StripeField {
            require(account != null && account.startsWith("acct_"), "account must be a Stripe account id (acct_…)");
        }
    }

    record TermField(LocalDate start, LocalDate end) {
        TermField {
            require(start != null, "start is required (YYYY-MM-DD)");
            require(end == null || end.isAfter(start), "end (" + end + ") must be after start (" + start + ")");
        }
    }

    record SplitField(int year, BigDecimal partnerPercent) {
        SplitField {
            require(year >= 1, "year must be 1 or more (was " + year + ")");
            require(partnerPercent != null, "partnerPercent is required");
            require(partnerPercent.signum() >= 0 && partnerPercent.compareTo(BigDecimal.valueOf(100)) <= 0,
                    "partnerPercent must be between 0 and 100 (was " + partnerPercent.toPlainString() + ")");
            require(partnerPercent.stripTrailingZeros().scale() <= 2,
                    "partnerPercent may have at most two decimals (was " + partnerPercent.toPlainString() + ")");
        }
    }

    record RevenueField(List<String> shared, Map<String, String> excluded, List<String> review,
                        Map<String, String> products, @com.fasterxml.jackson.annotation.JsonProperty("default") String defaultCategory) {
        RevenueDefinition toDefinition() {
            return new RevenueDefinition(shared, excluded, review, products, defaultCategory);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
