package dev.revshare.agreements;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.PayoutTerms;
import dev.revshare.domain.RevenueDefinition;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an agreement YAML file, the way the tech partner writes it. Strict: an unknown field, a
 * percentage outside 0–100, an unordered schedule or amendment list, an end before the start, a date
 * outside the term, an unknown currency or time zone are refused with the line and the field named.
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
            JsonNode document = YAML.readTree(yaml);
            if (document != null && !document.isMissingNode() && !document.isNull() && !document.isObject()) {
                throw new InvalidAgreementException(source + ": not an agreement: an agreement file is a set of fields "
                        + "(id, name, expert, partner, stripe, currency, timezone, term, split, revenue, payouts), and this file is "
                        + (document.isArray() ? "a list" : "a single value") + "; see examples/agreements/ and the README's "
                        + "\"The agreement file\"");
            }
            File file = YAML.readValue(yaml, File.class);
            if (file == null) {
                throw new InvalidAgreementException(source + ": the file is empty");
            }
            return file.toAgreement();
        } catch (JsonMappingException e) {
            throw new InvalidAgreementException(describe(yaml, source, e));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidAgreementException(source + (at == null ? "" : ": line " + at.getLineNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static String describe(String yaml, String source, JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
        }
        Throwable cause = e.getCause();
        String why;
        if (e instanceof UnrecognizedPropertyException unknown) {
            why = "unknown field '" + unknown.getPropertyName() + "' (known here: " + unknown.getKnownPropertyIds() + ")";
        } else if (cause instanceof FieldProblem problem) {
            path.addAll(problem.field);
            why = problem.getMessage();
        } else if (cause instanceof IllegalArgumentException || cause instanceof DateTimeException) {
            why = cause.getMessage();
        } else {
            why = e.getOriginalMessage();
        }
        // Jackson reports where it stood when the check failed (often the end of the enclosing object),
        // so the line is looked up from the field's path instead
        Integer line = lineOf(yaml, path);
        JsonLocation at = e.getLocation();
        if (line == null && at != null) {
            line = at.getLineNr();
        }
        return source + (line == null ? "" : ": line " + line) + (path.isEmpty() ? "" : ": " + display(path)) + ": " + why;
    }

    /** "split[1].year" */
    private static String display(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object segment : path) {
            text.append(segment instanceof Integer index ? "[" + index + "]" : (text.isEmpty() ? "" : ".") + segment);
        }
        return text.toString();
    }

    /** The line where the field at this path (or, when it is missing, its closest parent) is written. */
    private static Integer lineOf(String yaml, List<Object> path) {
        for (int length = path.size(); length > 0; length--) {
            List<Object> wanted = path.subList(0, length);
            try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
                while (parser.nextToken() != null) {
                    if (pathOf(parser.getParsingContext()).equals(wanted)) {
                        return parser.currentTokenLocation().getLineNr();
                    }
                }
            } catch (IOException unreadable) {
                return null;
            }
        }
        return null;
    }

    private static List<Object> pathOf(JsonStreamContext context) {
        LinkedList<Object> path = new LinkedList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                path.addFirst(c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                path.addFirst(c.getCurrentIndex());
            }
        }
        return path;
    }

    /** A file that cannot become an agreement; the message says where and why. */
    public static final class InvalidAgreementException extends RuntimeException {
        public InvalidAgreementException(String message) {
            super(message);
        }
    }

    // The file's shape. Each record checks its own fields, so errors carry their line.

    record File(String id, String name, PartyField expert, PartyField partner, StripeField stripe, String currency,
                String timezone, TermField term, List<SplitField> split, CapField cap, RevenueField revenue,
                BuyoutField buyout, List<AmendmentField> amendments, TerminationField termination,
                SignOffField signOff, PayoutsField payouts) {
        File {
            require(id != null && id.matches("[a-z0-9][a-z0-9-]{2,62}"),
                    "must be 3–63 lower-case letters, digits or dashes (was " + id + ")", "id");
            require(name != null && !name.isBlank(), "is required", "name");
            require(expert != null, "is required", "expert");
            require(partner != null, "is required", "partner");
            require(currency != null, "is required", "currency");
            try {
                Currency.getInstance(currency.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new FieldProblem("unknown currency '" + currency + "' (use an ISO 4217 code such as usd)", "currency");
            }
            require(timezone != null, "is required (an IANA zone such as Europe/Madrid)", "timezone");
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new FieldProblem("unknown time zone '" + timezone + "' (use an IANA zone such as Europe/Madrid)", "timezone");
            }
            require(term != null, "is required", "term");
            require(split != null && !split.isEmpty(), "is required: the partner's percentage by agreement year", "split");
            require(split.get(0).year() == 1, "must start with year 1", "split", 0, "year");
            for (int i = 1; i < split.size(); i++) {
                require(split.get(i).year() > split.get(i - 1).year(),
                        "split years must be in increasing order without repeats (year " + split.get(i).year()
                                + " follows year " + split.get(i - 1).year() + ")", "split", i, "year");
            }
            if (cap != null) {
                require(!cap.removes(), "a cap is a decimal amount such as \"20000.00\"", "cap", "perAgreementYear");
                cap.amount(currency, "cap");
            }
            LocalDate lastDay = term.end();
            if (termination != null) {
                require(!termination.effective().isBefore(term.start()),
                        "must be on or after the term's start (" + term.start() + ")", "termination", "effective");
                require(term.end() == null || !termination.effective().isAfter(term.end()),
                        "must be on or before the term's end (" + term.end() + ")", "termination", "effective");
                require(!"buyout".equals(termination.type()) || buyout != null,
                        "a buyout needs buyout.multiple, which prices it", "termination", "type");
                lastDay = termination.effective();
            }
            if (amendments != null) {
                for (int i = 0; i < amendments.size(); i++) {
                    AmendmentField amendment = amendments.get(i);
                    require(amendment.effective().isAfter(term.start()),
                            "must be after the term's start (" + term.start() + ")", "amendments", i, "effective");
                    require(lastDay == null || !amendment.effective().isAfter(lastDay),
                            "must be on or before the term's last day (" + lastDay + ")", "amendments", i, "effective");
                    require(i == 0 || amendment.effective().isAfter(amendments.get(i - 1).effective()),
                            "amendments must be in date order, one per date", "amendments", i, "effective");
                    if (amendment.cap() != null && !amendment.cap().removes()) {
                        amendment.cap().amount(currency, "amendments", i, "cap");
                    }
                }
            }
        }

        Agreement toAgreement() {
            return new Agreement(id, name, expert.toParty(), partner.toParty(), stripe == null ? null : stripe.account(),
                    currency, ZoneId.of(timezone), term.start(), term.end(), steps(split),
                    revenue == null ? null : revenue.toDefinition(),
                    cap == null ? null : cap.amount(currency, "cap"),
                    amendments == null ? List.of() : amendments.stream().map(a -> a.toAmendment(currency)).toList(),
                    termination == null ? null : termination.toTermination(),
                    buyout == null ? null : buyout.multiple(),
                    term.settlementDays() == null ? Agreement.DEFAULT_SETTLEMENT_DAYS : term.settlementDays(),
                    payouts == null ? PayoutTerms.BY_HAND : payouts.toTerms(),
                    signOff == null || signOff.objectionDays() == null ? Agreement.DEFAULT_OBJECTION_WINDOW_DAYS
                            : signOff.objectionDays());
        }
    }

    private static List<Agreement.SplitStep> steps(List<SplitField> split) {
        return split.stream().map(s -> new Agreement.SplitStep(s.year(), s.partnerPercent())).toList();
    }

    /** {@code perAgreementYear}: money as a decimal string in major units, or "none" (in an amendment) to lift it. */
    record CapField(String perAgreementYear) {
        CapField {
            require(perAgreementYear != null && !perAgreementYear.isBlank(), "is required", "perAgreementYear");
        }

        boolean removes() {
            return "none".equals(perAgreementYear);
        }

        long amount(String currency, Object... field) {
            List<Object> path = new ArrayList<>(Arrays.asList(field));
            path.add("perAgreementYear");
            long minor;
            try {
                minor = Money.parseMajor(perAgreementYear, currency);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new FieldProblem("must be an amount in " + currency.toUpperCase(Locale.ROOT)
                        + " with at most the currency's decimals, such as \"20000.00\" (was " + perAgreementYear + ")",
                        path.toArray());
            }
            require(minor > 0, "must be more than zero (was " + perAgreementYear + ")", path.toArray());
            return minor;
        }
    }

    /** @param objectionDays how long after a statement is sent either party may object to it (default 30) */
    record SignOffField(Integer objectionDays) {
        SignOffField {
            require(objectionDays == null || objectionDays >= 1 && objectionDays <= 365,
                    "must be between 1 and 365 days (was " + objectionDays + ")", "objectionDays");
        }
    }

    /**
     * {@code payouts: {method: by-hand}} (the default), or {@code {method: stripe-transfer, destination: acct_…,
     * automatic: true}}: a Stripe Connect transfer to the partner's connected account, made after each statement is
     * sent when {@code automatic}, else when a person runs {@code revshare payouts pay}.
     */
    record PayoutsField(String method, String destination, Boolean automatic) {
        private static final List<String> METHODS = List.of("by-hand", "stripe-transfer");

        PayoutsField {
            require(method != null && METHODS.contains(method), "must be one of " + METHODS + " (was " + method + ")", "method");
            boolean transfer = "stripe-transfer".equals(method);
            require(!transfer || destination != null && destination.matches("acct_[A-Za-z0-9]+"),
                    "a Stripe transfer needs the partner's connected account id (acct_…)", "destination");
            require(transfer || destination == null, "only a stripe-transfer has a destination", "destination");
            require(transfer || automatic == null || !automatic,
                    "only a stripe-transfer can be made automatically (method: stripe-transfer)", "automatic");
        }

        PayoutTerms toTerms() {
            return "stripe-transfer".equals(method)
                    ? new PayoutTerms(PayoutTerms.Method.STRIPE_TRANSFER, destination, automatic != null && automatic)
                    : PayoutTerms.BY_HAND;
        }
    }

    record BuyoutField(BigDecimal multiple) {
        BuyoutField {
            require(multiple != null && multiple.signum() > 0, "must be a positive number such as 2.5", "multiple");
            require(multiple.stripTrailingZeros().scale() <= 4, "may have at most four decimals", "multiple");
        }
    }

    record AmendmentField(LocalDate effective, List<SplitField> split, CapField cap, RevenueField revenue) {
        AmendmentField {
            require(effective != null, "is required (YYYY-MM-DD)", "effective");
            require(split != null && !split.isEmpty() || cap != null || revenue != null,
                    "changes nothing: give split, cap or revenue", "effective");
            if (split != null) {
                for (int i = 1; i < split.size(); i++) {
                    require(split.get(i).year() > split.get(i - 1).year(),
                            "split years must be in increasing order without repeats", "split", i, "year");
                }
            }
        }

        Agreement.Amendment toAmendment(String currency) {
            boolean removeCap = cap != null && cap.removes();
            Long newCap = cap == null || removeCap ? null : cap.amount(currency, "cap");
            return new Agreement.Amendment(effective, split == null ? List.of() : steps(split), newCap, removeCap,
                    revenue == null ? null : revenue.toDefinition());
        }
    }

    record TerminationField(String type, LocalDate effective) {
        private static final List<String> TYPES = List.of("expiry", "buyout", "mutual", "breach");

        TerminationField {
            require(type != null && TYPES.contains(type), "must be one of " + TYPES + " (was " + type + ")", "type");
            require(effective != null, "is required (YYYY-MM-DD)", "effective");
        }

        Agreement.Termination toTermination() {
            return new Agreement.Termination(Agreement.Termination.Type.valueOf(type.toUpperCase(Locale.ROOT)), effective);
        }
    }

    record PartyField(String name, List<String> emails) {
        PartyField {
            require(name != null && !name.isBlank(), "is required", "name");
            require(emails != null && !emails.isEmpty(), "at least one statement email is required", "emails");
            for (int i = 0; i < emails.size(); i++) {
                String email = emails.get(i);
                require(email != null && email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"), "not an email address: " + email,
                        "emails", i);
            }
        }

        Agreement.Party toParty() {
            return new Agreement.Party(name, emails);
        }
    }

    record StripeField(String account) {
        StripeField {
            require(account != null && account.startsWith("acct_"), "must be a Stripe account id (acct_…)", "account");
        }
    }

    /** @param settlementDays days after the end during which refunds and disputes still adjust (default 120) */
    record TermField(LocalDate start, LocalDate end, Integer settlementDays) {
        TermField {
            require(start != null, "is required (YYYY-MM-DD)", "start");
            require(end == null || end.isAfter(start), "end (" + end + ") must be after start (" + start + ")", "end");
            require(settlementDays == null || settlementDays >= 0 && settlementDays <= 3650,
                    "must be between 0 and 3650 days (was " + settlementDays + ")", "settlementDays");
        }
    }

    record SplitField(int year, BigDecimal partnerPercent) {
        SplitField {
            require(year >= 1, "must be 1 or more (was " + year + ")", "year");
            require(partnerPercent != null, "is required", "partnerPercent");
            require(partnerPercent.signum() >= 0 && partnerPercent.compareTo(BigDecimal.valueOf(100)) <= 0,
                    "must be between 0 and 100 (was " + partnerPercent.toPlainString() + ")", "partnerPercent");
            require(partnerPercent.stripTrailingZeros().scale() <= 2,
                    "may have at most two decimals (was " + partnerPercent.toPlainString() + ")", "partnerPercent");
        }
    }

    record RevenueField(List<String> shared, Map<String, String> excluded, List<String> review,
                        Map<String, String> products, @com.fasterxml.jackson.annotation.JsonProperty("default") String defaultCategory) {
        RevenueDefinition toDefinition() {
            return new RevenueDefinition(shared, excluded, review, products, defaultCategory);
        }
    }

    /** @param field the field at fault, as a path from the checking record (names and list indexes) */
    private static void require(boolean condition, String message, Object... field) {
        if (!condition) {
            throw new FieldProblem(message, field);
        }
    }

    /** A check on one field failed; the message is prefixed with the field's line and path. */
    private static final class FieldProblem extends IllegalArgumentException {
        final List<Object> field;

        FieldProblem(String message, Object... field) {
            super(message);
            this.field = Arrays.asList(field);
        }
    }
}
