package dev.deliverytracker.monitor.topology;


import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The monitor's topology in Kafka's TopologyTestDriver with the real serdes (in-process registry), a mocked wall
 * clock and explicit record timestamps. {@link #restart()} simulates a redeploy: the stores' contents are carried
 * into a new driver, as the changelog restore does, and the new task starts with its own clock.
 */
final class AlertHarness implements AutoCloseable {

    static final List<String> STORES = List.of(AlertEvaluator.ACTIVITY_STORE, AlertEvaluator.BUCKETS_STORE,
            AlertEvaluator.STUCK_STORE, AlertEvaluator.ALERTS_STORE);

    private final AlertTopologyConfig config;
    private final SerdeSettings serdes;
    private final String scope = "monitor-topology-" + System.nanoTime();
    TopologyTestDriver driver;
    private TestInputTopic<String, DeliveryStatus> status;
    private TestInputTopic<byte[], byte[]> rawStatus;
    private TestOutputTopic<String, DeliveryAlert> alerts;
    private TestOutputTopic<byte[], byte[]> dead;
    private Instant wallClock;
    private int sequence;

    AlertHarness(AlertTopologyConfig config, Instant start) {
        this.config = config;
        this.serdes = new SerdeSettings(MockSchemaRegistry.scope(scope), true);
        open(start);
    }

    private void open(Instant start) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            Path dir = Files.createTempDirectory("monitor-ttd-");
            props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(AlertTopology.build(config, serdes), props, start);
        wallClock = start;
        TopicCatalogue topics = config.topics();
        status = driver.createInputTopic(topics.status().name(), new StringSerializer(), topics.status().valueSerde(serdes).serializer());
        rawStatus = driver.createInputTopic(topics.status().name(), new ByteArraySerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), new StringDeserializer(), topics.alerts().valueSerde(serdes).deserializer());
        dead = driver.createOutputTopic(topics.deadRecords().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A redeploy: every store's content survives (as restored from its changelog), the task and its clock start anew. */
    void restart() {
        Map<String, List<KeyValue<Object, Object>>> contents = new HashMap<>();
        for (String store : STORES) {
            KeyValueStore<Object, Object> kv = driver.getKeyValueStore(store);
            List<KeyValue<Object, Object>> all = new ArrayList<>();
            try (KeyValueIterator<Object, Object> it = kv.all()) {
                it.forEachRemaining(all::add);
            }
            contents.put(store, all);
        }
        assertOutputEmpty("before the restart");
        driver.close();
        open(wallClock);
        contents.forEach((store, all) -> {
            KeyValueStore<Object, Object> kv = driver.getKeyValueStore(store);
            all.forEach(e -> kv.put(e.key, e.value));
        });
    }

    void pipe(DeliveryStatus s) {
        status.pipeInput(s.getMsgKey(), s, s.getResolvedAt());
    }

    void pipeRaw(byte[] key, byte[] value) {
        rawStatus.pipeInput(key, value, wallClock);
    }

    void advance(Duration d) {
        wallClock = wallClock.plus(d);
        driver.advanceWallClockTime(d);
    }

    Instant now() {
        return wallClock;
    }

    List<DeliveryAlert> alerts() {
        return alerts.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    List<TestRecord<byte[], byte[]>> deadRecords() {
        return dead.readRecordsToList();
    }

    void assertOutputEmpty(String when) {
        org.assertj.core.api.Assertions.assertThat(alerts.readValuesToList()).as("no more alerts " + when).isEmpty();
        org.assertj.core.api.Assertions.assertThat(dead.isEmpty()).as("no more dead records " + when).isTrue();
    }

    // ---- statuses as status-stream writes them

    DeliveryStatus.Builder status(String provider, DeliveryState state, Classification classification, String code) {
        String msgKey = provider + "-msg-" + (++sequence);
        return DeliveryStatus.newBuilder()
                .setEventId(msgKey + "-" + state)
                .setMsgKey(msgKey)
                .setStatus(state)
                .setPreviousStatus(state == DeliveryState.PENDING ? null : DeliveryState.PENDING)
                .setClassification(classification)
                .setCode(code)
                .setText(code == null ? null : "text of " + code)
                .setProvider(provider)
                .setChannel(Channel.ALIMTALK)
                .setFlow(List.of(Channel.ALIMTALK, Channel.SMS))
                .setOrigin("billing")
                .setTemplateCode("TPL_1")
                .setAcceptedAt(wallClock.minusSeconds(2))
                .setResolvedAt(wallClock);
    }

    DeliveryStatus accepted(String provider) {
        return status(provider, DeliveryState.PENDING, null, null).build();
    }

    DeliveryStatus delivered(String provider) {
        return status(provider, DeliveryState.SENT, Classification.DELIVERED, "10000").build();
    }

    DeliveryStatus failed(String provider, String code, Classification classification) {
        return status(provider, DeliveryState.DEAD_LETTER, classification, code).build();
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
