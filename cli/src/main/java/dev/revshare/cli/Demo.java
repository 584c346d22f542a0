package dev.revshare.cli;

import dev.revshare.time.SettableClock;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.agreements.AgreementFile;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Money;
import dev.revshare.domain.Statement;
import dev.revshare.functions.statements.MonthlyStatementsFunction;
import dev.revshare.functions.webhook.StripeWebhookFunction;
import dev.revshare.payouts.PartnerPayouts;
import dev.revshare.json.Json;
import dev.revshare.page.PageTokens;
import dev.revshare.page.SignedPartyLinks;
import dev.revshare.domain.Side;
import dev.revshare.store.StatementStore.StoredStatement;
import dev.revshare.stripe.SampleStripeEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * revshare's main job on embedded defaults: three example agreements, a year of signed Stripe
 * deliveries replayed through the real webhook handler (with the duplicate deliveries and unbooked
 * event types Stripe really sends), the monthly statements handler run after each month, every email
 * written to the outbox, and a table per agreement made from the stored statements.
 */
final class Demo {
    static final String WEBHOOK_SECRET = "whsec_revshare_demo";
    static final YearMonth FIRST_MONTH = YearMonth.of(2025, 11);
    static final int MONTHS = 12;
    static final List<String> AGREEMENT_FILES = List.of("sarah-mindfulness.yaml", "maya-somatic.yaml", "cedar-retreat.yaml");

    /** What one agreement's customers buy each month: {@code counts[m]} sales of {@code amount} in month m. */
    record SaleSeries(String agreementId, String account, String category, long amount, int[] counts) {}

