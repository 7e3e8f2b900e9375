package dev.deliverytracker.status.app;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.CachingSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.HttpSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once across a crash: status-stream runs as a child JVM (the real service main, the schema registry over
 * HTTP), is killed with SIGKILL while inputs are flowing, and restarts on the same state directory. A
 * read_committed consumer then sees every delivery's PENDING and SENT exactly once: nothing lost, nothing repeated.
 */
class StatusStreamCrashRecoveryTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final int WAVES = 8;
    private static final int PER_WAVE = 500;

    private final FakeSchemaRegistryServer registry = FakeSchemaRegistryServer.plain();
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        registry.close();
    }

    @Test
    void aKilledInstanceRestartsWithoutLosingOrRepeatingStatuses(@TempDir Path state, @TempDir Path logs) throws Exception {
        TopicCatalogue topics = TopicCatalogue.defaults();
        KAFKA.broker().createTopic(topics.sends().name(), 3);
        KAFKA.broker().createTopic(topics.reports().name(), 3);
        KAFKA.broker().createTopic(topics.status().name(), 3);
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
        SerdeSettings serdes = new SerdeSettings(new CachingSchemaRegistryClient(
                new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url()))), true);

        Map<String, List<DeliveryState>> seen = new HashMap<>();
        List<String> eventIds = new ArrayList<>();
        try (KafkaProducer<String, SendEvent> sends = producer(topics.sends().valueSerde(serdes).serializer());
             KafkaProducer<String, ProviderReport> reports = producer(topics.reports().valueSerde(serdes).serializer());
             KafkaConsumer<String, DeliveryStatus> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "crash-reader",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     topics.status().keySerde(serdes).deserializer(), topics.status().valueSerde(serdes).deserializer())) {
            consumer.subscribe(List.of(topics.status().name()));

            child = startChild(state, logs.resolve("first.log"));
            produceWave(0, sends, reports, topics);
            awaitStatuses(consumer, seen, eventIds, 2 * PER_WAVE, Duration.ofSeconds(90), logs.resolve("first.log"));

            // keep inputs flowing and kill the instance in the middle of it
            for (int wave = 1; wave < WAVES / 2; wave++) {
                produceWave(wave, sends, reports, topics);
            }
            child.destroyForcibly().waitFor();
            int atKill = total(seen);
            for (int wave = WAVES / 2; wave < WAVES; wave++) {
                produceWave(wave, sends, reports, topics);
            }
            drain(consumer, seen, eventIds, Duration.ofSeconds(2));
            assertThat(total(seen)).as("the kill left work undone (else this test proves nothing)").isLessThan(2 * WAVES * PER_WAVE);

            child = startChild(state, logs.resolve("second.log"));
            awaitStatuses(consumer, seen, eventIds, 2 * WAVES * PER_WAVE, Duration.ofSeconds(120), logs.resolve("second.log"));
            drain(consumer, seen, eventIds, Duration.ofSeconds(3)); // nothing more may arrive
            assertThat(atKill).isGreaterThanOrEqualTo(2 * PER_WAVE);
        }

        assertThat(seen).hasSize(WAVES * PER_WAVE);
        seen.forEach((key, statuses) ->
                assertThat(statuses).as("statuses of %s", key).containsExactly(DeliveryState.PENDING, DeliveryState.SENT));
        assertThat(eventIds).doesNotHaveDuplicates();
    }

    private void produceWave(int wave, KafkaProducer<String, SendEvent> sends, KafkaProducer<String, ProviderReport> reports,
                             TopicCatalogue topics) {
        Instant now = Instant.now();
        for (int i = 0; i < PER_WAVE; i++) {
            String key = "mk-" + wave + "-" + i;
            sends.send(new ProducerRecord<>(topics.sends().name(), null, now.toEpochMilli(), key, acceptedSend(key, now).build()));
            reports.send(new ProducerRecord<>(topics.reports().name(), null, now.toEpochMilli(), key,
                    report(key, Channel.ALIMTALK, "10000", now).build()));
        }
        sends.flush();
        reports.flush();
    }

    private Process startChild(Path state, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", classpath,
                "-Dmicronaut.server.port=" + freePort(),
                "-Dkafka.bootstrap.servers=" + KAFKA.bootstrapServers(),
                "-Dschema.registry.url=" + registry.url(),
                "-Dschema.registry.auto-register=true",
                "-Ddelivery.status-stream.application-id=crash-test",
                "-Ddelivery.status-stream.state-dir=" + state,
                "-Ddelivery.status-stream.streams.commit.interval.ms=100",
                // the killed member never leaves the group: let the broker notice within seconds, not 45 s
                "-Ddelivery.status-stream.streams.session.timeout.ms=6000",
                "-Ddelivery.status-stream.streams.heartbeat.interval.ms=1000",
                "dev.deliverytracker.status.app.StatusStreamApplication"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitStatuses(KafkaConsumer<String, DeliveryStatus> consumer, Map<String, List<DeliveryState>> seen,
                               List<String> eventIds, int expected, Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (total(seen) < expected && System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("status-stream exited early:\n" + java.nio.file.Files.readString(log));
            }
            drain(consumer, seen, eventIds, Duration.ofMillis(200));
        }
        assertThat(total(seen)).as("statuses within %s (log: %s)", timeout, log).isGreaterThanOrEqualTo(expected);
    }

    private static void drain(KafkaConsumer<String, DeliveryStatus> consumer, Map<String, List<DeliveryState>> seen,
                              List<String> eventIds, Duration timeout) {
        for (ConsumerRecord<String, DeliveryStatus> r : consumer.poll(timeout)) {
            seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getStatus());
            eventIds.add(r.value().getEventId());
        }
    }

    private static int total(Map<String, List<DeliveryState>> seen) {
        return seen.values().stream().mapToInt(List::size).sum();
    }

    private static <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), values);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
