package dev.revshare.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.json.Json;
import dev.revshare.stripe.SampleStripeEvents;
import dev.revshare.stripe.StripeApiKeys;
import dev.revshare.stripe.StripeApiLookup;
import dev.revshare.stripe.StripeLookup;
import dev.revshare.testing.DeliveryOrders;
import dev.revshare.testing.InMemoryStores;
import dev.revshare.testing.RecordedStripeApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two payments as Stripe tells them on API 2026-07-29.dahlia (its own fixtures made into consistent
 * stories, in src/test/resources/stripe-stories): a $297 Checkout course with $27 tax, refunded $99 and
 * disputed for the other $198; a $49 membership invoice, refunded in full. With a read-only key and
 * without one, in Stripe's usual order and in every order of the events that describe the sale, the
 * ledger is the same, and it is what the money did.
 */
class StripeStoriesTest {
    private static final String SECRET = "whsec_stories";
    private static final String API_KEY = "rk_test_stories";
    private static final Instant NOW = Instant.parse("2026-10-25T12:00:00Z");
    private static final String AGREEMENT = """
            id: story-coach
            name: Story Coach x Studio
            expert: {name: Coach, emails: [coach@example.com]}
            partner: {name: Studio, emails: [books@studio.example]}
            stripe: {account: acct_1StoryCoach}
            currency: usd
            timezone: UTC
            term: {start: 2026-01-01}
            split: [{year: 1, partnerPercent: 25}]
            revenue:
              shared: [course, membership]
            """;

    private final RecordedStripeApi stripeApi = new RecordedStripeApi();

    @AfterEach
    void stopApi() {
        stripeApi.close();
    }

    // What the money did: tax left out ($270 of revenue from $297); refunds and disputes at the same 270/297.
    private static final List<Tuple> COURSE = List.of(
            tuple(LineType.SALE, 27_000L, "course"),
            tuple(LineType.REFUND, -9_000L, "course"),
            tuple(LineType.DISPUTE_WITHDRAWAL, -18_000L, "course"));
    private static final List<Tuple> MEMBERSHIP = List.of(
            tuple(LineType.SALE, 4_900L, "membership"),
            tuple(LineType.REFUND, -4_900L, "membership"));

    @Test
    void theCourseIsBookedAsTheMoneyMovedWithAndWithoutAKey() {
        List<String> events = story("course");
        List<LedgerLine> keyless = deliver(events, false);
        List<LedgerLine> keyed = deliver(events, true);

        assertThat(keyless).extracting(LedgerLine::type, LedgerLine::amount, LedgerLine::category)
                .containsExactlyInAnyOrderElementsOf(COURSE);
        assertThat(ids(keyless)).isEqualTo(ids(keyed));
    }

    @Test
    void theMembershipIsOneSaleAndItsRefundIsCountedWithAndWithoutAKey() {
        List<String> events = story("membership");
        List<LedgerLine> keyless = deliver(events, false);
        List<LedgerLine> keyed = deliver(events, true);

        assertThat(keyless).extracting(LedgerLine::type, LedgerLine::amount, LedgerLine::category)
                .containsExactlyInAnyOrderElementsOf(MEMBERSHIP);
        assertThat(ids(keyless)).isEqualTo(ids(keyed));
    }

    @Test
    void theCoursesSaleEventsInEveryOrderEachTwiceWithAndWithoutAKeyGiveOneLedger() {
        List<String> events = story("course");
        List<String> sale = events.subList(0, 3); // charge, payment intent, checkout session
        List<String> rest = events.subList(3, events.size());
        List<List<Object>> first = null;
        for (boolean withKey : new boolean[] {false, true}) {
            for (List<String> order : DeliveryOrders.all(sale)) {
                List<String> deliveries = Stream.concat(twice(order).stream(), rest.stream()).toList();
                List<List<Object>> ledger = ids(deliver(deliveries, withKey));
                assertThat(ledger).as("%s, %s", withKey ? "with a key" : "without", types(order)).isEqualTo(
                        first == null ? ledger : first);
                first = ledger;
            }
        }
    }

