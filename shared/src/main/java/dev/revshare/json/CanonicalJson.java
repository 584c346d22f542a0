package dev.revshare.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way to write a JSON value, so that the same document gives the same bytes however it was laid out (pretty or
 * compact, members in any order): what a statement's hash is computed over.
 * <ul>
 *   <li>object members sorted by name (by UTF-16 code unit, which for the statement's ASCII names is byte order);
 *       arrays in their order;</li>
 *   <li>no whitespace;</li>
 *   <li>strings escaped only where JSON requires it: {@code \"}, {@code \\}, and the control characters (as
 *       {@code \b \t \n \f \r}, the others and DEL as {@code &#92;u00xx}); everything else as it is, in UTF-8;</li>
 *   <li>numbers whole only, written as their digits: amounts are minor units, and rates and exact figures are strings
 *       in the statement document, so a fraction or an exponent means the document is not one revshare wrote;</li>
 *   <li>{@code true}, {@code false}, {@code null}.</li>
 * </ul>
 * For such documents this is what {@code jq -jcS .} prints, so anyone can reproduce it without revshare.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static String write(JsonNode value) {
        StringWriter out = new StringWriter();
        write(value, out);
        return out.toString();
    }

    /** @throws IllegalArgumentException for a number that is not whole */
    public static void write(JsonNode value, Writer out) {
        try {
            writeValue(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonNode value, Writer out) throws IOException {
        switch (value.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, JsonNode> member : value.properties()) {
                    names.add(member.getKey());
                }
                names.sort(null);
                out.write('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    writeString(names.get(i), out);
                    out.write(':');
                    writeValue(value.get(names.get(i)), out);
                }
                out.write('}');
            }
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    writeValue(value.get(i), out);
                }
                out.write(']');
            }
            case STRING -> writeString(value.textValue(), out);
            case NUMBER -> {
                if (!value.isIntegralNumber()) {
                    throw new IllegalArgumentException("the number " + value.asText() + " is not whole: a statement's "
                            + "amounts are whole minor units, and its rates and exact figures are strings");
                }
                out.write(value.bigIntegerValue().toString());
            }
            case BOOLEAN -> out.write(value.booleanValue() ? "true" : "false");
            case NULL -> out.write("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getNodeType());
        }
    }

    /** A name or string value, quoted, with only what JSON requires escaped. */
    static void writeString(String text, Writer out) throws IOException {
        out.write('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\b' -> out.write("\\b");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\f' -> out.write("\\f");
                case '\r' -> out.write("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.write(String.format("\\u%04x", (int) c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }
}
