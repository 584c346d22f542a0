package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.IngestResult.Outcome;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.LedgerStore;
import dev.revshare.store.LedgerStore.EventReceipt;
import dev.revshare.store.LedgerStore.RefundProgress;
import dev.revshare.store.LedgerStore.WriteOutcome;
import dev.revshare.store.StoreUnavailableException;
import dev.revshare.stripe.StripeSignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one signed Stripe webhook delivery into at most one ledger line, exactly once: the event's
 * receipt and its line are written together, keyed by the money movement, so redeliveries and
 * retries after a failure count once.
 */
public final class StripeIngestion {
    /** Larger bodies are refused before any parsing. Stripe events are a few kB. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    private static final String PATH_PREFIX = "/stripe/";
    private static final int REFUND_RACE_RETRIES = 5;
    private static final Logger log = LoggerFactory.getLogger(StripeIngestion.class);

    private final AgreementStore agreements;
    private final LedgerStore ledger;
    private final WebhookSecrets secrets;
    private final StripeSignatureVerifier verifier;
    private final Clock clock;

    public StripeIngestion(AgreementStore agreements, LedgerStore ledger, WebhookSecrets secrets, Clock clock) {
        this.agreements = agreements;
        this.ledger = ledger;
        this.secrets = secrets;
        this.verifier = new StripeSignatureVerifier(clock);
        this.clock = clock;
    }

    /**
     * @param path            the request path: {@code /stripe} (agreement found by the event's account, platform
     *                        secret) or {@code /stripe/{agreementId}} (that agreement, its own secret)
     * @param signatureHeader the {@code Stripe-Signature} header, or null
     * @param rawBody         the body exactly as received (already base64-decoded)
     */
    public IngestResult receive(String path, String signatureHeader, String rawBody) {
        if (rawBody == null || rawBody.isEmpty()) {
            return reject("empty body");
        }
        if (rawBody.length() > MAX_BODY_BYTES || rawBody.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return reject("body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            String pathAgreement = agreementIdInPath(path);
            Agreement routed = null;
            String secret;
            if (pathAgreement != null) {
                routed = agreements.find(pathAgreement).orElse(null);
                if (routed == null) {
                    return new IngestResult(Outcome.UNKNOWN_AGREEMENT, "no agreement with id " + pathAgreement);
                }
                secret = secrets.agreementSecret(pathAgreement);
            } else {
                secret = secrets.platformSecret();
            }
            String problem = verifier.problemWith(rawBody, signatureHeader, secret);
            if (problem != null) {
                return reject("signature check failed: " + problem);
            }
            return parseAndBook(routed, rawBody);
        } catch (WebhookSecrets.MissingSecretException e) {
            log.error("webhook secret missing, answering 500 so that Stripe retries: {}", e.getMessage());
            return new IngestResult(Outcome.NOT_CONFIGURED, "signing secret not configured, retry later");
        }
    }

    /**
     * An event from Stripe's Amazon EventBridge event destination (the envelope's {@code detail}). EventBridge
     * is the trusted source, so there is no signature to check; everything else is as for a webhook.
     */
    public IngestResult receiveFromEventBridge(String eventJson) {
        return parseAndBook(null, eventJson);
    }

    private IngestResult parseAndBook(Agreement routed, String rawBody) {
        StripeEvent event;
        try {
            event = StripeEvent.parse(rawBody);
        } catch (StripeEvent.MalformedEventException e) {
            return reject(e.getMessage());
        }
        try {
            return book(routed, event);
        } catch (StoreUnavailableException e) {
            log.error("store failed while booking event {} ({}): {}", event.id(), event.type(), e.getMessage());
            return new IngestResult(Outcome.STORE_FAILED, "store unavailable, retry later");
        }
    }

    private IngestResult book(Agreement routed, StripeEvent event) {
        Optional<Agreement> agreement = routed != null ? Optional.of(routed) : agreements.all().stream()
                .filter(a -> a.stripeAccount() != null && a.stripeAccount().equals(event.account()))
                .findFirst();
        if (agreement.isEmpty()) {
            JsonNode object = event.object();
            ledger.keepUnclaimed(new LedgerStore.UnclaimedEvent(event.id(), event.type(), event.account(), event.created(),
                    clock.instant(), StripeEvent.textOrNull(object, "id"),
                    object.path("amount").canConvertToLong() ? object.path("amount").asLong() : null,
                    StripeEvent.textOrNull(object, "currency")));
            return new IngestResult(Outcome.UNCLAIMED, "no agreement claims Stripe account "
                    + (event.account() == null ? "(platform)" : event.account()) + "; kept for inspection");
        }
        return switch (event.type()) {
            case "charge.succeeded" -> bookSale(event, agreement.get());
            case "charge.refunded" -> bookRefund(event, agreement.get());
            case "refund.created", "refund.updated", "refund.failed", "charge.refund.updated" ->
                    bookRefundObject(event, agreement.get());
            case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.funds_withdrawn",
                 "charge.dispute.funds_reinstated", "charge.dispute.closed" -> bookDispute(event, agreement.get());
            default -> receiptOnly(event, agreement.get().id(), Outcome.IGNORED, "event type not booked");
        };
    }

    private IngestResult bookSale(StripeEvent event, Agreement agreement) {
        JsonNode charge = event.object();
        if (!charge.path("captured").asBoolean(true)) {
            return receiptOnly(event, agreement.id(), Outcome.IGNORED, "charge not captured yet");
        }
        Instant saleTime = Instant.ofEpochSecond(charge.path("created").asLong(event.created().getEpochSecond()));
        long amount = charge.path("amount_captured").asLong(charge.path("amount").asLong());
        LedgerLine line = new LedgerLine(agreement.id(), saleLineId(charge), charge.path("id").asText(),
                LineType.SALE, amount, charge.path("currency").asText(agreement.currency()), saleTime, saleTime,
                recordedNow(), category(charge), customer(charge), event.id());
        IngestResult result = write(event, line, null);
        joinPending(agreement, line.lineId());
        settleRefundsOfSale(event, agreement, line);
        return result;
    }

    /**
     * Disputes move money in balance transactions: a withdrawal when the bank takes the payment back, a
     * reinstatement when the dispute is won. Each is booked once, by its balance transaction id, from
     * whichever dispute event first carries it, at the rate and in the category of the disputed sale.
     */
    private IngestResult bookDispute(StripeEvent event, Agreement agreement) {
        JsonNode dispute = event.object();
        String saleLineId = disputedOrRefundedSale(dispute);
        List<LedgerStore.PendingMovement> movements = disputeMovements(event, dispute);
        if (movements.isEmpty()) {
            return receiptOnly(event, agreement.id(), Outcome.IGNORED,
                    "no money moved yet (dispute " + dispute.path("status").asText() + ")");
        }
        Optional<LedgerLine> sale = ledger.line(agreement.id(), saleLineId);
        if (sale.isEmpty()) {
            for (LedgerStore.PendingMovement movement : movements) {
                ledger.keepPending(agreement.id(), saleLineId, movement);
            }
            // the sale may have been booked meanwhile: join now rather than wait for its next event
            if (joinPending(agreement, saleLineId) == 0) {
                return receiptOnly(event, agreement.id(), Outcome.PENDING, "kept until its payment " + saleLineId + " arrives");
            }
            return receiptOnly(event, agreement.id(), Outcome.RECORDED, "booked with its payment " + saleLineId);
        }
        boolean booked = false;
        for (LedgerStore.PendingMovement movement : movements) {
            booked |= ledger.bookLine(lineFor(agreement, sale.get(), movement));
        }
        return receiptOnly(event, agreement.id(), booked ? Outcome.RECORDED : Outcome.DUPLICATE,
                booked ? "dispute " + dispute.path("id").asText() + " booked" : "dispute movements already booked");
    }

    private List<LedgerStore.PendingMovement> disputeMovements(StripeEvent event, JsonNode dispute) {
        List<LedgerStore.PendingMovement> movements = new ArrayList<>();
        long amount = dispute.path("amount").asLong();
        for (JsonNode transaction : dispute.path("balance_transactions")) {
            String id = StripeEvent.textOrNull(transaction, "id");
            long signed = transaction.path("amount").asLong();
            if (id == null || signed == 0) {
                continue;
            }
            // the balance transaction may be in the account's settlement currency: book the disputed amount
            LineType type = signed < 0 ? LineType.DISPUTE_WITHDRAWAL : LineType.DISPUTE_REINSTATEMENT;
            Instant at = transaction.path("created").canConvertToLong()
                    ? Instant.ofEpochSecond(transaction.path("created").asLong()) : event.created();
            movements.add(new LedgerStore.PendingMovement(id, dispute.path("id").asText(), type, type.sign * amount,
                    dispute.path("currency").asText(), at, event.id()));
        }
        return movements;
    }

    /** Books the movements that were waiting for this sale; returns how many. */
    private int joinPending(Agreement agreement, String saleLineId) {
        List<LedgerStore.PendingMovement> waiting = ledger.pending(agreement.id(), saleLineId);
        if (waiting.isEmpty()) {
            return 0;
        }
        Optional<LedgerLine> sale = ledger.line(agreement.id(), saleLineId);
        if (sale.isEmpty()) {
            return 0;
        }
        for (LedgerStore.PendingMovement movement : waiting) {
            ledger.bookLine(lineFor(agreement, sale.get(), movement));
            ledger.dropPending(agreement.id(), saleLineId, movement.lineId());
        }
        return waiting.size();
    }

    private LedgerLine lineFor(Agreement agreement, LedgerLine sale, LedgerStore.PendingMovement movement) {
        return new LedgerLine(agreement.id(), movement.lineId(), movement.stripeId(), movement.type(), movement.amount(),
                movement.currency(), movement.occurredAt(), sale.saleOccurredAt(), recordedNow(), sale.category(),
                sale.customer(), movement.eventId());
    }

    /**
     * charge.refunded: the charge with its cumulative {@code amount_refunded} (and, in older API versions,
     * its refunds by id). The sale's refund state takes it in and the ledger books what is new, so partial
     * refunds, redeliveries and out-of-order deliveries all sum to the charge's refunded total.
     */
    private IngestResult bookRefund(StripeEvent event, Agreement agreement) {
        JsonNode charge = event.object();
        long at = event.created().getEpochSecond();
        Sale fromCharge = new Sale(Instant.ofEpochSecond(charge.path("created").asLong(at)), category(charge), customer(charge));
        return settleRefunds(event, agreement, saleLineId(charge), charge.path("id").asText(),
                charge.path("currency").asText(agreement.currency()), fromCharge, state -> {
                    RefundState next = state.withChargeView(charge.path("amount_refunded").asLong(), at);
                    for (JsonNode refund : charge.path("refunds").path("data")) {
                        next = next.withRefund(refund.path("id").asText(), refund.path("amount").asLong(),
                                refund.path("status").asText("succeeded"), at);
                    }
                    return next;
                });
    }

    /** refund.created / refund.updated / refund.failed (and charge.refund.updated): one refund by id. */
    private IngestResult bookRefundObject(StripeEvent event, Agreement agreement) {
        JsonNode refund = event.object();
        String saleLineId = disputedOrRefundedSale(refund);
        long at = event.created().getEpochSecond();
        return settleRefunds(event, agreement, saleLineId, refund.path("id").asText(),
                refund.path("currency").asText(agreement.currency()), null,
                state -> state.withRefund(refund.path("id").asText(), refund.path("amount").asLong(),
                        refund.path("status").asText(), at));
    }

    /** The sale's time, category and customer, which a refund line takes from its sale. */
    private record Sale(Instant at, String category, String customer) {}

    /**
     * Applies an event to the sale's refund state and books the difference between the refunded total and
     * what the ledger holds: a refund line when it grew, a reversal when a refund failed or was cancelled.
     *
     * @param fromEvent the sale as the event describes it, when it does (a charge); else the ledger's sale is
     *                  used, and without it the state is kept until the sale is booked
     */
    private IngestResult settleRefunds(StripeEvent event, Agreement agreement, String saleLineId, String stripeId,
                                       String currency, Sale fromEvent, UnaryOperator<RefundState> change) {
        for (int attempt = 0; attempt < REFUND_RACE_RETRIES; attempt++) {
            RefundState before = ledger.refundState(agreement.id(), saleLineId);
            RefundState after = change.apply(before);
            Sale sale = ledger.line(agreement.id(), saleLineId)
                    .map(line -> new Sale(line.saleOccurredAt(), line.category(), line.customer()))
                    .orElse(fromEvent);
            long delta = after.target() - after.booked();
            LedgerLine line = null;
            if (delta != 0 && sale != null) {
                LineType type = delta > 0 ? LineType.REFUND : LineType.REFUND_REVERSAL;
                line = new LedgerLine(agreement.id(), saleLineId + ":refunds:" + (before.version() + 1), stripeId, type,
                        -delta, currency, event.created(), sale.at(), recordedNow(), sale.category(), sale.customer(),
                        event.id());
                after = after.bookedToTarget();
            }
            if (after.equals(before)) {
                return receiptOnly(event, agreement.id(), Outcome.DUPLICATE, "refunds of " + saleLineId + " already booked");
            }
            String outcome = line != null ? "recorded" : sale == null ? "pending" : "duplicate";
            String detail = line != null ? line.lineId() : sale == null
                    ? "kept until its payment " + saleLineId + " arrives" : "refunded total of " + saleLineId + " unchanged";
            WriteOutcome written = ledger.write(receipt(event, agreement.id(), outcome, detail), line,
                    new RefundProgress(agreement.id(), saleLineId, before.version(), after.nextVersion()));
            switch (written) {
                case WRITTEN:
                    return new IngestResult(line != null ? Outcome.RECORDED : sale == null ? Outcome.PENDING : Outcome.DUPLICATE,
                            detail);
                case EVENT_ALREADY_HANDLED:
                    return new IngestResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
                case LINE_ALREADY_RECORDED:
                    return new IngestResult(Outcome.DUPLICATE, detail + " already recorded");
                case REFUND_TOTAL_MOVED:
                    continue; // another delivery changed the state meanwhile: read it again
            }
        }
        throw new StoreUnavailableException("refunds of " + saleLineId + " kept changing", null);
    }

    /** When a sale is booked, refunds that arrived before it (known by id only) are booked with it. */
    private void settleRefundsOfSale(StripeEvent event, Agreement agreement, LedgerLine sale) {
        RefundState state = ledger.refundState(agreement.id(), sale.lineId());
        if (state.target() == state.booked()) {
            return;
        }
        // its own receipt (the sale's is written), timed at the refunds: a redelivered sale settles nothing twice
        StripeEvent joined = new StripeEvent(event.id() + ":refunds", "revshare.refunds_joined", event.account(),
                Instant.ofEpochSecond(state.latestRefundAt()), event.apiVersion(), event.livemode(), event.object());
        settleRefunds(joined, agreement, sale.lineId(), sale.stripeId(), sale.currency(), null, UnaryOperator.identity());
    }

    /** @return the result, or null when a concurrent refund moved the total and the caller must retry */
    private IngestResult write(StripeEvent event, LedgerLine line, RefundProgress progress) {
        EventReceipt receipt = receipt(event, line.agreementId(), "recorded", line.lineId());
        WriteOutcome outcome = ledger.write(receipt, line, progress);
        return switch (outcome) {
            case WRITTEN -> new IngestResult(Outcome.RECORDED, "recorded " + line.lineId());
            case EVENT_ALREADY_HANDLED -> new IngestResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
            case LINE_ALREADY_RECORDED -> new IngestResult(Outcome.DUPLICATE, line.lineId() + " already recorded");
            case REFUND_TOTAL_MOVED -> null;
        };
    }

    private IngestResult receiptOnly(StripeEvent event, String agreementId, Outcome outcome, String detail) {
        WriteOutcome written = ledger.write(receipt(event, agreementId, outcome.name().toLowerCase(), detail), null, null);
        if (written == WriteOutcome.EVENT_ALREADY_HANDLED) {
            return new IngestResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
        }
        return new IngestResult(outcome, detail);
    }

    private EventReceipt receipt(StripeEvent event, String agreementId, String outcome, String detail) {
        return new EventReceipt(event.id(), event.type(), agreementId, outcome, detail, clock.instant());
    }

    /** Recording times are kept to the millisecond, as the store orders them. */
    private Instant recordedNow() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static IngestResult reject(String why) {
        return new IngestResult(Outcome.REJECTED, why);
    }

    /** The sale a refund or dispute belongs to: its payment intent, else its charge (as {@link #saleLineId}). */
    private static String disputedOrRefundedSale(JsonNode refundOrDispute) {
        String paymentIntent = StripeEvent.textOrNull(refundOrDispute, "payment_intent");
        return paymentIntent != null ? paymentIntent : refundOrDispute.path("charge").asText();
    }

    /** One payment is one sale: its payment intent when it has one, else the charge. */
    private static String saleLineId(JsonNode charge) {
        String paymentIntent = StripeEvent.textOrNull(charge, "payment_intent");
        return paymentIntent != null ? paymentIntent : charge.path("id").asText();
    }

    private static String category(JsonNode charge) {
        return StripeEvent.textOrNull(charge.path("metadata"), "revshare_category");
    }

    private static String customer(JsonNode charge) {
        String customerId = StripeEvent.textOrNull(charge, "customer");
        if (customerId != null) {
            return customerId;
        }
        String email = StripeEvent.textOrNull(charge.path("billing_details"), "email");
        return email == null ? null : CustomerMask.maskEmail(email);
    }

    private static String agreementIdInPath(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return null;
        }
        String id = path.substring(PATH_PREFIX.length()).replaceAll("/+$", "");
        return id.isEmpty() ? null : id;
    }
}
