package dev.deliverytracker.bench;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.rules.CodeClassifier;
import dev.deliverytracker.status.rules.DeliveryTimeouts;
import dev.deliverytracker.status.rules.StatusRules;
import dev.deliverytracker.status.state.Phase;
import dev.deliverytracker.status.topology.StatusTopology;
import dev.deliverytracker.status.topology.StatusTopologyConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

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
import java.util.Properties;
import java.util.stream.Stream;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;

/**
 * What a wall-clock punctuation costs with many pending deliveries, and what the state costs: the real topology and
 * RocksDB stores in Kafka's TopologyTestDriver. Baselines from the same run: a punctuation over an empty store,
 * and the heap before any delivery was loaded. {@code -Dpending=N} (default 1,000,000).
 */
final class PunctuationBench {

    private PunctuationBench() {
    }

    /** Collects the duration of every punctuation the processor reports. */
    private static final class Timings implements DeliveryMetrics {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        volatile int lastHandled;

        @Override
        public void punctuation(long n, int handled) {
            nanos.add(n);
            lastHandled = handled;
        }

        @Override
        public void emitted(DeliveryStatus status) {
        }

        @Override
        public void duplicates(int count) {
        }

        @Override
        public void contradictions(int count) {
        }

        @Override
        public void deadRecord(String stage) {
        }

        @Override
        public void phaseDelta(Phase phase, long delta) {
        }
    }

    static void run() {
        int pending = Integer.getInteger("pending", 1_000_000);
        String scope = "bench-punctuation";
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        Path state = tempDir();
        Timings timings = new Timings();
        StatusRules rules = new StatusRules(DeliveryTimeouts.of(Duration.ofHours(1)), CodeClassifier.defaults(),
                Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(48), false);
        StatusTopologyConfig config = new StatusTopologyConfig(TopicCatalogue.defaults(), rules, Duration.ofSeconds(1),
                10_000, Duration.ofSeconds(30), Duration.ofSeconds(10));
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(scope), true);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-punctuation");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());

        long heapBefore = usedHeap();
        try (TopologyTestDriver driver = new TopologyTestDriver(StatusTopology.build(config, serdes, timings), props, t0)) {
            TestInputTopic<String, SendEvent> sends = driver.createInputTopic(config.topics().sends().name(),
                    new StringSerializer(), config.topics().sends().valueSerde(serdes).serializer());
            SendEvent template = acceptedSend("x", t0).build();

            double emptyP50 = median(punctuate(driver, timings, 20));

            System.out.println("| pending deliveries | punctuation, none due (p50 / max ms) | heap used (MB) | state on disk (MB) | disk bytes per delivery |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: |");
            Progress progress = new Progress("load", pending);
            long loaded = 0;
            for (long checkpoint : checkpoints(pending)) {
                for (; loaded < checkpoint; loaded++) {
                    template.setMsgKey("p" + loaded);
                    template.setEventId("e" + loaded);
                    sends.pipeInput(template.getMsgKey(), template, t0);
                    if (loaded % 50_000 == 0) {
                        progress.update(loaded);
                    }
                }
                List<Long> none = punctuate(driver, timings, 20);
                long disk = size(state);
                System.out.printf(Locale.ROOT, "| %,d | %.3f / %.3f | %.0f | %.0f | %.0f |%n", checkpoint,
                        median(none) / 1e6, Collections.max(none) / 1e6, (usedHeap() - heapBefore) / 1e6, disk / 1e6,
                        (double) disk / checkpoint);
            }

            // 10,000 due at once: sends with a 1 s timeout, accepted long ago
            for (int i = 0; i < 10_000; i++) {
                template.setMsgKey("due" + i);
                template.setEventId("d" + i);
                template.setTimeoutMillis(1_000L);
                sends.pipeInput(template.getMsgKey(), template, t0);
            }
            timings.nanos.clear();
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            long dueNanos = timings.nanos.get(0);
            int handled = timings.lastHandled;
            System.out.println();
            System.out.printf(Locale.ROOT, "punctuation over an empty store (baseline): p50 %.3f ms%n", emptyP50 / 1e6);
            System.out.printf(Locale.ROOT, "punctuation with %,d pending, none due: p50 %.3f ms (%.1fx the empty-store baseline)%n",
                    pending, median(punctuate(driver, timings, 20)) / 1e6, median(timings.nanos) / emptyP50);
            System.out.printf(Locale.ROOT, "punctuation with %,d due (of %,d pending): %.1f ms, %,d handled%n",
                    10_000, pending + 10_000, dueNanos / 1e6, handled);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static List<Long> punctuate(TopologyTestDriver driver, Timings timings, int times) {
        timings.nanos.clear();
        for (int i = 0; i < times; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        return new ArrayList<>(timings.nanos);
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
}
