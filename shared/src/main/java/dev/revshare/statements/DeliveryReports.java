package dev.revshare.statements;

import dev.revshare.store.StatementStore;
import dev.revshare.store.StatementStore.Delivery;
import dev.revshare.store.StatementStore.DeliveryOutcome;
import dev.revshare.store.StatementStore.DeliveryRecording;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes on the statement what the mail service reported about its email: delivered, bounced or complained.
 * The reports are SES event records (the {@code detail} of the events SES puts on EventBridge through the
 * configuration set's event destination); each names the message by its SES message id ({@code mail.messageId}),
 * which the statement store knows from the sending. Only the outcome, its time and the recipients SES names
 * are kept: not the diagnostic text, the headers or the feedback.
 */
public final class DeliveryReports {
    private static final Logger log = LoggerFactory.getLogger(DeliveryReports.class);

    private final StatementStore statements;

    public DeliveryReports(StatementStore statements) {
        this.statements = statements;
    }

    /**
     * @param eventId the EventBridge event's id: a report delivered twice is noted once
     * @param detail  the SES event record
     * @return what became of the report; a report of another kind (sends, opens) or of a message no statement
     *         went out as is left alone
     * @throws IllegalArgumentException when the record lacks what its kind must carry
     */
    public Noted record(String eventId, Map<String, Object> detail) {
        String eventType = text(detail, "eventType", "detail");
        Map<String, Object> mail = object(detail, "mail", "detail");
        String messageId = text(mail, "messageId", "detail.mail");
        Delivery delivery = switch (eventType) {
            case "Delivery" -> {
                Map<String, Object> d = object(detail, "delivery", "detail");
                yield new Delivery(eventId, messageId, DeliveryOutcome.DELIVERED, instant(d, "delivery"),
                        texts(d.get("recipients")));
            }
            case "Bounce" -> {
                Map<String, Object> b = object(detail, "bounce", "detail");
                yield new Delivery(eventId, messageId, DeliveryOutcome.BOUNCED, instant(b, "bounce"),
                        addresses(b.get("bouncedRecipients")));
            }
            case "Complaint" -> {
                Map<String, Object> c = object(detail, "complaint", "detail");
                yield new Delivery(eventId, messageId, DeliveryOutcome.COMPLAINED, instant(c, "complaint"),
                        addresses(c.get("complainedRecipients")));
            }
            default -> null;
        };
        if (delivery == null) {
            log.info("SES event {} of type {} for message {}: not a delivery outcome, left alone", eventId, eventType, messageId);
            return Noted.NOT_AN_OUTCOME;
        }
        DeliveryRecording recording = statements.recordDelivery(delivery);
        switch (recording) {
            case RECORDED -> log.info("message {}: {} to {} recipient(s) at {}", messageId, delivery.outcome(),
                    delivery.recipients().size(), delivery.at());
            case DUPLICATE -> log.info("SES event {} for message {} was noted before", eventId, messageId);
            case UNKNOWN_MESSAGE -> log.warn("SES event {}: no statement went out as message {}; left alone", eventId, messageId);
        }
        return Noted.valueOf(recording.name());
    }

    /** The store's answer ({@link DeliveryRecording}), or that the report is of another kind. */
    public enum Noted { RECORDED, DUPLICATE, UNKNOWN_MESSAGE, NOT_AN_OUTCOME }

    private static Instant instant(Map<String, Object> outcome, String where) {
        return Instant.parse(text(outcome, "timestamp", "detail." + where));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field, String where) {
        if (parent.get(field) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + "." + field + " is missing from the SES event");
    }

    private static String text(Map<String, Object> parent, String field, String where) {
        Object value = parent.get(field);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + " is missing from the SES event");
        }
        return value.toString();
    }

    private static List<String> texts(Object list) {
        List<String> texts = new ArrayList<>();
        if (list instanceof List<?> values) {
            values.forEach(v -> texts.add(v.toString()));
        }
        return texts;
    }

    /** bouncedRecipients and complainedRecipients: objects of which only emailAddress is kept. */
    private static List<String> addresses(Object list) {
        List<String> addresses = new ArrayList<>();
        if (list instanceof List<?> recipients) {
            for (Object recipient : recipients) {
                if (recipient instanceof Map<?, ?> r && r.get("emailAddress") != null) {
                    addresses.add(r.get("emailAddress").toString());
                }
            }
        }
        return addresses;
    }
}