    static final List<SaleSeries> SALES = List.of(
            // 200 enrolments at $297
            new SaleSeries("sarah-mindfulness", "acct_1SarahExample", "course", 29_700,
                    new int[] {17, 17, 17, 17, 17, 17, 17, 17, 16, 16, 16, 16}),
            // $18,000 of sessions: 120 at $150
            new SaleSeries("maya-somatic", "acct_1MayaExample", "session", 15_000,
                    new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}),
            // $45,000 of new online revenue: 90 course sales at $500 ...
            new SaleSeries("cedar-retreat", "acct_1CedarExample", "online_course", 50_000,
                    new int[] {8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7}),
            // ... next to the centre's own in-person stays, which the agreement excludes
            new SaleSeries("cedar-retreat", "acct_1CedarExample", "retreat_booking", 180_000,
                    new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));

    /** One agreement's year as its statements tell it. */
    record YearTotals(String agreementId, long revenue, long expertShare, long partnerShare) {}

    private record Delivery(Instant at, String body) {}

    private final PrintStream console;

    Demo(PrintStream console) {
        this.console = console;
    }

    List<YearTotals> run(Path out) {
        deleteRecursively(out);
        SettableClock clock = new SettableClock(FIRST_MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(86_400 * 7));
        // kept on disk under out/data, so that `revshare --data out/data serve` serves the parties' pages afterwards
        try (LocalRuntime local = LocalRuntime.persistent(out.resolve("data"), out.resolve("outbox"), clock)) {
            List<Agreement> agreements = applyExamples(local, clock);
            StripeWebhookFunction webhook = local.webhookFunction(() -> WEBHOOK_SECRET);
            MonthlyStatementsFunction statements = local.statementsFunction();
            console.printf("Replaying %d months of signed Stripe deliveries through StripeWebhookFunction "
                    + "and closing each month with MonthlyStatementsFunction...%n", MONTHS);
            // in the order time runs: a month's run comes after the first days of the next month's deliveries
            List<Delivery> timeline = new ArrayList<>();
            for (int m = 0; m < MONTHS; m++) {
                timeline.addAll(deliveries(m, agreements));
            }
            timeline.sort(Comparator.comparing(Delivery::at));
            Map<YearMonth, Map<String, Integer>> outcomesByMonth = new LinkedHashMap<>();
            int next = 0;
            int paymentsRecorded = 0;
            for (int m = 0; m < MONTHS; m++) {
                YearMonth month = FIRST_MONTH.plusMonths(m);
                // the daily schedule's first run after the month's end plus the three days' grace, in every zone
                Instant runAt = month.plusMonths(1).atDay(5).atTime(6, 0).toInstant(ZoneOffset.UTC);
                for (; next < timeline.size() && timeline.get(next).at().isBefore(runAt); next++) {
                    Delivery delivery = timeline.get(next);
                    clock.set(delivery.at());
                    String outcome = deliver(webhook, delivery.body(), clock.instant());
                    outcomesByMonth.computeIfAbsent(YearMonth.from(delivery.at().atZone(ZoneOffset.UTC)),
                            k -> new LinkedHashMap<>()).merge(outcome, 1, Integer::sum);
                }
                Map<String, Integer> outcomes = outcomesByMonth.getOrDefault(month, Map.of());
                clock.set(runAt);
                Map<String, Object> answer = statements.handleRequest(scheduledEvent(runAt), null);
                console.printf("  %s  %3d deliveries %-44s -> %s%n", month,
                        outcomes.values().stream().mapToInt(Integer::intValue).sum(), outcomes, answer.get("summary"));
                // the expert pays the partner's share by bank transfer the same morning, and records it
                clock.set(runAt.plusSeconds(3_600));
                if (payByHand(local, PAID_BY_HAND, month)) {
                    paymentsRecorded++;
                }
            }
            List<YearTotals> totals = new ArrayList<>();
            for (Agreement agreement : agreements) {
                totals.add(printYear(local, agreement));
            }
            long emails;
            try (Stream<Path> files = Files.list(local.outbox)) {
                emails = files.filter(p -> p.toString().endsWith(".eml")).count();
            }
            console.printf("%nPayments: %s's partner was paid each statement by bank transfer, recorded as `revshare payouts "
                    + "record` does (%d payment notices to both parties); each statement lists what was paid since the last one%n",
                    PAID_BY_HAND, paymentsRecorded);
            console.printf("Outbox: %d emails in %s (.eml as sent, .html to open in a browser), "
                    + "StatementIssued events in %s%n", emails, local.outbox, local.outbox.resolve("events.jsonl"));
            console.printf("Open one: %s%n", local.outbox.resolve(agreements.get(0).id() + "-"
                    + FIRST_MONTH.plusMonths(MONTHS - 1) + "-expert.html"));
            printPageLink(local, agreements.get(0), out.resolve("data"));
            return totals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One party's page link, signed now (the real clock: the link must work when a person opens it) with the demo
     * store's secret, for `revshare serve` at its default address. The demo does not serve it: it ends here.
     */
    private void printPageLink(LocalRuntime local, Agreement agreement, Path data) {
        java.time.Clock now = java.time.Clock.systemUTC();
        String link = new SignedPartyLinks(new PageTokens(local.pageSecret(), now),
                "http://127.0.0.1:" + ServeCommand.DEFAULT_PORT + "/").link(agreement, Side.EXPERT, now.instant());
        console.printf("%nEach party's own page (the month so far, every line, the statements to acknowledge or object to):%n"
                + "  serve it:  ./revshare --data %s serve%n  then open %s's link: %s%n", data, agreement.expert().name(), link);
    }

    /** The agreement whose partner the demo pays by hand, each month, as its statement says. */
    static final String PAID_BY_HAND = "sarah-mindfulness";

    /** Records the month's payment in full, when its statement owes the partner something; false otherwise. */
    private static boolean payByHand(LocalRuntime local, String agreementId, YearMonth month) {
        PartnerPayouts payouts = local.payouts();
        if (local.store.statements().findWithoutLines(agreementId, month).isEmpty()) {
            return false;
        }
        PartnerPayouts.Standing standing = payouts.standing(agreementId, month);
        if (standing.outstanding() <= 0) {
            return false;
        }
        payouts.record(agreementId, month, standing.outstanding(), "BANK-" + month, "the expert");
        return true;
    }

    private List<Agreement> applyExamples(LocalRuntime local, SettableClock clock) {
        List<Agreement> agreements = new ArrayList<>();
        for (String file : AGREEMENT_FILES) {
            Agreement agreement = AgreementFile.parse(resource("demo/agreements/" + file), "examples/agreements/" + file);
            local.store.agreements().put(agreement, clock.instant());
            agreements.add(agreement);
            console.printf("Applied %-20s %s (partner %s%%, %s)%n", agreement.id(), agreement.name(),
                    agreement.initialPartnerRate().movePointRight(2).stripTrailingZeros().toPlainString(), agreement.timezone());
        }
        return agreements;
    }

    /**
     * Month m's deliveries, in time order: each sale shortly after it happened, every 7th delivered a
     * second time (Stripe retries when it misses an answer), and one customer.created per agreement,
     * which revshare acknowledges and does not book.
     */
    private static List<Delivery> deliveries(int m, List<Agreement> agreements) {
        List<Delivery> deliveries = new ArrayList<>();
        int sequence = 0;
        for (SaleSeries series : SALES) {
            Agreement agreement = agreements.stream().filter(a -> a.id().equals(series.agreementId())).findFirst().orElseThrow();
            YearMonth month = FIRST_MONTH.plusMonths(m);
            int count = series.counts()[m];
            for (int i = 0; i < count; i++) {
                int day = 1 + i * month.lengthOfMonth() / count;
                Instant saleAt = LocalDateTime.of(month.atDay(day), java.time.LocalTime.of(9 + i % 10, (i * 7) % 60))
                        .atZone(agreement.timezone()).toInstant();
                String key = series.agreementId().substring(0, 4) + series.category().substring(0, 3) + month.toString().replace("-", "") + "x" + i;
                String body = SampleStripeEvents.chargeSucceeded("evt_" + key, series.account(), "ch_" + key, "pi_" + key,
                        series.amount(), agreement.currency(), saleAt, series.category(), "cus_" + key);
                deliveries.add(new Delivery(saleAt.plusSeconds(20), body));
                if (++sequence % 7 == 0) {
                    deliveries.add(new Delivery(saleAt.plusSeconds(3_600), body));
                }
            }
        }
        for (Agreement agreement : agreements) {
            Instant at = FIRST_MONTH.plusMonths(m).atDay(15).atTime(12, 0).atZone(agreement.timezone()).toInstant();
            String id = agreement.id().substring(0, 4) + FIRST_MONTH.plusMonths(m).toString().replace("-", "");
            deliveries.add(new Delivery(at, SampleStripeEvents.customerCreated("evt_cus" + id, agreement.stripeAccount(),
                    "cus_new" + id, at)));
        }
        deliveries.sort(Comparator.comparing(Delivery::at));
        return deliveries;
    }

    /** Delivers like Stripe: a Function URL request with the body signed now. Returns the handler's outcome. */
    private static String deliver(StripeWebhookFunction webhook, String body, Instant now) {
        APIGatewayV2HTTPEvent request = new APIGatewayV2HTTPEvent();
        request.setVersion("2.0");
        request.setRawPath("/stripe");
        request.setHeaders(Map.of("content-type", "application/json; charset=utf-8",
                "stripe-signature", SampleStripeEvents.signatureHeader(body, WEBHOOK_SECRET, now),
                "user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"));
        request.setBody(body);
        request.setIsBase64Encoded(false);
        APIGatewayV2HTTPResponse response = webhook.handleRequest(request, null);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("the webhook answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return Json.read(response.getBody(), JsonNode.class).path("outcome").asText();
    }

    private static ScheduledEvent scheduledEvent(Instant at) {
        ScheduledEvent event = new ScheduledEvent();
        event.setVersion("0");
        event.setId("demo-" + at.getEpochSecond());
        event.setDetailType("Scheduled Event");
        event.setSource("aws.scheduler");
        event.setTime(new DateTime(at.toEpochMilli(), DateTimeZone.UTC));
        event.setDetail(Map.of());
        return event;
    }

    private YearTotals printYear(LocalRuntime local, Agreement agreement) {
        String currency = agreement.currency();
        console.printf("%n%s, agreement year 1 (%s to %s), %s%n  expert %s, partner %s at %s%%%n", agreement.name(),
                FIRST_MONTH, FIRST_MONTH.plusMonths(MONTHS - 1), currency.toUpperCase(Locale.ROOT),
                agreement.expert().name(), agreement.partner().name(),
                agreement.initialPartnerRate().movePointRight(2).stripTrailingZeros().toPlainString());
        console.printf("  %-8s %14s %14s %14s %14s%n", "Month", "Revenue", "Expert", "Partner", "Not shared");
        long revenue = 0, expert = 0, partner = 0;
        for (int m = 0; m < MONTHS; m++) {
            YearMonth period = FIRST_MONTH.plusMonths(m);
            Statement statement = local.store.statements().find(agreement.id(), period).map(StoredStatement::statement)
                    .orElseThrow(() -> new IllegalStateException("no statement for " + agreement.id() + " " + period));
            Statement.Totals t = statement.totals();
            revenue += t.netRevenue();
            expert += t.expertShare();
            partner += t.partnerShare();
            console.printf("  %-8s %14s %14s %14s %14s%n", period, Money.format(t.netRevenue(), currency),
                    Money.format(t.expertShare(), currency), Money.format(t.partnerShare(), currency),
                    Money.format(t.excluded() + t.pendingReview(), currency));
        }
        console.printf("  %-8s %14s %14s %14s%n", "Year 1", Money.format(revenue, currency),
                Money.format(expert, currency), Money.format(partner, currency));
        return new YearTotals(agreement.id(), revenue, expert, partner);
    }

    private static String resource(String name) {
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the revshare jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the demo folder " + dir, e);
        }
    }
}
