package dev.deliverytracker.bench;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.rules.CodeClassifier;
import dev.deliverytracker.status.rules.DeliveryTimeouts;
import dev.deliverytracker.status.rules.StatusRules;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.status.topology.StatusTopology;
import dev.deliverytracker.status.topology.StatusTopologyConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;

/**
 * What a wall-clock punctuation costs with many pending deliveries, and what the state costs: the real app on the
 * embedded broker, one partition (so one task holds every delivery: the worst case for one punctuation), RocksDB
 * stores. Baselines from the same run: a punctuation over an empty store, and the heap before any delivery was
 * loaded. {@code -Dpending=N} (default 1,000,000).
 */
final class PunctuationBench {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int DUE = 10_000;

    private PunctuationBench() {
    }

    /** Collects punctuation timings and the number of pending deliveries as the processor reports them. */
    private static final class Timings implements DeliveryMetrics {
        final List<long[]> punctuations = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong pending = new AtomicLong();
        final AtomicLong stuck = new AtomicLong();

        @Override
        public void punctuation(long nanos, int handled) {
            punctuations.add(new long[]{nanos, handled});
        }

        @Override
        public void phaseDelta(Phase phase, long delta) {
            if (phase == Phase.PENDING) {
                pending.addAndGet(delta);
            } else if (phase == Phase.STUCK) {
                stuck.addAndGet(delta);
            }
        }

        List<Long> sample(int count) {
            punctuations.clear();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (punctuations.size() < count && System.nanoTime() < deadline) {
                sleep(INTERVAL);
            }
            List<Long> out = new ArrayList<>();
            synchronized (punctuations) {
                punctuations.forEach(p -> out.add(p[0]));
            }
            return out;
        }
    }

    static void run() {
        int pending = Integer.getInteger("pending", 1_000_000);
        String scope = "bench-punctuation";
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(scope), true);
        TopicCatalogue topics = TopicCatalogue.defaults();
        Path state = tempDir();
        Timings timings = new Timings();
        StatusRules rules = new StatusRules(DeliveryTimeouts.of(Duration.ofHours(1)), CodeClassifier.defaults(),
                Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(48), false);
        StatusTopologyConfig config = new StatusTopologyConfig(topics, rules, INTERVAL, DUE, Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            for (var topic : topics.all()) {
                kafka.createTopic(topic.name(), 1);
            }
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-punctuation");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            long heapBefore = usedHeap();
            try (KafkaStreams streams = new KafkaStreams(StatusTopology.build(config, serdes, timings), props);
                 KafkaProducer<String, SendEvent> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                         ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                         new StringSerializer(), topics.sends().valueSerde(serdes).serializer())) {
                streams.start();
                double emptyP50 = median(timings.sample(20));

                System.out.println("| pending deliveries | punctuation, none due: p50 / max (ms) | p50 vs empty store | heap growth (MB) | state on disk (MB) | disk bytes per delivery |");
                System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
                long produced = 0;
                Progress progress = new Progress("load", pending);
                for (long checkpoint : checkpoints(pending)) {
                    Instant now = Instant.now();
                    for (; produced < checkpoint; produced++) {
                        SendEvent send = acceptedSend("p" + produced, now).build();
                        producer.send(new ProducerRecord<>(topics.sends().name(), null, now.toEpochMilli(), send.getMsgKey(), send));
                    }
                    producer.flush();
                    while (timings.pending.get() < checkpoint) {
                        progress.update(timings.pending.get());
                        sleep(Duration.ofMillis(250));
                    }
                    progress.update(timings.pending.get());
                    List<Long> none = timings.sample(25);
                    long disk = size(state);
                    System.out.printf(Locale.ROOT, "| %,d | %.3f / %.3f | %.1fx | %.0f | %.0f | %.0f |%n", checkpoint,
                            median(none) / 1e6, Collections.max(none) / 1e6, median(none) / emptyP50,
                            (usedHeap() - heapBefore) / 1e6, disk / 1e6, (double) disk / checkpoint);
                }

                // DUE deliveries come due at once: a 1 ms timeout, accepted a second ago
                Instant past = Instant.now().minusSeconds(1);
                for (int i = 0; i < DUE; i++) {
                    SendEvent send = acceptedSend("due" + i, past).setTimeoutMillis(1L).build();
                    producer.send(new ProducerRecord<>(topics.sends().name(), null, past.toEpochMilli(), send.getMsgKey(), send));
                }
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                long worst = 0;
                int handledInWorst = 0;
                timings.punctuations.clear();
                while (timings.stuck.get() < DUE && System.nanoTime() < deadline) {
                    sleep(INTERVAL);
                }
                synchronized (timings.punctuations) {
                    for (long[] p : timings.punctuations) {
                        if (p[1] > handledInWorst || (p[1] == handledInWorst && p[0] > worst)) {
                            worst = p[0];
                            handledInWorst = (int) p[1];
                        }
                    }
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "- empty store (baseline): punctuation p50 %.3f ms%n", emptyP50 / 1e6);
                System.out.printf(Locale.ROOT, "- largest punctuation while %,d came due among %,d pending: %.1f ms, handling %,d timers%n",
                        DUE, pending + DUE, worst / 1e6, handledInWorst);
                System.out.printf(Locale.ROOT, "- one partition, exactly_once_v2, punctuation every %d ms, RocksDB state in %s%n",
                        INTERVAL.toMillis(), state);
            }
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static long[] checkpoints(int pending) {
        return Stream.of(pending / 10, pending / 4, pending / 2, pending).mapToLong(Integer::longValue).distinct().toArray();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bench-punctuation-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
