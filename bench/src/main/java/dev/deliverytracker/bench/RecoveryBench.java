package dev.deliverytracker.bench;

import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Recovery: how long until a restarted status-stream with N deliveries of state (default 1 million pending) processes
 * new records again on every partition. "Caught up" is measured by probes: one new send per partition, produced at
 * the restart (or the failure), and the time until all their PENDING events are readable. Three cases: a restart on
 * the same state directory; a restart that lost its state (a new machine: restore from the changelogs); and, with
 * {@code num.standby.replicas=1} and two instances, the failure of the active one. Baseline in the same run: the same
 * probes against the running instance before any restart. {@code -Ddeliveries=N}.
 */
final class RecoveryBench {

    private static final int PARTITIONS = 6;

    private RecoveryBench() {
    }

    static void run() {
        int deliveries = Integer.getInteger("deliveries", 1_000_000);
        String scope = "bench-recovery";
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            for (var topic : List.of(BenchServices.TOPICS.sends(), BenchServices.TOPICS.reports(), BenchServices.TOPICS.status())) {
                kafka.createTopic(topic.name(), PARTITIONS);
            }
            String bootstrap = kafka.bootstrapServers();
            try (KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(bootstrap, scope);
                 KafkaConsumer<String, DeliveryStatus> statuses = tail(bootstrap, scope)) {
                load(producer, deliveries);
                System.out.println("| case | time to RUNNING | time until probes on all partitions are processed |");
                System.out.println("| --- | ---: | ---: |");

                // No standby: one instance processes the load, then is restarted twice.
                Path stateA = tempDir();
                String appA = "bench-recovery-" + UUID.randomUUID();
                long[] result;
                EmbeddedServer a = start(bootstrap, scope, appA, stateA, 0);
                awaitProbes(producer, statuses, "load-a", Duration.ofMinutes(8)); // the whole load is processed
                result = timeProbes(producer, statuses, "baseline-a", a);
                print("baseline: probes on the running instance", new long[]{0, result[1]});
                a.close();
                long started = System.nanoTime();
                a = start(bootstrap, scope, appA, stateA, 0);
                print("restart on the same state directory", timeSince(started, producer, statuses, "restart-a", a));
                a.close();
                deleteTree(stateA);
                started = System.nanoTime();
                a = start(bootstrap, scope, appA, stateA, 0);
                print("restart with the state lost (restore from changelogs)", timeSince(started, producer, statuses, "restore-a", a));
                a.close();

                // One standby: two instances share the work; the one that owns a probe partition... fails as a whole.
                String appB = "bench-recovery-standby-" + UUID.randomUUID();
                EmbeddedServer b1 = start(bootstrap, scope, appB, tempDir(), 1);
                EmbeddedServer b2 = start(bootstrap, scope, appB, tempDir(), 1);
                awaitProbes(producer, statuses, "load-b", Duration.ofMinutes(8));
                awaitProbes(producer, statuses, "settle-b", Duration.ofMinutes(2)); // standbys have followed the changelogs
                started = System.nanoTime();
                b1.close();
                long[] failover = timeSince(started, producer, statuses, "failover-b", b2);
                print("failure of one of two instances, 1 standby replica (survivor's time)", failover);
                b2.close();
                System.out.printf(Locale.ROOT, "%n%,d pending deliveries of state, %d partitions, exactly_once_v2, one broker in the same JVM%n",
                        deliveries, PARTITIONS);
            }
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static void load(KafkaProducer<String, SendEvent> producer, int deliveries) {
        Progress progress = new Progress("sends produced", deliveries);
        Instant now = Instant.now();
        for (int i = 0; i < deliveries; i++) {
            String msgKey = "rec-" + i;
            producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), null, now.toEpochMilli(), msgKey,
                    BenchServices.accepted(msgKey, now)));
            if (i % 10_000 == 0) {
                progress.update(i);
            }
        }
        producer.flush();
        progress.update(deliveries);
    }

    private static EmbeddedServer start(String bootstrap, String scope, String applicationId, Path stateDir, int standbys) {
        Map<String, Object> props = BenchServices.props("status-stream", bootstrap, scope);
        props.put("delivery.status-stream.application-id", applicationId);
        props.put("delivery.status-stream.state-dir", stateDir.toString());
        props.put("delivery.status-stream.standby-replicas", standbys);
        props.put("delivery.timeouts.default", "2h"); // nothing goes stuck during the benchmark
        props.put("delivery.status-stream.streams.session.timeout.ms", 10_000);
        return DeliveryService.STATUS_STREAM.start(props);
    }

    /** Time to RUNNING (health UP) and until probes on every partition are processed, both from {@code started}. */
    private static long[] timeSince(long started, KafkaProducer<String, SendEvent> producer, KafkaConsumer<String, DeliveryStatus> statuses,
                                    String label, EmbeddedServer server) {
        BenchServices.awaitUp(server, Duration.ofMinutes(8));
        long running = (System.nanoTime() - started) / 1_000_000;
        awaitProbes(producer, statuses, label, Duration.ofMinutes(8));
        return new long[]{running, (System.nanoTime() - started) / 1_000_000};
    }

    private static long[] timeProbes(KafkaProducer<String, SendEvent> producer, KafkaConsumer<String, DeliveryStatus> statuses,
                                     String label, EmbeddedServer server) {
        long started = System.nanoTime();
        awaitProbes(producer, statuses, label, Duration.ofMinutes(2));
        return new long[]{0, (System.nanoTime() - started) / 1_000_000};
    }

    /** Produces one send per partition and waits until every one's PENDING status is readable. */
    private static void awaitProbes(KafkaProducer<String, SendEvent> producer, KafkaConsumer<String, DeliveryStatus> statuses,
                                    String label, Duration timeout) {
        Set<String> waiting = new HashSet<>();
        Instant now = Instant.now();
        for (String key : probeKeys(label)) {
            waiting.add(key);
            producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), null, now.toEpochMilli(), key, BenchServices.accepted(key, now)));
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": probes not processed within " + timeout + ": " + waiting);
            }
            for (ConsumerRecord<String, DeliveryStatus> record : statuses.poll(Duration.ofMillis(50))) {
                if (record.value().getStatus() == DeliveryState.PENDING) {
                    waiting.remove(record.key());
                }
            }
        }
    }

    /** One key per partition of the sends topic (the default partitioner: murmur2 of the key bytes). */
    private static List<String> probeKeys(String label) {
        List<String> keys = new ArrayList<>();
        boolean[] covered = new boolean[PARTITIONS];
        for (int i = 0; keys.size() < PARTITIONS; i++) {
            String key = "probe-" + label + "-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (!covered[partition]) {
                covered[partition] = true;
                keys.add(key);
            }
        }
        return keys;
    }

    /** A read_committed reader of the status topic from its end, without a consumer group (no rebalance delays). */
    private static KafkaConsumer<String, DeliveryStatus> tail(String bootstrap, String scope) {
        var topic = BenchServices.TOPICS.status();
        KafkaConsumer<String, DeliveryStatus> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                topic.keySerde(BenchServices.serdes(scope)).deserializer(), topic.valueSerde(BenchServices.serdes(scope)).deserializer());
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static void print(String what, long[] result) {
        System.out.printf(Locale.ROOT, "| %s | %s | %,d ms |%n", what, result[0] == 0 ? "-" : String.format(Locale.ROOT, "%,d ms", result[0]), result[1]);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bench-recovery-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
