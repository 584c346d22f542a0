package dev.revshare.review;

import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.RevenueDefinition;
import dev.revshare.domain.ReviewResolution;
import dev.revshare.domain.StatementCalculator;
import dev.revshare.ingest.BookingStore;
import dev.revshare.ingest.PaymentRecord;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the two parties settle the gray areas: the payments held for review, and their resolution as
 * shared or excluded. A resolution changes no issued statement; the next statement counts the payment's
 * held lines as prior-period adjustments (the same classification rule as every statement).
 */
public final class ReviewDesk {
    /** Lines are read from a day before the agreement was first applied, as the monthly run does. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);

    private final AgreementStore agreements;
    private final LedgerStore ledger;
    private final BookingStore payments;
    private final Clock clock;

    /** @param payments where a payment is found by any of its ids */
    public ReviewDesk(AgreementStore agreements, LedgerStore ledger, BookingStore payments, Clock clock) {
        this.agreements = agreements;
        this.ledger = ledger;
        this.payments = payments;
        this.clock = clock;
    }

    /** A payment with lines held for review, and why. */
    public record HeldPayment(String saleId, Instant firstAt, String category, List<String> reasons,
                              List<LedgerLine> heldLines, String currency, long heldAmount) {}

    /** The agreement's payments held for review and not resolved yet, oldest first. */
    public List<HeldPayment> held(Agreement agreement) {
        Map<String, ReviewResolution> resolved = ledger.resolutions(agreement.id()).stream()
                .collect(Collectors.toMap(ReviewResolution::saleId, Function.identity(), (a, b) -> b));
        Map<String, List<LedgerLine>> bySale = new LinkedHashMap<>();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (LedgerLine line : lines(agreement)) {
            RevenueDefinition.Classified classified = StatementCalculator.classify(agreement, line, resolved);
            if (classified.classification() == Classification.REVIEW) {
                bySale.computeIfAbsent(line.saleId(), id -> new ArrayList<>()).add(line);
                List<String> why = reasons.computeIfAbsent(line.saleId(), id -> new ArrayList<>());
                if (!why.contains(classified.reason())) {
                    why.add(classified.reason());
                }
            }
        }
        List<HeldPayment> held = new ArrayList<>();
        bySale.forEach((saleId, lines) -> held.add(new HeldPayment(saleId, lines.get(0).occurredAt(), lines.get(0).category(),
                reasons.get(saleId), lines, lines.get(0).currency(), lines.stream().mapToLong(LedgerLine::amount).sum())));
        held.sort(java.util.Comparator.comparing(HeldPayment::firstAt).thenComparing(HeldPayment::saleId));
        return held;
    }

    /**
     * Resolves the payment {@code anyId} names (its charge, payment intent, invoice or checkout session).
     *
     * @throws ReviewException when no such payment is booked, or none of its lines is held for review
     */
    public ReviewResolution resolve(Agreement agreement, String anyId, Classification as, String reason) {
        if (as == Classification.REVIEW) {
            throw new ReviewException("resolve a payment as shared or excluded");
        }
        String saleId = payments.payments(agreement.id(), List.of(anyId)).stream().map(PaymentRecord::key).findFirst()
                .orElse(anyId);
        List<LedgerLine> lines = lines(agreement).stream()
                .filter(line -> line.saleId().equals(saleId) || line.stripeId().equals(anyId)).toList();
        if (lines.isEmpty()) {
            throw new ReviewException("no payment with id " + anyId + " is booked for agreement " + agreement.id()
                    + "; see `revshare review list --agreement " + agreement.id() + "`");
        }
        String resolvedSale = lines.get(0).saleId();
        for (ReviewResolution earlier : ledger.resolutions(agreement.id())) {
            if (earlier.saleId().equals(resolvedSale)) {
                throw new ReviewException("payment " + anyId + " was resolved already, as "
                        + earlier.classification().name().toLowerCase(Locale.ROOT) + " at " + earlier.resolvedAt()
                        + "; a resolution is final (statements have counted it)");
            }
        }
        List<LedgerLine> held = lines.stream().filter(line -> StatementCalculator.classify(agreement, line, Map.of())
                .classification() == Classification.REVIEW).toList();
        if (held.isEmpty()) {
            throw new ReviewException("payment " + anyId + " is not held for review: the agreement's rules classify it");
        }
        Optional<LedgerLine> foreign = held.stream()
                .filter(line -> !agreement.currency().equalsIgnoreCase(line.currency())).findFirst();
        if (foreign.isPresent()) {
            String paidIn = foreign.get().currency() == null ? "no currency" : foreign.get().currency().toUpperCase(Locale.ROOT);
            throw new ReviewException("payment " + anyId + " was paid in " + paidIn
                    + " and Stripe gave no amount in " + agreement.currency().toUpperCase(Locale.ROOT)
                    + ": statements add only the agreement's currency; settle it between you and record it outside revshare");
        }
        ReviewResolution resolution = new ReviewResolution(agreement.id(), resolvedSale, as,
                reason == null || reason.isBlank() ? null : reason.strip(), clock.instant(),
                lines.stream().filter(line -> line.saleId().equals(resolvedSale)).toList());
        ledger.resolve(resolution);
        return resolution;
    }

    private List<LedgerLine> lines(Agreement agreement) {
        Instant from = agreements.firstAppliedAt(agreement.id()).orElse(Instant.EPOCH).minus(CLOCK_SKEW);
        return ledger.recordedBetween(agreement.id(), from, clock.instant());
    }

    /** A resolution that cannot be made; the message says why and what to do. */
    public static final class ReviewException extends RuntimeException {
        public ReviewException(String message) {
            super(message);
        }
    }
}
