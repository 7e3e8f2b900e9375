package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.state.TrackedDelivery;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * status-stream's topology in Kafka's TopologyTestDriver, with the real serdes (in-process registry), a mocked
 * wall clock starting at {@code start} and explicit record timestamps.
 */
final class TopologyHarness implements AutoCloseable {

    TopologyTestDriver driver;
    final RecordingMetrics metrics = new RecordingMetrics();
    private TestInputTopic<String, SendEvent> sends;
    private TestInputTopic<String, ProviderReport> reports;
    private TestInputTopic<byte[], byte[]> rawSends;
    private TestOutputTopic<String, DeliveryStatus> status;
    private TestOutputTopic<byte[], byte[]> deadRecords;
    private final String scope = "topology-" + System.nanoTime();
    private final StatusTopologyConfig config;
    /** The serdes' registry when a test brings its own (an HTTP registry that can be down); null for the in-process one. */
    private final SerdeSettings givenSerdes;
    private Instant wallClock;
    private java.nio.file.Path stateDir;

    TopologyHarness(StatusTopologyConfig config, Instant start) {
        this(config, start, null);
    }

    TopologyHarness(StatusTopologyConfig config, Instant start, SerdeSettings serdes) {
        this.config = config;
        this.givenSerdes = serdes;
        open(start);
    }

    private void open(Instant start) {
        SerdeSettings serdes = givenSerdes != null ? givenSerdes : new SerdeSettings(MockSchemaRegistry.scope(scope), true);
        TopicCatalogue topics = config.topics();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-stream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            stateDir = java.nio.file.Files.createTempDirectory("status-stream-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(StatusTopology.build(config, serdes, metrics), props, start);
        wallClock = start;
        sends = driver.createInputTopic(topics.sends().name(), new StringSerializer(), topics.sends().valueSerde(serdes).serializer());
        reports = driver.createInputTopic(topics.reports().name(), new StringSerializer(), topics.reports().valueSerde(serdes).serializer());
        rawSends = driver.createInputTopic(topics.sends().name(), new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(topics.status().name(), new org.apache.kafka.common.serialization.StringDeserializer(),
                topics.status().valueSerde(serdes).deserializer());
        deadRecords = driver.createOutputTopic(topics.deadRecords().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A redeploy after downtime: the stores' contents are carried into a new driver (as the changelog restore does)
     * whose wall clock starts at {@code at}; its task has seen no record yet.
     */
    void restartAt(Instant at) {
        java.util.Map<String, List<org.apache.kafka.streams.KeyValue<Object, Object>>> contents = new java.util.HashMap<>();
        for (String name : List.of(DeliveryTracker.DELIVERIES_STORE, DeliveryTracker.DEADLINES_STORE,
                DeliveryTracker.COUNTS_STORE)) {
            KeyValueStore<Object, Object> store = driver.getKeyValueStore(name);
            List<org.apache.kafka.streams.KeyValue<Object, Object>> all = new java.util.ArrayList<>();
            try (var it = store.all()) {
                it.forEachRemaining(all::add);
            }
            contents.put(name, all);
        }
        assertNothingMoreEmitted();
        driver.close();
        open(at);
        contents.forEach((name, all) -> {
            KeyValueStore<Object, Object> store = driver.getKeyValueStore(name);
            all.forEach(e -> store.put(e.key, e.value));
        });
    }

    /** Pipes a send with record timestamp = its acceptedAt. */
    void send(SendEvent send) {
        String key = send.getMsgKey() != null ? send.getMsgKey() : send.getRequestId();
        sends.pipeInput(key, send, send.getAcceptedAt());
    }

    /** Pipes a report with record timestamp = its receivedAt. */
    void report(ProviderReport report) {
        reports.pipeInput(report.getMsgKey(), report, report.getReceivedAt());
    }

    void rawSend(byte[] key, byte[] value, Instant timestamp) {
        rawSends.pipeInput(new TestRecord<>(key, value, timestamp));
    }

    /** Moves the mocked wall clock forward, firing the wall-clock punctuations on the way. */
    void advance(Duration by) {
        wallClock = wallClock.plus(by);
        driver.advanceWallClockTime(by);
    }

    Instant wallClock() {
        return wallClock;
    }

    List<DeliveryStatus> statuses() {
        return status.readValuesToList();
    }

    DeliveryStatus onlyStatus() {
        List<DeliveryStatus> all = statuses();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    List<TestRecord<byte[], byte[]>> deadRecords() {
        return deadRecords.readRecordsToList();
    }

    void assertNothingMoreEmitted() {
        assertThat(status.isEmpty()).as("no further status events").isTrue();
        assertThat(deadRecords.isEmpty()).as("no further dead records").isTrue();
    }

    TrackedDelivery stored(String key) {
        KeyValueStore<String, TrackedDelivery> store = driver.getKeyValueStore(DeliveryTracker.DELIVERIES_STORE);
        return store.get(key);
    }

    long indexSize() {
        KeyValueStore<Object, Object> store = driver.getKeyValueStore(DeliveryTracker.DEADLINES_STORE);
        long count = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    /** A header of a dead record as text; null when absent. */
    static String header(TestRecord<byte[], byte[]> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
        try {
            org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
