package dev.revshare.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Statement;
import dev.revshare.domain.StatementArithmetic;
import dev.revshare.domain.StatementArithmetic.Mismatch;
import dev.revshare.json.Json;
import dev.revshare.json.StatementDocument;
import dev.revshare.json.StatementHash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Checks a statement from its JSON attachment alone, offline: its hash against its content, and its arithmetic
 * against its own lines and terms ({@link StatementArithmetic}). What an accountant runs on the file the email
 * brought; the gzip-compressed attachment of a large month ({@code .json.gz}) is read as it is.
 */
public final class StatementFileCheck {
    private StatementFileCheck() {}

    /** Where the document's hash stands. */
    public enum HashCheck {
        /** its content hashes to the hash it carries */
        MATCHES,
        /** its content hashes to something else: it was changed after it was issued */
        DIFFERS,
        /** it carries none: closed before statements carried a hash */
        NONE
    }

    /**
     * @param computedHash what the document's content hashes to (its hash, when it matches)
     * @param arithmetic   every figure that does not follow from its lines and terms
     * @param signOff      where the statement stood with the parties when the file was written (not hashed: a note)
     */
    public record Result(Statement statement, HashCheck hash, String computedHash, List<Mismatch> arithmetic,
                         Optional<StatementDocument.SignOff> signOff) {
        public boolean passes() {
            return hash != HashCheck.DIFFERS && arithmetic.isEmpty();
        }
    }

    /**
     * @param content the file's bytes: the JSON attachment, or the gzip-compressed one
     * @throws IllegalArgumentException saying why, when the content is not a statement document
     */
    public static Result check(byte[] content) {
        JsonNode document = read(content);
        Statement statement;
        try {
            statement = Json.mapper().treeToValue(document, Statement.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("it is JSON, but not a statement document: " + e.getMessage(), e);
        }
        requireParts(statement);
        String computed;
        try {
            computed = StatementHash.of(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it is not a statement document as revshare writes it: " + e.getMessage(), e);
        }
        HashCheck hash = statement.hash() == null ? HashCheck.NONE
                : statement.hash().equals(computed) ? HashCheck.MATCHES : HashCheck.DIFFERS;
        Optional<StatementDocument.SignOff> signOff;
        try {
            signOff = StatementDocument.signOffOf(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it is not a statement document as revshare writes it: " + e.getMessage(), e);
        }
        return new Result(statement, hash, computed, StatementArithmetic.check(statement), signOff);
    }

    private static JsonNode read(byte[] content) {
        boolean gzip = content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b;
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(content)) : new ByteArrayInputStream(content)) {
            JsonNode document = Json.mapper().reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(in);
            if (document == null || !document.isObject()) {
                throw new IllegalArgumentException("it is not a statement document (a JSON object)");
            }
            return document;
        } catch (IOException e) {
            throw new IllegalArgumentException((gzip ? "it is gzip-compressed, but not a readable statement document: "
                    : "it is not a readable statement document (JSON, or JSON compressed with gzip): ") + e.getMessage(), e);
        }
    }

    /** What the checks read: a document that lacks it is not a statement, rather than one with wrong figures. */
    private static void requireParts(Statement statement) {
        require(statement.agreementId() != null && statement.period() != null && statement.currency() != null
                && statement.closedAt() != null && statement.totals() != null, "agreementId, period, currency, closedAt and totals");
        for (Statement.YearSummary year : statement.years()) {
            require(year.rate() != null && year.exactEntitlementToDate() != null, "each agreement year's rate and exactEntitlementToDate");
        }
        for (Statement.StatementLine line : statement.lines()) {
            require(line.lineId() != null && line.type() != null && line.classification() != null && line.rate() != null,
                    "each line's lineId, type, classification and rate");
        }
        if (statement.buyoutQuote() != null) {
            require(statement.buyoutQuote().multiple() != null, "the buyout quote's multiple");
        }
        for (Statement.MonthShare month : statement.recentPartnerShares()) {
            require(month.period() != null, "each recent month's period");
        }
    }

    private static void require(boolean present, String what) {
        if (!present) {
            throw new IllegalArgumentException("it is not a statement document: it lacks " + what);
        }
    }
}
