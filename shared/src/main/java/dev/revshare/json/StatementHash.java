package dev.revshare.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Statement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A statement's hash: SHA-256, in lower-case hex, of the UTF-8 bytes of its document (the JSON stored, attached and
 * printed) without its {@code hash} member, written as {@link CanonicalJson}. The document includes
 * {@code previousHash}, the hash of the statement before it, so each agreement's statements form a chain: changing
 * any figure, line or proof of an issued statement, or leaving one out of the chain, shows.
 *
 * <p>Everything in the document is fixed when the statement is issued; what happens to it afterwards (its sending,
 * SES's delivery reports, resends) is kept beside it in the store, never in it, so its hash never changes. A member
 * added to the statement document that may change after issue must be listed in {@link #NOT_HASHED}.
 */
public final class StatementHash {
    /** The {@code previousHash} of the first statement of a chain. */
    public static final String GENESIS = "";
    /**
     * The document's members left out of what is hashed: the hash itself, and where the statement stood with the two
     * parties when its file was written ({@link StatementDocument}).
     */
    public static final List<String> NOT_HASHED = List.of("hash", "signOff");

    private StatementHash() {}

    /** The statement as issued: chained to {@code previous} (null for the agreement's first) and hashed. */
    public static Statement seal(Statement statement, Statement previous) {
        String previousHash = previousHashFor(previous);
        Statement chained = statement.withHashes(previousHash, null);
        return chained.withHashes(previousHash, of(chained));
    }

    /** What a statement continuing from {@code previous} carries as its {@code previousHash}. */
    public static String previousHashFor(Statement previous) {
        return previous == null || previous.hash() == null ? GENESIS : previous.hash();
    }

    /**
     * The hash of the statement's content as it is (whatever its {@code hash} says), its lines included: a statement
     * read without its lines hashes differently.
     */
    public static String of(Statement statement) {
        return sha256(out -> canonical(statement, out));
    }

    /** The hash of a statement document (a JSON attachment, as read), as {@link #of(Statement)} hashes its statement. */
    public static String of(JsonNode document) {
        return sha256(out -> CanonicalJson.write(hashed(document), out));
    }

    /** The statement's canonical JSON, as hashed: for people checking a hash by hand, and for tests. */
    public static String canonicalJson(Statement statement) {
        StringWriter out = new StringWriter();
        canonical(statement, out);
        return out.toString();
    }

    /** The document's canonical JSON, as hashed. */
    public static String canonicalJson(JsonNode document) {
        return CanonicalJson.write(hashed(document));
    }

    private static JsonNode hashed(JsonNode document) {
        if (!document.isObject()) {
            throw new IllegalArgumentException("a statement document is a JSON object, not " + document.getNodeType());
        }
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        copy.remove(NOT_HASHED);
        return copy;
    }

    /**
     * The statement's document written canonically, its lines one at a time: a month of 100,000 lines is hashed
     * without holding its whole document in memory.
     */
    private static void canonical(Statement statement, Writer out) {
        ObjectNode header = (ObjectNode) hashed(Json.mapper().valueToTree(statement.withLines(List.of())));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : header.properties()) {
            names.add(member.getKey());
        }
        names.sort(null);
        try {
            out.write('{');
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (i > 0) {
                    out.write(',');
                }
                CanonicalJson.writeString(name, out);
                out.write(':');
                if (name.equals("lines")) {
                    out.write('[');
                    for (int l = 0; l < statement.lines().size(); l++) {
                        if (l > 0) {
                            out.write(',');
                        }
                        CanonicalJson.write(Json.mapper().valueToTree(statement.lines().get(l)), out);
                    }
                    out.write(']');
                } else {
                    CanonicalJson.write(header.get(name), out);
                }
            }
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Consumer<Writer> content) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256, which every Java must have", e);
        }
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha256), StandardCharsets.UTF_8), 64 * 1024)) {
            content.accept(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
