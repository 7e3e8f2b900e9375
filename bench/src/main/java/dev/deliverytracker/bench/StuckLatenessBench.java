package dev.deliverytracker.bench;

import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stuck detection lateness: status-stream (the real service, exactly_once_v2, 1 s punctuation) gets N accepted sends
 * and no reports; for each, the time from its deadline to its STUCK_PENDING event being readable by a read_committed
 * consumer. Baseline in the same run: the time from each send's acceptedAt to its PENDING event (the hop's own
 * latency, with no timer involved). {@code -Dsends=N} (default 3000), {@code -Dtimeout=5s}.
 */
final class StuckLatenessBench {

    private StuckLatenessBench() {
    }

    static void run() {
        try {
            measure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void measure() throws InterruptedException {
        int sends = Integer.getInteger("sends", 3000);
        Duration timeout = Duration.parse("PT" + System.getProperty("timeout", "5s").toUpperCase(Locale.ROOT));
        String scope = "bench-stuck";
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            for (var topic : List.of(BenchServices.TOPICS.sends(), BenchServices.TOPICS.reports(), BenchServices.TOPICS.status())) {
                kafka.createTopic(topic.name(), 6);
            }
            Map<String, Object> props = BenchServices.props("status-stream", kafka.bootstrapServers(), scope);
            props.put("delivery.timeouts.default", timeout.toMillis() + "ms");
            props.put("delivery.status-stream.punctuation-interval", "1s");
            try (EmbeddedServer server = DeliveryService.STATUS_STREAM.start(props);
                 KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(kafka.bootstrapServers(), scope);
                 KafkaConsumer<String, DeliveryStatus> consumer = BenchServices.readCommitted(kafka.bootstrapServers(), scope, BenchServices.TOPICS.status())) {
                BenchServices.awaitUp(server);
                Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
                Map<String, Long> pendingSeen = new ConcurrentHashMap<>();
                Map<String, Long> stuckSeen = new ConcurrentHashMap<>();
                Thread reader = new Thread(() -> {
                    long deadline = System.nanoTime() + timeout.plusSeconds(90).toNanos();
                    while (stuckSeen.size() < sends && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, DeliveryStatus> record : consumer.poll(Duration.ofMillis(20))) {
                            long now = System.currentTimeMillis();
                            if (record.value().getStatus() == DeliveryState.PENDING) {
                                pendingSeen.putIfAbsent(record.key(), now);
                            } else if (record.value().getStatus() == DeliveryState.STUCK_PENDING) {
                                stuckSeen.putIfAbsent(record.key(), now);
                            }
                        }
                    }
                }, "bench-status-reader");
                reader.start();
                Progress progress = new Progress("sends produced (1,000/s)", sends);
                long started = System.nanoTime();
                for (int i = 0; i < sends; i++) {
                    // paced at 1,000 sends/s so deadlines are spread over several punctuations
                    long wait = started + i * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, without burning a core
                    }
                    String msgKey = "stuck-" + i;
                    Instant now = Instant.now();
                    acceptedAt.put(msgKey, now.toEpochMilli());
                    producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), null, now.toEpochMilli(), msgKey,
                            BenchServices.accepted(msgKey, now)));
                    progress.update(i + 1);
                }
                producer.flush();
                Progress stuck = new Progress("STUCK_PENDING seen", sends);
                while (reader.isAlive()) {
                    reader.join(1_000);
                    stuck.update(stuckSeen.size());
                }
                List<Long> pending = new ArrayList<>();
                List<Long> lateness = new ArrayList<>();
                pendingSeen.forEach((key, at) -> pending.add(at - acceptedAt.get(key)));
                stuckSeen.forEach((key, at) -> lateness.add(at - acceptedAt.get(key) - timeout.toMillis()));
                System.out.printf(Locale.ROOT, "| measured | deliveries | p50 | p99 | max |%n| --- | ---: | ---: | ---: | ---: |%n");
                System.out.printf(Locale.ROOT, "| acceptedAt → PENDING readable (baseline: the hop) | %,d %s%n", pending.size(), BenchServices.percentiles(pending));
                System.out.printf(Locale.ROOT, "| deadline → STUCK_PENDING readable | %,d %s%n", lateness.size(), BenchServices.percentiles(lateness));
                System.out.printf(Locale.ROOT, "%n%d sends at 1,000/s, timeout %s, punctuation every 1 s, exactly_once_v2 (commit interval 100 ms), 6 partitions%n",
                        sends, timeout);
            }
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }
}