    @Test
    void theMembershipsEventsInEveryOrderEachTwiceWithAndWithoutAKeyGiveOneLedger() {
        List<String> events = story("membership");
        String link = events.get(1); // invoice_payment.paid
        List<String> sale = List.of(events.get(0), events.get(2), events.get(3)); // invoice, charge, payment intent
        List<String> refunds = events.subList(4, events.size());
        List<List<Object>> first = null;
        for (boolean withKey : new boolean[] {false, true}) {
            for (List<String> order : DeliveryOrders.all(sale)) {
                for (int at = 0; at <= order.size(); at++) {
                    List<String> withLink = new ArrayList<>(order);
                    withLink.add(at, link);
                    List<String> deliveries = Stream.concat(twice(withLink).stream(), refunds.stream()).toList();
                    List<List<Object>> ledger = ids(deliver(deliveries, withKey));
                    assertThat(ledger).as("%s, %s", withKey ? "with a key" : "without", types(withLink))
                            .isEqualTo(first == null ? ledger : first);
                    first = ledger;
                }
            }
        }
        assertThat(first).extracting(line -> tuple(line.get(1), line.get(2), line.get(3)))
                .containsExactlyInAnyOrderElementsOf(MEMBERSHIP);
    }

    // ---------------------------------------------------------------- helpers

    /** Delivers the bodies, signed, into fresh stores; the agreement's ledger, by line id. */
    private List<LedgerLine> deliver(List<String> bodies, boolean withKey) {
        InMemoryStores stores = new InMemoryStores();
        stores.agreements().put(AgreementFile.parse(AGREEMENT, "story-coach.yaml"), NOW.minusSeconds(86_400 * 300L));
        StripeLookup lookup = withKey
                ? new StripeApiLookup(a -> new StripeApiKeys.ApiKey(API_KEY, a.stripeAccount()), stripeApi.baseUrl())
                : StripeLookup.NONE;
        StripeWebhook webhook = StripeWebhook.of(stores.agreements(), stores.bookings(), () -> SECRET, lookup,
                Clock.fixed(NOW, ZoneOffset.UTC));
        for (String body : bodies) {
            BookingResult result = webhook.receive("/stripe", SampleStripeEvents.signatureHeader(body, SECRET, NOW), body);
            assertThat(result.outcome().retry).as(DeliveryOrders.type(body) + ": " + result.message()).isFalse();
        }
        List<LedgerLine> lines = new ArrayList<>(stores.ledger().recordedBetween("story-coach", Instant.EPOCH, NOW));
        lines.sort(Comparator.comparing(LedgerLine::lineId));
        return lines;
    }

    private static List<List<Object>> ids(List<LedgerLine> lines) {
        return lines.stream().map(l -> List.<Object>of(l.lineId(), l.type(), l.amount(), String.valueOf(l.category()))).toList();
    }

    private static List<String> twice(List<String> deliveries) {
        return deliveries.stream().flatMap(body -> Stream.of(body, body)).toList();
    }

    private static List<String> types(List<String> bodies) {
        return bodies.stream().map(DeliveryOrders::type).toList();
    }

    /** The story's events in Stripe's usual order; its recorded API answers are served for keyed runs. */
    private List<String> story(String name) {
        Path folder = Path.of("src/test/resources/stripe-stories", name);
        try (Stream<Path> files = Files.list(folder.resolve("events"))) {
            JsonNode answers = Json.read(Files.readString(folder.resolve("api.json"), StandardCharsets.UTF_8), JsonNode.class);
            for (Iterator<Map.Entry<String, JsonNode>> it = answers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> answer = it.next();
                stripeApi.answer(answer.getKey(), Json.write(answer.getValue()));
            }
            return files.sorted().map(file -> {
                try {
                    // compact, as Stripe sends it: the type is then easy to show in a failure
                    return Json.write(Json.read(Files.readString(file, StandardCharsets.UTF_8), JsonNode.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
