package dev.revshare.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.revshare.domain.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A statement's hash: the same statement always gives the same hash, however its document is laid out or stored; any
 * change to any field of it gives another; each statement carries its predecessor's hash; and the definition itself is
 * pinned, so that a statement emailed today still checks out with a later revshare.
 */
class StatementHashTest {

    /** Fourteen months with every part a statement can have, each carrying a proof of reconciliation, chained. */
    private static List<Statement> chain() {
        List<Statement> sealed = new ArrayList<>();
        Statement previous = null;
        for (Statement statement : StatementJsonTest.statements()) {
            previous = StatementHash.seal(statement.withReconciliation(proof(statement)), previous);
            sealed.add(previous);
        }
        return sealed;
    }

    private static Statement.Reconciliation proof(Statement statement) {
        Instant at = statement.closedAt().minusSeconds(600);
        return new Statement.Reconciliation(Statement.Reconciliation.Status.DIFFERENCES, at, 31,
                Map.of("usd", statement.totals().grossSales() + 1_234, "eur", 50_000L), 2,
                List.of(new Statement.Reconciliation.Difference("ch_3Only\u00e9nStripe", Statement.Reconciliation.Kind.MISSING_IN_LEDGER,
                        "sale", at, 2_900L, "usd", null, null, "Stripe has it;\nthe ledger does not \"yet\"")), 1, null);
    }

    @Test
    void theSameStatementGivesTheSameHashHoweverItsDocumentIsLaidOutOrStored() {
        for (Statement statement : chain()) {
            String hash = statement.hash();
            assertThat(hash).matches("[0-9a-f]{64}");
            assertThat(StatementHash.of(statement)).isEqualTo(hash);
            // stored (compact JSON) and read back; attached (pretty JSON) and read as a tree; members in another order
            assertThat(StatementHash.of(Json.read(Json.write(statement), Statement.class))).isEqualTo(hash);
            JsonNode attached = Json.read(Json.writePretty(statement), JsonNode.class);
            assertThat(StatementHash.of(attached)).isEqualTo(hash);
            assertThat(StatementHash.of(reversed(attached))).isEqualTo(hash);
            // the canonical JSON of the statement (written line by line) is that of its document
            assertThat(StatementHash.canonicalJson(statement)).isEqualTo(StatementHash.canonicalJson(attached));
        }
    }

    @Test
    void theSignOffAFileCarriesIsNotHashedSoEveryCopyHasTheStatementsHash() {
        Statement statement = chain().get(1);
        Instant sent = Instant.parse("2026-08-05T06:00:00Z");
        JsonNode attached = Json.read(StatementDocument.writePretty(statement, new StatementDocument.SignOff("open",
                "Open for sign-off until 4 Sep 2026", sent, sent.plusSeconds(30 * 86_400L), List.of(), List.of())), JsonNode.class);
        JsonNode downloadedLater = Json.read(StatementDocument.writePretty(statement, new StatementDocument.SignOff("final",
                "Final: acknowledged by both parties", sent.plusSeconds(86_400L), sent.plusSeconds(30 * 86_400L),
                List.of("expert", "partner"), List.of())), JsonNode.class);

        assertThat(attached.path("signOff").path("status").asText()).isEqualTo("open");
        assertThat(downloadedLater.path("signOff").path("acknowledgedBy")).hasSize(2);
        assertThat(StatementHash.of(attached)).isEqualTo(statement.hash());
        assertThat(StatementHash.of(downloadedLater)).isEqualTo(statement.hash());
        // and the statement read from the file is the statement
        assertThat(Json.mapper().convertValue(downloadedLater, Statement.class)).isEqualTo(statement);
        // a figure changed in the file still shows
        ((ObjectNode) downloadedLater.path("totals")).put("partnerShare", 1);
        assertThat(StatementHash.of(downloadedLater)).isNotEqualTo(statement.hash());
    }

