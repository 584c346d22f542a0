package dev.revshare.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.json.Json;
import dev.revshare.verify.ChainVerification.Difference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Two versions of one statement compared field by field and line by line, as their documents say it: what is stored
 * against what the ledger gives. Lines are matched by their id, agreement years by their number, recent months by
 * their month; amounts are shown as money.
 */
final class StatementDifferences {
    /** Fields whose numbers are amounts in minor units (of the statement's currency, or a line's own). */
    private static final Set<String> AMOUNTS = Set.of("grossSales", "refunds", "disputes", "netRevenue", "partnerShare",
            "expertShare", "excluded", "pendingReview", "carriedIn", "partnerPayable", "carriedForward", "cap",
            "entitlementToDate", "trailingPartnerShare", "amount");

    private StatementDifferences() {}

    /** Every difference between the two statements' content, their hashes left out (those are checked on their own). */
    static List<Difference> between(Statement stored, Statement recomputed) {
        List<Difference> found = new ArrayList<>();
        String currency = stored.currency();
        diff("", tree(stored.withLines(List.of())), tree(recomputed.withLines(List.of())), currency, found);

        Map<String, Statement.StatementLine> storedLines = byId(stored.lines());
        Map<String, Statement.StatementLine> recomputedLines = byId(recomputed.lines());
        for (Statement.StatementLine line : stored.lines()) {
            Statement.StatementLine other = recomputedLines.get(line.lineId());
            if (other == null) {
                found.add(new Difference("lines[" + line.lineId() + "]", describe(line), "(not on it: the ledger has no "
                        + "such line for this statement)"));
            } else if (!other.equals(line)) {
                diff("lines[" + line.lineId() + "]", tree(line), tree(other), line.currency(), found);
            }
        }
        for (Statement.StatementLine line : recomputed.lines()) {
            if (!storedLines.containsKey(line.lineId())) {
                found.add(new Difference("lines[" + line.lineId() + "]", "(not on it)", describe(line)));
            }
        }
        List<String> storedOrder = stored.lines().stream().map(Statement.StatementLine::lineId)
                .filter(recomputedLines::containsKey).toList();
        List<String> recomputedOrder = recomputed.lines().stream().map(Statement.StatementLine::lineId)
                .filter(storedLines::containsKey).toList();
        if (!storedOrder.equals(recomputedOrder)) {
            found.add(new Difference("lines", "in another order", "by time, then line id"));
        }
        return found;
    }

    private static JsonNode tree(Object value) {
        JsonNode tree = Json.mapper().valueToTree(value);
        if (tree.isObject()) {
            ((ObjectNode) tree).remove(List.of("hash", "previousHash"));
        }
        return tree;
    }

    private static void diff(String path, JsonNode stored, JsonNode recomputed, String currency, List<Difference> found) {
        if (stored.equals(recomputed)) {
            return;
        }
        if (stored.isObject() && recomputed.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            stored.properties().forEach(member -> names.add(member.getKey()));
            recomputed.properties().forEach(member -> names.add(member.getKey()));
            for (String name : names) {
                diff(path.isEmpty() ? name : path + "." + name, stored.path(name), recomputed.path(name), currency, found);
            }
            return;
        }
        if (stored.isArray() && recomputed.isArray()) {
            Function<JsonNode, String> key = keyOf(path);
            Map<String, JsonNode> storedItems = items(stored, key);
            Map<String, JsonNode> recomputedItems = items(recomputed, key);
            Set<String> keys = new LinkedHashSet<>(storedItems.keySet());
            keys.addAll(recomputedItems.keySet());
            for (String each : keys) {
                diff(path + "[" + each + "]", storedItems.getOrDefault(each, MissingNode.getInstance()),
                        recomputedItems.getOrDefault(each, MissingNode.getInstance()), currency, found);
            }
            return;
        }
        String name = path.substring(path.lastIndexOf('.') + 1);
        found.add(new Difference(path, show(name, stored, currency), show(name, recomputed, currency)));
    }

    /** Agreement years by their number, recent months by their month, anything else by its place. */
    private static Function<JsonNode, String> keyOf(String path) {
        if (path.endsWith("years")) {
            return item -> item.path("agreementYear").asText();
        }
        if (path.endsWith("recentPartnerShares")) {
            return item -> item.path("period").asText();
        }
        return null;
    }

    private static Map<String, JsonNode> items(JsonNode array, Function<JsonNode, String> key) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            items.put(key == null ? String.valueOf(i) : key.apply(array.get(i)), array.get(i));
        }
        return items;
    }

    private static String show(String field, JsonNode value, String currency) {
        if (value.isMissingNode()) {
            return "(none)";
        }
        if (value.isIntegralNumber() && AMOUNTS.contains(field) && currency != null && Money.isKnownCurrency(currency)) {
            return Money.format(value.longValue(), currency);
        }
        if (value.isContainerNode()) {
            return value.toString();
        }
        return value.isNull() ? "null" : value.asText();
    }

    private static String describe(Statement.StatementLine line) {
        String amount = line.currency() != null && Money.isKnownCurrency(line.currency())
                ? Money.format(line.amount(), line.currency()) : line.amount() + " " + line.currency();
        return line.type().name().toLowerCase(Locale.ROOT) + " " + line.stripeId() + " of " + line.time()
                + ", " + amount + ", " + line.classification().name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Statement.StatementLine> byId(List<Statement.StatementLine> lines) {
        Map<String, Statement.StatementLine> byId = new LinkedHashMap<>();
        lines.forEach(line -> byId.put(line.lineId(), line));
        return byId;
    }
}
