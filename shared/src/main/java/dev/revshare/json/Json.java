package dev.revshare.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.revshare.domain.Statement;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The one JSON mapping revshare uses, so a statement is the same bytes wherever it appears. The domain
 * records carry no JSON annotations: where their JSON differs from Jackson's defaults, a mix-in here says so.
 * Months ({@code YearMonth}) are written as "2026-10" because dates are not written as timestamps.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(Statement.class, StatementJson.class)
            .addMixIn(Statement.YearSummary.class, YearSummaryJson.class)
            .addMixIn(Statement.StatementLine.class, StatementLineJson.class)
            .addMixIn(Statement.BuyoutQuote.class, BuyoutQuoteJson.class)
            .addMixIn(Statement.Reconciliation.class, ReconciliationJson.class)
            .addMixIn(Statement.Reconciliation.Difference.class, DifferenceJson.class)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + " from JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- the statement document

    /**
     * {@code "final"}: the field's name in statements since the first one; {@code final} is a Java keyword.
     * {@code "supplementary": true} only on a supplementary statement: every other statement keeps its bytes.
     * {@code "reconciliation"}: the proof of the month's check against Stripe; absent on statements closed before
     * revshare reconciled (read back as null). {@code "payments"}: what was paid against earlier statements; absent on
     * statements closed before revshare recorded payouts.
     * {@code "previousHash"} and {@code "hash"}: the statement's place in its
     * agreement's chain ({@link StatementHash}); absent on statements closed before they carried a hash.
     */
    private interface StatementJson {
        @JsonProperty("final")
        boolean isFinal();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        boolean supplementary();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        Statement.Reconciliation reconciliation();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        Statement.Payments payments();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        String previousHash();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        String hash();
    }

    /** A problem only when there is one. */
    private interface ReconciliationJson {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String problem();
    }

    /** A side without the movement has no amount and no currency: left out, not null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private interface DifferenceJson {}

    /** Rates and exact entitlements are strings ("0.25", "107500.00"), as statements have always had them. */
    private interface YearSummaryJson {
        @JsonSerialize(using = PlainDecimal.class)
        BigDecimal rate();

        @JsonSerialize(using = PlainDecimal.class)
        BigDecimal exactEntitlementToDate();
    }

    private interface StatementLineJson {
        @JsonSerialize(using = PlainDecimal.class)
        BigDecimal rate();
    }

    private interface BuyoutQuoteJson {
        @JsonSerialize(using = PlainDecimal.class)
        BigDecimal multiple();
    }

    /** A decimal as a JSON string in plain notation, keeping its scale: "13889.160", never "1.388916E+4". */
    static final class PlainDecimal extends StdSerializer<BigDecimal> {
        PlainDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(value.toPlainString());
        }
    }
}
