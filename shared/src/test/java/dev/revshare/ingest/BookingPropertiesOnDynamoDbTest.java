package dev.revshare.ingest;

import dev.revshare.aws.DynamoDbStores;
import dev.revshare.ingest.BookingPropertiesTest.PaymentStory;
import dev.revshare.ingest.BookingPropertiesTest.Replay;
import dev.revshare.testing.LocalDynamoDb;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BookingPropertiesTest}'s histories, deliveries and reference model against the DynamoDB repositories
 * (on DynamoDB Local, a table per history): the same rules hold on the store production uses.
 */
class BookingPropertiesOnDynamoDbTest {

    @Property(tries = 25)
    void eachPaymentsLinesAddUpToWhatItsMoneyDidWhateverTheDeliveries(@ForAll("histories") List<PaymentStory> payments,
                                                                       @ForAll long seed) {
        DynamoDbStores stores = LocalDynamoDb.newStore();
        stores.agreements().put(BookingPropertiesTest.AGREEMENT, BookingPropertiesTest.NOW.minus(Duration.ofDays(300)));

        Replay replay = BookingPropertiesTest.deliver(payments, seed, stores.agreements(), stores.bookings(), stores.ledger(), stores.statements(),
                false);

        BookingPropertiesTest.check(payments, replay, stores.bookings(), stores.ledger());
    }

    /** DynamoDB Local takes milliseconds a write: up to three payments. */
    @Provide
    Arbitrary<List<PaymentStory>> histories() {
        return BookingPropertiesTest.payments().list().ofMinSize(1).ofMaxSize(3);
    }
}
