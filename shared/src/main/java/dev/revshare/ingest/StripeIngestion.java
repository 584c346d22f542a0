package dev.revshare.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Allocation;
import dev.revshare.domain.RevenueDefinition;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.ingest.IngestResult.Outcome;
import dev.revshare.store.AgreementStore;
import dev.revshare.store.BookedSale;
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
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one signed Stripe webhook delivery into ledger lines, exactly once: the event's receipt and its
 * lines are written together, keyed by the money movement (the payment, the refund, the dispute's
 * balance transaction), so redeliveries, other events of the same payment and retries after a failure
 * count once.
 */
public final class StripeIngestion {
    /** Larger bodies are refused before any parsing. Stripe events are a few kB. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    private static final String PATH_PREFIX = "/stripe/";
    private static final int REFUND_RACE_RETRIES = 5;
    /** A payment's lines are booked in one DynamoDB transaction (at most 100 items, two per line). */
    static final int MAX_SALE_LINES = 40;
    private static final Logger log = LoggerFactory.getLogger(StripeIngestion.class);

    private final LedgerStore ledger;
    private final WebhookSecrets secrets;
    private final StripeSignatureVerifier verifier;
    private final Clock clock;
    private final PaymentAssembler assembler;
    private final AgreementCache agreementCache;

    /** Payments are read from their events alone. */
    public StripeIngestion(AgreementStore agreements, LedgerStore ledger, WebhookSecrets secrets, Clock clock) {
        this(agreements, ledger, secrets, StripeLookup.NONE, clock);
    }