    @Test
    void theCanonicalJsonSortsMembersHasNoWhitespaceAndEscapesOnlyWhatJsonRequires() {
        JsonNode value = Json.read("""
                {"b": 1, "a": [true, null, "x\\"y\\\\z\\n\\t\\u0001\\u007f/é€😀"], "c": {"z": -9007199254740993, "y": {}}}""",
                JsonNode.class);

        assertThat(CanonicalJson.write(value))
                .isEqualTo("{\"a\":[true,null,\"x\\\"y\\\\z\\n\\t\\u0001\\u007f/é€😀\"],\"b\":1,\"c\":{\"y\":{},\"z\":-9007199254740993}}");
        Statement first = chain().get(0);
        String canonical = StatementHash.canonicalJson(first);
        assertThat(canonical).doesNotContain("\"hash\"").contains("\"previousHash\":\"\"")
                .startsWith("{\"agreementId\":\"golden\",\"agreementName\":").doesNotContain("\n", ": ", ", ");
        // the hash is SHA-256 over exactly these bytes
        assertThat(first.hash()).isEqualTo(sha256(canonical));
    }

    @Test
    void anyChangeToAnyFieldGivesAnotherHash() {
        Statement last = chain().get(chain().size() - 1);
        ObjectNode document = (ObjectNode) Json.mapper().valueToTree(last);
        List<String> changed = new ArrayList<>();
        forEachLeaf(document, "", (path, change) -> {
            ObjectNode copy = document.deepCopy();
            change.accept(copy);
            assertThat(StatementHash.of(copy)).as(path).isNotEqualTo(last.hash());
            changed.add(path);
        });
        // every part of the statement was changed once: its figures, years, lines, proof, quote, recent months, link
        assertThat(changed).hasSizeGreaterThan(100).contains("totals.partnerShare", "lines[0].amount", "lines[1].rate",
                "years[1].exactEntitlementToDate", "reconciliation.differences[0].detail", "reconciliation.amounts.eur",
                "buyoutQuote.amount", "recentPartnerShares[11].partnerShare", "previousHash", "final", "closedAt");
        // the hash itself is not hashed: changing it changes nothing
        ObjectNode otherHash = document.deepCopy().put("hash", "0".repeat(64));
        assertThat(StatementHash.of(otherHash)).isEqualTo(last.hash());
        // and on the statement itself: one cent on one line, one line less, another proof
        Statement.StatementLine line = last.lines().get(0);
        List<Statement.StatementLine> lines = new ArrayList<>(last.lines());
        lines.set(0, new Statement.StatementLine(line.lineId(), line.stripeId(), line.time(), line.type(), line.category(),
                line.classification(), line.reason(), line.amount() + 1, line.currency(), line.rate(), line.agreementYear(),
                line.priorPeriod(), line.customer()));
        assertThat(StatementHash.of(last.withLines(lines))).isNotEqualTo(last.hash());
        assertThat(StatementHash.of(last.withLines(last.lines().subList(1, last.lines().size())))).isNotEqualTo(last.hash());
        assertThat(StatementHash.of(last.withReconciliation(null))).isNotEqualTo(last.hash());
        assertThat(StatementHash.of(last.withHashes("", last.hash()))).isNotEqualTo(last.hash());
    }

