package dev.deliverytracker.kafka.embedded;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads what arrived on a subscribed consumer the way tests need it: poll until a condition holds or a deadline
 * passes (never a sleep), then keep polling for a quiet period, so "nothing more was emitted" is proven rather
 * than assumed. Returns every record seen; the caller asserts on them.
 */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicReader() {
    }

    /** Polls until at least {@code expected} records arrived (or {@code timeout}), then for {@code quiet} more. */
    public static <K, V> List<ConsumerRecord<K, V>> readAtLeast(Consumer<K, V> consumer, int expected, Duration timeout, Duration quiet) {
        return readUntil(consumer, records -> records.size() >= expected, timeout, quiet);
    }

    /** Polls until {@code done} holds for the records seen so far (or {@code timeout}), then for {@code quiet} more. */
    public static <K, V> List<ConsumerRecord<K, V>> readUntil(Consumer<K, V> consumer, Predicate<List<ConsumerRecord<K, V>>> done,
                                                              Duration timeout, Duration quiet) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(records::add);
        }
        consumer.poll(quiet).forEach(records::add);
        return records;
    }
}