    /** @param lookup fetches from Stripe what an event lacks to classify its payment */
    public StripeIngestion(AgreementStore agreements, LedgerStore ledger, WebhookSecrets secrets, StripeLookup lookup,
                           Clock clock) {
        this.ledger = ledger;
        this.secrets = secrets;
        this.verifier = new StripeSignatureVerifier(clock);
        this.clock = clock;
        this.assembler = new PaymentAssembler(lookup);
        this.agreementCache = new AgreementCache(agreements, clock);
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
                routed = agreementCache.withId(pathAgreement).orElse(null);
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
        } catch (StripeLookup.StripeUnavailableException e) {
            log.error("Stripe's API failed while reading the payment of event {} ({}): {}", event.id(), event.type(),
                    e.getMessage());
            return new IngestResult(Outcome.STRIPE_UNAVAILABLE, "Stripe's API unavailable, retry later");
        }
    }

    private IngestResult book(Agreement routed, StripeEvent event) {
        Optional<Agreement> agreement = routed != null ? Optional.of(routed) : agreementCache.claiming(event.account());
        if (agreement.isEmpty()) {
            keep(event, "no agreement claims Stripe account " + (event.account() == null ? "(platform)" : event.account()));
            return new IngestResult(Outcome.UNCLAIMED, "no agreement claims Stripe account "
                    + (event.account() == null ? "(platform)" : event.account()) + "; kept for inspection");
        }
        try {
            return switch (event.type()) {
                case "charge.succeeded", "payment_intent.succeeded", "checkout.session.completed",
                     "checkout.session.async_payment_succeeded", "invoice.paid" ->
                        bookSale(event, agreement.get(), event.id());
                case "charge.refunded" -> bookRefund(event, agreement.get());
                case "refund.created", "refund.updated", "refund.failed", "charge.refund.updated" ->
                        bookRefundObject(event, agreement.get());
                case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.funds_withdrawn",
                     "charge.dispute.funds_reinstated", "charge.dispute.closed" -> bookDispute(event, agreement.get());
                default -> receiptOnly(event, agreement.get().id(), Outcome.IGNORED, "event type not booked");
            };
        } catch (UnreadableEventException e) {
            log.warn("event {} ({}) kept for inspection: {}", event.id(), event.type(), e.getMessage());
            keep(event, "cannot read it: " + e.getMessage());
            return receiptOnly(event, agreement.get().id(), Outcome.KEPT, "cannot read it (" + e.getMessage() + "); kept for inspection");
        }
    }

    /** Keeps what identifies an event (no customer data) for {@code revshare events unclaimed}. */
    private void keep(StripeEvent event, String reason) {
        JsonNode object = event.object();
        ledger.keepUnclaimed(new LedgerStore.UnclaimedEvent(event.id(), event.type(), event.account(), event.created(),
                clock.instant(), StripeEvent.textOrNull(object, "id"),
                object.path("amount").canConvertToLong() ? object.path("amount").asLong() : null,
                StripeEvent.textOrNull(object, "currency"), reason));
    }

    /**
     * Any sale event (charge, payment intent, checkout session, invoice): the payment is booked once under
     * all its ids, whichever of its events comes first; the others find it booked and add nothing.
     *
     * @param receiptId the event id its receipt is written under (a refund event booking its sale uses its own)
     */
    private IngestResult bookSale(StripeEvent event, Agreement agreement, String receiptId) {
        String notYet = notPaidYet(event.type(), event.object());
        if (notYet != null) {
            return receiptOnly(event, agreement.id(), Outcome.IGNORED, notYet);
        }
        Payment payment = assembler.assemble(agreement, event.type(), event.object(), event.created());
        if (payment.gross() <= 0) {
            return receiptOnly(event, agreement.id(), Outcome.IGNORED, "nothing was paid");
        }
        String saleKey = payment.saleKey();
        Instant recordedAt = recordedNow();
        RevenueDefinition revenue = agreement.revenueOn(agreement.dayOf(payment.paidAt()));

        // a payment in another currency is booked in the agreement's when Stripe's balance transaction converted it
        String currency = payment.currency();
        long net = payment.net();
        Payment.Settlement settlement = payment.settlement();
        if (!currency.equalsIgnoreCase(agreement.currency()) && settlement != null
                && settlement.currency().equalsIgnoreCase(agreement.currency())) {
            net = Allocation.convert(payment.net(), settlement.amount(), payment.gross());
            currency = agreement.currency();
        }
        List<Payment.Item> items = payment.items().stream().filter(item -> item.weight() > 0).toList();
        if (items.isEmpty()) {
            items = List.of(payment.items().get(0));
        }
        if (items.size() > MAX_SALE_LINES) {
            throw new UnreadableEventException("payment " + saleKey + " has " + items.size()
                    + " differently classified items; at most " + MAX_SALE_LINES + " are booked automatically");
        }
        long[] amounts = Allocation.spread(net, items.stream().mapToLong(Payment.Item::weight).toArray());
        String stripeId = payment.charge() != null ? payment.charge() : saleKey;
        List<LedgerLine> lines = new ArrayList<>();
        List<BookedSale.SaleLine> saleLines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Payment.Item item = items.get(i);
            String category = firstNonNull(payment.category(), item.category(),
                    item.price() == null ? null : revenue.products().get(item.price()),
                    item.product() == null ? null : revenue.products().get(item.product()));
            String lineId = items.size() == 1 ? saleKey : saleKey + "#" + (i + 1);
            lines.add(new LedgerLine(agreement.id(), lineId, stripeId, LineType.SALE, amounts[i], currency, payment.paidAt(),
                    payment.paidAt(), recordedAt, category, payment.customer(), event.id(), saleKey));
            saleLines.add(new BookedSale.SaleLine(lineId, amounts[i], category));
        }
        BookedSale sale = new BookedSale(agreement.id(), saleKey, payment.ids(), payment.paidAt(), recordedAt, currency,
                payment.gross(), net, payment.customer(), saleLines);
        String detail = "payment " + saleKey + (lines.size() > 1 ? " in " + lines.size() + " lines" : "");
        EventReceipt receipt = new EventReceipt(receiptId, event.type(), agreement.id(), "recorded", detail, clock.instant());
        return switch (ledger.bookSale(receipt, sale, lines)) {
            case BOOKED -> new IngestResult(Outcome.RECORDED, "recorded " + detail);
            case BOOKED_WHILE_WAITING -> {
                joinWaiting(event, agreement, sale);
                yield new IngestResult(Outcome.RECORDED, "recorded " + detail + ", with what was waiting for it");
            }
            case EVENT_ALREADY_HANDLED -> new IngestResult(Outcome.DUPLICATE, "event " + receiptId + " already handled");
            case ALREADY_BOOKED -> {
                // this event may know the payment by more ids (its checkout session, its invoice): remember them
                payment.ids().stream().map(id -> ledger.sale(agreement.id(), id)).flatMap(Optional::stream).findFirst()
                        .ifPresent(booked -> ledger.alias(agreement.id(), booked.saleKey(), payment.ids()));
                yield new IngestResult(Outcome.DUPLICATE, "payment " + saleKey + " already booked");
            }
        };
    }

    /** Why a sale event does not book its payment yet, or null when it does. */
    private static String notPaidYet(String eventType, JsonNode object) {
        if (eventType.startsWith("charge.") && !object.path("captured").asBoolean(true)) {
            return "charge not captured yet";
        }
        if (eventType.startsWith("checkout.session.")) {
            String status = object.path("payment_status").asText("");
            if ("no_payment_required".equals(status)) {
                return "nothing to pay";
            }
            if (!"paid".equals(status)) {
                return "checkout not paid yet (" + status + "); booked when checkout.session.async_payment_succeeded arrives";
            }
        }
        return null;
    }

    /** A sale booked where refunds or disputes were waiting: book them now, against it. */
    private void joinWaiting(StripeEvent event, Agreement agreement, BookedSale sale) {
        joinPending(agreement, sale);
        settleRefundsOfSale(event, agreement, sale);
    }

    /**
     * Disputes move money in balance transactions: a withdrawal when the bank takes the payment back, a
     * reinstatement when the dispute is won. Each is booked once, by its balance transaction id, from
     * whichever dispute event first carries it, at the rate and in the categories of the disputed sale.
     */
    private IngestResult bookDispute(StripeEvent event, Agreement agreement) {
        JsonNode dispute = event.object();
        String saleKey = disputedOrRefundedSale(dispute);
        List<LedgerStore.PendingMovement> movements = disputeMovements(event, dispute);
        if (movements.isEmpty()) {
            return receiptOnly(event, agreement.id(), Outcome.IGNORED,
                    "no money moved yet (dispute " + dispute.path("status").asText() + ")");
        }
        Optional<BookedSale> sale = ledger.sale(agreement.id(), saleKey);
        if (sale.isEmpty()) {
            for (LedgerStore.PendingMovement movement : movements) {
                ledger.keepPending(agreement.id(), saleKey, movement);
            }
            if (ledger.markWaiting(agreement.id(), saleKey)) {
                return receiptOnly(event, agreement.id(), Outcome.PENDING, "kept until its payment " + saleKey + " arrives");
            }
            // the sale was booked meanwhile: join now rather than wait for its next event
            sale = ledger.sale(agreement.id(), saleKey);
            if (sale.isEmpty()) {
                throw new StoreUnavailableException("payment " + saleKey + " is marked booked but cannot be read", null);
            }
            joinPending(agreement, sale.get());
            return receiptOnly(event, agreement.id(), Outcome.RECORDED, "booked with its payment " + saleKey);
        }
        boolean booked = false;
        for (LedgerStore.PendingMovement movement : movements) {
            for (LedgerLine line : linesFor(agreement, sale.get(), movement)) {
                booked |= ledger.bookLine(line);
            }
        }
        return receiptOnly(event, agreement.id(), booked ? Outcome.RECORDED : Outcome.DUPLICATE,
                booked ? "dispute " + dispute.path("id").asText() + " booked" : "dispute movements already booked");
    }

    private List<LedgerStore.PendingMovement> disputeMovements(StripeEvent event, JsonNode dispute) {
        if (StripeEvent.textOrNull(dispute, "id") == null || !dispute.path("amount").canConvertToLong()
                || disputedOrRefundedSale(dispute) == null) {
            throw new UnreadableEventException("the dispute lacks its id, amount or payment");
        }
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

    /** Books the movements that were waiting for this sale. */
    private void joinPending(Agreement agreement, BookedSale sale) {
        for (LedgerStore.PendingMovement movement : ledger.pending(agreement.id(), sale.saleKey())) {
            for (LedgerLine line : linesFor(agreement, sale, movement)) {
                ledger.bookLine(line);
            }
            ledger.dropPending(agreement.id(), sale.saleKey(), movement.lineId());
        }
    }

    /** A dispute movement against its sale: converted as the sale was, spread over its lines. */
    private List<LedgerLine> linesFor(Agreement agreement, BookedSale sale, LedgerStore.PendingMovement movement) {
        long[] parts = Allocation.spread(Allocation.convert(movement.amount(), sale.net(), sale.gross()), sale.lineAmounts());
        return againstSaleLines(agreement, sale, parts, movement.lineId(), movement.stripeId(), amount -> movement.type(),
                movement.occurredAt(), movement.eventId());
    }

    /**
     * One ledger line per line of the sale whose part is not zero, in its category, named {@code baseId}, or
     * {@code baseId#n} for the sale's n-th line when it has several.
     */
    private List<LedgerLine> againstSaleLines(Agreement agreement, BookedSale sale, long[] parts, String baseId,
                                              String stripeId, LongFunction<LineType> typeOf, Instant occurredAt,
                                              String eventId) {
        List<LedgerLine> lines = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == 0) {
                continue;
            }
            lines.add(new LedgerLine(agreement.id(), parts.length == 1 ? baseId : baseId + "#" + (i + 1), stripeId,
                    typeOf.apply(parts[i]), parts[i], sale.currency(), occurredAt, sale.paidAt(), recordedNow(),
                    sale.lines().get(i).category(), sale.customer(), eventId, sale.saleKey()));
        }
        return lines;
    }

    /**
     * charge.refunded: the charge with its cumulative {@code amount_refunded} (and, in older API versions,
     * its refunds by id). The charge describes its payment too: booked first if no other event did. The
     * sale's refund state takes the refund in and the ledger books what is new, so partial refunds,
     * redeliveries and out-of-order deliveries all sum to the charge's refunded total.
     */
    private IngestResult bookRefund(StripeEvent event, Agreement agreement) {
        JsonNode charge = event.object();
        if (StripeEvent.textOrNull(charge, "id") == null || !charge.path("amount_refunded").canConvertToLong()) {
            throw new UnreadableEventException("the charge lacks its id or amount_refunded");
        }
        String saleKey = saleKeyOfCharge(charge);
        if (ledger.sale(agreement.id(), saleKey).isEmpty()) {
            bookSale(event, agreement, event.id() + ":sale");
        }
        long at = event.created().getEpochSecond();
        return settleRefunds(event, agreement, saleKey, charge.path("id").asText(), state -> {
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
        String saleKey = disputedOrRefundedSale(refund);
        if (saleKey == null || StripeEvent.textOrNull(refund, "id") == null || !refund.path("amount").canConvertToLong()) {
            throw new UnreadableEventException("the refund lacks its id, amount or payment");
        }
        long at = event.created().getEpochSecond();
        return settleRefunds(event, agreement, saleKey, refund.path("id").asText(),
                state -> state.withRefund(refund.path("id").asText(), refund.path("amount").asLong(),
                        refund.path("status").asText(), at));
    }

    /**
     * Applies an event to the sale's refund state and books the difference between the refunded total and
     * what the ledger holds: refund lines when it grew, reversals when a refund failed or was cancelled.
     * Without its sale the state is kept, and booking the sale books it.
     */
    private IngestResult settleRefunds(StripeEvent event, Agreement agreement, String saleKey, String stripeId,
                                       UnaryOperator<RefundState> change) {
        for (int attempt = 0; attempt < REFUND_RACE_RETRIES; attempt++) {
            RefundState before = ledger.refundState(agreement.id(), saleKey);
            RefundState after = change.apply(before);
            Optional<BookedSale> sale = ledger.sale(agreement.id(), saleKey);
            List<LedgerLine> lines = List.of();
            if (after.target() != before.booked() && sale.isPresent()) {
                lines = refundLines(event, agreement, sale.get(), stripeId, before, after.target());
                after = after.bookedToTarget();
            }
            if (after.equals(before)) {
                return receiptOnly(event, agreement.id(), Outcome.DUPLICATE, "refunds of " + saleKey + " already booked");
            }
            String outcome = !lines.isEmpty() ? "recorded" : sale.isEmpty() ? "pending" : "duplicate";
            String detail = !lines.isEmpty() ? lines.get(0).lineId() + (lines.size() > 1 ? " (" + lines.size() + " lines)" : "")
                    : sale.isEmpty() ? "kept until its payment " + saleKey + " arrives" : "refunded total of " + saleKey + " unchanged";
            WriteOutcome written = ledger.write(receipt(event, agreement.id(), outcome, detail), lines,
                    new RefundProgress(agreement.id(), saleKey, before.version(), after.nextVersion()));
            switch (written) {
                case WRITTEN:
                    if (sale.isEmpty() && !ledger.markWaiting(agreement.id(), saleKey)) {
                        // the sale was booked meanwhile, without seeing this refund: book it against the sale now
                        ledger.sale(agreement.id(), saleKey).ifPresent(booked -> settleRefundsOfSale(event, agreement, booked));
                        return new IngestResult(Outcome.RECORDED, "booked with its payment " + saleKey);
                    }
                    return new IngestResult(!lines.isEmpty() ? Outcome.RECORDED : sale.isEmpty() ? Outcome.PENDING
                            : Outcome.DUPLICATE, detail);
                case EVENT_ALREADY_HANDLED:
                    return new IngestResult(Outcome.DUPLICATE, "event " + event.id() + " already handled");
                case LINE_ALREADY_RECORDED:
                    return new IngestResult(Outcome.DUPLICATE, detail + " already recorded");
                case REFUND_TOTAL_MOVED:
                    continue; // another delivery changed the state meanwhile: read it again
            }
        }
        throw new StoreUnavailableException("refunds of " + saleKey + " kept changing", null);
    }

    /**
     * The refund lines that take the sale's booked refunds from {@code before.booked()} to {@code target}
     * (amounts the customer got back, tax included, in the currency paid): converted at the sale's
     * net-to-gross and spread over its lines, cumulatively, so that a full refund takes every line to zero.
     */
    private List<LedgerLine> refundLines(StripeEvent event, Agreement agreement, BookedSale sale, String stripeId,
                                         RefundState before, long target) {
        long[] weights = sale.lineAmounts();
        long[] was = Allocation.spread(Allocation.convert(before.booked(), sale.net(), sale.gross()), weights);
        long[] now = Allocation.spread(Allocation.convert(target, sale.net(), sale.gross()), weights);
        long[] change = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            change[i] = was[i] - now[i]; // a refund takes money off the books: negative
        }
        return againstSaleLines(agreement, sale, change, sale.saleKey() + ":refunds:" + (before.version() + 1), stripeId,
                amount -> amount < 0 ? LineType.REFUND : LineType.REFUND_REVERSAL, event.created(), event.id());
    }

    /** When a sale is booked, refunds that arrived before it (known by id only) are booked with it. */
    private void settleRefundsOfSale(StripeEvent event, Agreement agreement, BookedSale sale) {
        RefundState state = ledger.refundState(agreement.id(), sale.saleKey());
        if (state.target() == state.booked()) {
            return;
        }
        // its own receipt (the sale's is written), timed at the refunds: a redelivered sale settles nothing twice
        StripeEvent joined = new StripeEvent(event.id() + ":refunds", "revshare.refunds_joined", event.account(),
                Instant.ofEpochSecond(state.latestRefundAt() > 0 ? state.latestRefundAt() : state.chargeViewAt()),
                event.apiVersion(), event.livemode(), event.object());
        settleRefunds(joined, agreement, sale.saleKey(), sale.saleKey(), UnaryOperator.identity());
    }

    private IngestResult receiptOnly(StripeEvent event, String agreementId, Outcome outcome, String detail) {
        WriteOutcome written = ledger.write(receipt(event, agreementId, outcome.name().toLowerCase(), detail), List.of(), null);
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

    /** The sale a refund or dispute belongs to: its payment intent, else its charge (as {@link Payment#saleKey}). */
    private static String disputedOrRefundedSale(JsonNode refundOrDispute) {
        String paymentIntent = StripeEvent.textOrNull(refundOrDispute, "payment_intent");
        return paymentIntent != null ? paymentIntent : StripeEvent.textOrNull(refundOrDispute, "charge");
    }

    private static String saleKeyOfCharge(JsonNode charge) {
        String paymentIntent = StripeEvent.textOrNull(charge, "payment_intent");
        return paymentIntent != null ? paymentIntent : charge.path("id").asText();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String agreementIdInPath(String path) {
        if (path == null || !path.startsWith(PATH_PREFIX)) {
            return null;
        }
        String id = path.substring(PATH_PREFIX.length()).replaceAll("/+$", "");
        return id.isEmpty() ? null : id;
    }
}