    @Test
    void eachStatementCarriesTheHashOfTheOneBeforeIt() {
        List<Statement> chain = chain();

        assertThat(chain.get(0).previousHash()).isEqualTo(StatementHash.GENESIS).isEmpty();
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).previousHash()).isEqualTo(chain.get(i - 1).hash());
        }
        assertThat(chain).extracting(Statement::hash).doesNotHaveDuplicates();
        // after a statement closed before hashing, the chain starts again
        Statement unhashed = chain.get(5).withHashes(null, null);
        assertThat(StatementHash.seal(StatementJsonTest.statements().get(6), unhashed).previousHash()).isEmpty();
        // the same statement after another predecessor is another link
        assertThat(StatementHash.seal(StatementJsonTest.statements().get(6), chain.get(4)).hash())
                .isNotEqualTo(StatementHash.seal(StatementJsonTest.statements().get(6), chain.get(5)).hash());
    }

    @Test
    void statementsClosedBeforeHashingKeepTheirBytesAndCarryNoHash() {
        Statement unsealed = StatementJsonTest.statements().get(0);

        assertThat(Json.write(unsealed)).doesNotContain("\"hash\"", "\"previousHash\"");
        String sealed = Json.write(chain().get(0));
        assertThat(sealed).endsWith(",\"previousHash\":\"\",\"hash\":\"" + chain().get(0).hash() + "\"}");
        assertThat(Json.read(sealed, Statement.class)).isEqualTo(chain().get(0));
    }

    /**
     * The definition is pinned: these are the hashes statements issued with it carry, and must keep carrying. (Both were
     * also reproduced without revshare, from the pretty JSON: {@code jq -jcS 'del(.hash, .signOff)' FILE.json | sha256sum}.)
     */
    @Test
    void theHashOfAKnownStatementNeverChanges() {
        List<Statement> chain = chain();

        assertThat(chain.get(0).hash()).isEqualTo(PINNED_FIRST);
        assertThat(chain.get(chain.size() - 1).hash()).isEqualTo(PINNED_LAST);
    }

    private static final String PINNED_FIRST = "ea565dabe17912acccce47de69ea490920bb59b681abdf4483f4da5805b93113";
    private static final String PINNED_LAST = "d68291e5eee1fa2689a10fde8b845c9ee25b12150f523e48b83771fa8da30263";

    @Test
    void aDocumentWithAFractionalNumberIsNotOneRevshareWrote() {
        ObjectNode document = (ObjectNode) Json.mapper().valueToTree(chain().get(0));
        ((ObjectNode) document.get("totals")).put("grossSales", 297.5);

        assertThatThrownBy(() -> StatementHash.of(document)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the number 297.5 is not whole");
        assertThatThrownBy(() -> StatementHash.of(Json.read("[1]", JsonNode.class)))
                .hasMessageContaining("a statement document is a JSON object");
    }

    // ---------------------------------------------------------------- helpers

    interface LeafChange {
        void at(String path, java.util.function.Consumer<ObjectNode> change);
    }

    /** For every leaf of the document (but its hash), a change of it: a number one more, a text one letter more, ... */
    private static void forEachLeaf(ObjectNode root, String path, LeafChange each) {
        walk(root, root, path, List.of(), each);
    }

    private static void walk(ObjectNode root, JsonNode node, String path, List<Object> steps, LeafChange each) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (steps.isEmpty() && member.getKey().equals("hash")) {
                    continue;
                }
                List<Object> next = new ArrayList<>(steps);
                next.add(member.getKey());
                walk(root, member.getValue(), path.isEmpty() ? member.getKey() : path + "." + member.getKey(), next, each);
            }
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> next = new ArrayList<>(steps);
                next.add(i);
                walk(root, node.get(i), path + "[" + i + "]", next, each);
            }
            return;
        }
        JsonNode changed = node.isIntegralNumber() ? LongNode.valueOf(node.longValue() + 1)
                : node.isBoolean() ? BooleanNode.valueOf(!node.booleanValue())
                : node.isNull() ? TextNode.valueOf("x")
                : TextNode.valueOf(node.asText() + "x");
        each.at(path, copy -> {
            JsonNode parent = copy;
            for (int i = 0; i < steps.size() - 1; i++) {
                parent = steps.get(i) instanceof Integer index ? parent.get(index) : parent.get((String) steps.get(i));
            }
            Object last = steps.get(steps.size() - 1);
            if (last instanceof Integer index) {
                ((ArrayNode) parent).set(index, changed);
            } else {
                ((ObjectNode) parent).set((String) last, changed);
            }
        });
    }

    /** The same document with every object's members in reverse order. */
    private static JsonNode reversed(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Json.mapper().createObjectNode();
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            for (int i = members.size() - 1; i >= 0; i--) {
                copy.set(members.get(i).getKey(), reversed(members.get(i).getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.mapper().createArrayNode();
            node.forEach(item -> copy.add(reversed(item)));
            return copy;
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
