package dev.revshare.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revshare.agreements.AgreementFile;
import dev.revshare.aws.AwsClients;
import dev.revshare.aws.DynamoDbStores;
import dev.revshare.aws.EventBridgeStatementPublisher;
import dev.revshare.aws.SesStatementMailer;
import dev.revshare.domain.Agreement;
import dev.revshare.domain.Classification;
import dev.revshare.domain.LedgerLine;
import dev.revshare.domain.LineType;
import dev.revshare.domain.Money;
import dev.revshare.domain.SignOffWindow;
import dev.revshare.domain.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import dev.revshare.json.Json;
import dev.revshare.json.StatementHash;
import dev.revshare.testing.TestLedger;
import dev.revshare.testing.LocalDynamoDb;
import dev.revshare.testing.MotoServer;
import dev.revshare.testing.ReceivedEmail;
import dev.revshare.time.SettableClock;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statement email as both parties receive it, read back from the SES emulator (moto) and parsed as a
 * mail client would: addressed to both, both bodies, the chart inline, and CSV and JSON attachments whose
 * figures are the stored statement's.
 */
class StatementEmailTest {
    private static final String SENDER = "statements@revshare.example";
    static final String YAML = """
            id: email-coach
            name: Coach Lee x Studio Nine
            expert: {name: Coach Lee, emails: [coach@example.com]}
            partner: {name: Studio Nine, emails: [books@studio.example, ops@studio.example]}
            stripe: {account: acct_1EmailCoach}
            currency: usd
            timezone: Europe/Madrid
            term: {start: 2026-01-01, end: 2027-12-31}
            split: [{year: 1, partnerPercent: 30}, {year: 2, partnerPercent: 20}]
            cap: {perAgreementYear: "5000.00"}
            revenue:
              shared: [course]
              excluded: {in_person: "In-person sessions"}
              review: [tip]
            buyout: {multiple: 2.5}
            """;

    private final MotoServer moto = MotoServer.get();
    private final AwsClients aws = moto.clients();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-08-05T06:00:00Z"));
    private DynamoDbStores store;
    private Agreement agreement;
    private MonthlyStatementRun run;

    @BeforeEach
    void setUp() {
        moto.reset();
        aws.sesV2().createEmailIdentity(b -> b.emailIdentity(SENDER));
        aws.eventBridge().createEventBus(b -> b.name("revshare"));
        store = LocalDynamoDb.newStore();
        agreement = AgreementFile.parse(YAML, "email-coach.yaml");
        store.agreements().put(agreement, Instant.parse("2025-12-20T00:00:00Z"));
        run = new MonthlyStatementRun(store.agreements(), store.ledger(), store.statements(), new SesStatementMailer(aws.sesV2()),
                new EventBridgeStatementPublisher(aws.eventBridge(), "revshare"), SENDER, clock, MonthlyStatementRun.DEFAULT_GRACE);
        // six months of course sales, July with a refund, an in-person session and a tip
        for (int month = 1; month <= 7; month++) {
            Instant at = Instant.parse(String.format("2026-%02d-10T10:00:00Z", month));
            line("pi_course_" + month, LineType.SALE, 1_000_000 + month * 1_111, at, "course");
        }
        line("pi_course_7:refunds:1", LineType.REFUND, -5_000, Instant.parse("2026-07-20T10:00:00Z"), "course");
        line("pi_studio", LineType.SALE, 12_000, Instant.parse("2026-07-21T10:00:00Z"), "in_person");
        line("pi_tip", LineType.SALE, 2_500, Instant.parse("2026-07-22T10:00:00Z"), "tip");
    }

