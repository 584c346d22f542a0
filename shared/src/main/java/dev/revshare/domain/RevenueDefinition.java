package dev.revshare.domain;

import java.util.List;
import java.util.Map;

/**
 * Which revenue categories are shared, excluded (with the reason shown on statements) or held for
 * review. A category that is listed nowhere is held for review; a payment with no category takes
 * {@link #defaultCategory()}.
 */
public record RevenueDefinition(
        List<String> shared,
        Map<String, String> excluded,
        List<String> review,
        Map<String, String> products,
        String defaultCategory) {

    /** Used when an agreement has no revenue section: every payment is shared revenue. */
    public static final RevenueDefinition SHARE_EVERYTHING =
            new RevenueDefinition(List.of(), Map.of(), List.of(), Map.of(), null);

    public RevenueDefinition {
        shared = shared == null ? List.of() : List.copyOf(shared);
        excluded = excluded == null ? Map.of() : Map.copyOf(excluded);
        review = review == null ? List.of() : List.copyOf(review);
        products = products == null ? Map.of() : Map.copyOf(products);
    }

    private boolean sharesEverything() {
        return shared.isEmpty() && excluded.isEmpty() && review.isEmpty();
    }

    /** Classifies a payment's category under this definition. */
    public Classified classify(String category) {
        String effective = category == null ? defaultCategory : category;
        if (sharesEverything()) {
            return new Classified(effective, Classification.SHARED, null);
        }
        if (effective == null) {
            return new Classified(null, Classification.REVIEW, "No revenue category on the payment");
        }
        if (shared.contains(effective)) {
            return new Classified(effective, Classification.SHARED, null);
        }
        if (excluded.containsKey(effective)) {
            return new Classified(effective, Classification.EXCLUDED, excluded.get(effective));
        }
        if (review.contains(effective)) {
            return new Classified(effective, Classification.REVIEW, "Held for review: " + effective);
        }
        return new Classified(effective, Classification.REVIEW, "Category not in the agreement: " + effective);
    }

    /** A category with the classification the agreement gives it, and why when not shared. */
    public record Classified(String category, Classification classification, String reason) {}
}