    @Test
    void eachPartyGetsAMessageOfItsOwnWithBothBodiesTheChartAndAttachmentsThatAddUpToTheStoredStatement() throws IOException {
        run.run(clock.instant(), null, null);

        Statement july = store.statements().find("email-coach", YearMonth.of(2026, 7)).orElseThrow().statement();
        List<MotoServer.SentRawMessage> sent = moto.sentRawMessages();
        assertThat(sent).hasSize(14); // January to July, caught up in order, a message to each party
        assertThat(sent.get(12).destinations()).containsExactly("coach@example.com");
        MotoServer.SentRawMessage last = sent.get(13);
        assertThat(last.destinations()).containsExactlyInAnyOrder("books@studio.example", "ops@studio.example");
        ReceivedEmail email = ReceivedEmail.parse(last.raw());
        // the two messages are the same statement: same subject, bodies and attachments
        ReceivedEmail expertsCopy = ReceivedEmail.parse(sent.get(12).raw());
        assertThat(expertsCopy.subject).isEqualTo(email.subject);
        assertThat(expertsCopy.text).isEqualTo(email.text);
        assertThat(expertsCopy.attachments.keySet()).isEqualTo(email.attachments.keySet());

        // $10,000 a month at 30 %: the $5,000 cap of year 1 is reached in February, so July's share is 0
        assertThat(july.totals().partnerShare()).isZero();
        assertThat(email.subject).isEqualTo("Coach Lee x Studio Nine: statement for July 2026, partner share $0.00");
        String net = Money.format(july.totals().netRevenue(), "usd");
        assertThat(email.text).contains("Net revenue      " + net, "In-person sessions", "Held for review: tip",
                "Terms: partner 30% from year 1, 20% from year 2", "1 year and 5 months left, to 31 Dec 2027",
                "Next: 1 Jan 2027, agreement year 2 starts: partner 20%", "of a $5,000.00 cap (100% used, $0.00 left), cap reached",
                "Buyout quote");
        assertThat(email.html).contains("cid:chart@revshare", net, "Not shared, and why", "In-person sessions")
                .doesNotContain("<script", "http://", "https://");
        assertThat(email.inline.get("chart@revshare")).startsWith(0x89, 'P', 'N', 'G');
        // the window to sign off opens as it is sent, and each message says until when, even without a page to link to
        String lastDay = SignOffWindow.day(SignOffWindow.endsAt(agreement, clock.instant()), agreement.timezone());
        assertThat(lastDay).isEqualTo("4 Sep 2026");
        assertThat(email.text).contains("Sign off this statement by 4 Sep 2026", "could not carry the link to your page");
        assertThat(email.html).contains("<b>Sign off this statement</b> by 4 Sep 2026", "could not carry the link to your page");

        // the JSON attachment is the stored statement
        assertThat(Json.read(new String(email.attachments.get("email-coach-2026-07.json"), StandardCharsets.UTF_8), Statement.class))
                .isEqualTo(july);
        // its place in the agreement's chain, in both bodies' footer; the attachment alone hashes to it
        Statement juneHeader = store.statements().findWithoutLines("email-coach", YearMonth.of(2026, 6)).orElseThrow().statement();
        assertThat(july.previousHash()).isEqualTo(juneHeader.hash()).matches("[0-9a-f]{64}");
        assertThat(StatementHash.of(Json.read(new String(email.attachments.get("email-coach-2026-07.json"),
                StandardCharsets.UTF_8), JsonNode.class))).isEqualTo(july.hash());
        for (String body : List.of(email.text, email.html)) {
            assertThat(body).contains("Statement hash (SHA-256 of its canonical JSON): ", july.hash(),
                    "Previous statement's hash: ", juneHeader.hash(), "revshare statements verify --file email-coach-2026-07.json");
        }
        ReceivedEmail january = ReceivedEmail.parse(sent.get(0).raw());
        assertThat(january.text).contains("Previous statement's hash: none, this statement starts the agreement's chain.");
        // and the CSV has every line, from which the totals follow
        List<CSVRecord> rows = StatementCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(email.attachments.get("email-coach-2026-07.csv"), StandardCharsets.UTF_8)))
                .getRecords();
        assertThat(rows).hasSize(july.lines().size());
        long gross = 0, refunds = 0, excluded = 0, held = 0;
        BigDecimal partnerExact = BigDecimal.ZERO;
        for (CSVRecord row : rows) {
            long amount = Long.parseLong(row.get("amount_minor"));
            switch (Classification.valueOf(row.get("classification").toUpperCase(Locale.ROOT))) {
                case SHARED -> {
                    if (row.get("type").equals("sale")) {
                        gross += amount;
                    } else {
                        refunds -= amount;
                    }
                    partnerExact = partnerExact.add(new BigDecimal(row.get("partner_exact")));
                }
                case EXCLUDED -> excluded += amount;
                case REVIEW -> held += amount;
            }
        }
        assertThat(gross).isEqualTo(july.totals().grossSales());
        assertThat(refunds).isEqualTo(july.totals().refunds());
        assertThat(excluded).isEqualTo(july.totals().excluded());
        assertThat(held).isEqualTo(july.totals().pendingReview());
        // year 1 to June plus July's exact share, rounded once and capped, less what earlier statements gave
        Statement june = store.statements().find("email-coach", YearMonth.of(2026, 6)).orElseThrow().statement();
        BigDecimal before = june.years().get(0).exactEntitlementToDate();
        long entitledNow = Math.min(500_000, before.add(partnerExact).setScale(0, RoundingMode.HALF_UP).longValueExact());
        assertThat(entitledNow - june.years().get(0).entitlementToDate()).isEqualTo(july.totals().partnerShare());
    }

    private void line(String id, LineType type, long amount, Instant at, String category) {
        Instant recorded = at.plusSeconds(5);
        TestLedger.record(store.bookings(), new LedgerLine("email-coach", id, "ch_" + id, type, amount, "usd", at, at,
                recorded, category, "cus_1", "evt_" + id));
    }
}
