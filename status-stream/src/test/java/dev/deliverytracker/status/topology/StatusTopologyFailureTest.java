package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.CachingSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.HttpSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.serde.AvroSerializer;
import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.state.TrackedDelivery;
import dev.deliverytracker.status.state.TrackedDeliverySerde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static dev.deliverytracker.status.topology.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures that are not the input's fault (issue 12, items 2 and 7): a Schema Registry that does not answer is
 * retried, never a dead record; a state too large to store, or a deadline that cannot be handled, is a dead
 * record once and the stream goes on, never a crash loop.
 */
class StatusTopologyFailureTest {

    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    private TopologyHarness harness;
    private FakeSchemaRegistryServer registry;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private SchemaRegistryClient client() {
        Map<String, Object> config = new HashMap<>(registry.clientConfig());
        config.put(SchemaRegistryConfig.MAX_RETRIES, 0);
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(SchemaRegistryConfig.fromMap(config)));
    }

    @Test
    void aRecordWhoseSchemaCannotBeFetchedWhileTheRegistryIsDownIsRetriedNotDeadLettered() {
        registry = FakeSchemaRegistryServer.plain();
        SchemaRegistryClient streamRegistry = client();
        harness = new TopologyHarness(StatusTopologyTest.config(10_000), T0, new SerdeSettings(streamRegistry, true));
        // send-service has its own client: status-stream has never fetched this schema id
        byte[] send = new AvroSerializer<SendEvent>(client(), true, false).serialize("delivery.sends", acceptedSend("mk-r1", T0).build());
        byte[] key = "mk-r1".getBytes(StandardCharsets.UTF_8);

        registry.down(true);
        assertThatThrownBy(() -> harness.rawSend(key, send, T0))
                .satisfies(e -> assertThat(RegistryUnavailableException.isCauseOf(e)).as("thrown for a retry: " + e).isTrue());
        assertThat(registry.refused()).isPositive();
        assertThat(harness.stored("mk-r1")).isNull();
        harness.assertNothingMoreEmitted();

        // the registry is back; the record is read again (as a new stream thread does from the last commit)
        registry.down(false);
        harness.rawSend(key, send, T0);
        DeliveryStatus pending = harness.onlyStatus();
        assertThat(pending.getMsgKey()).isEqualTo("mk-r1");
        assertThat(pending.getStatus()).isEqualTo(DeliveryState.PENDING);
        harness.assertNothingMoreEmitted();
    }

    @Test
    void aStatusWhoseSchemaIdCannotBeHadWhileTheRegistryIsDownIsRetriedNotDeadLettered() {
        registry = FakeSchemaRegistryServer.plain();
        SchemaRegistryClient streamRegistry = client();
        harness = new TopologyHarness(StatusTopologyTest.config(10_000), T0, new SerdeSettings(streamRegistry, true));
        byte[] send = new AvroSerializer<SendEvent>(streamRegistry, true, false).serialize("delivery.sends", acceptedSend("mk-r2", T0).build());

        registry.down(true); // the send's schema is cached, the status's is not
        assertThatThrownBy(() -> harness.rawSend("mk-r2".getBytes(StandardCharsets.UTF_8), send, T0))
                .satisfies(e -> assertThat(RegistryUnavailableException.isCauseOf(e)).as("thrown for a retry: " + e).isTrue());
        assertThat(harness.deadRecords()).isEmpty();
    }

    @Test
    void aStateOverTheStoresSizeLimitIsADeadRecordAndTheStreamGoesOn() {
        harness = new TopologyHarness(StatusTopologyTest.config(10_000), T0);
        // 600 kB in UTF-8: over TrackedDeliverySerde.MAX_BYTES, so its changelog record could pass the broker's limit
        String hugeKey = "mk-" + "가".repeat(200_000);
        harness.report(report(hugeKey, Channel.ALIMTALK, "10000", T0).build());

        List<TestRecord<byte[], byte[]>> dead = harness.deadRecords();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadRecordHeaders.STAGE)).isEqualTo("state");
        assertThat(header(dead.get(0), DeadRecordHeaders.TOPIC)).isEqualTo("delivery.reports");
        assertThat(header(dead.get(0), DeadRecordHeaders.MESSAGE)).contains("over the limit of " + TrackedDeliverySerde.MAX_BYTES);
        assertThat(dead.get(0).value()).as("the report itself, byte for byte, for a replay").hasSizeGreaterThan(600_000);
        assertThat(harness.stored(hugeKey)).isNull();
        assertThat(harness.indexSize()).isZero();

        harness.send(acceptedSend("mk-after", T0).build());
        assertThat(harness.onlyStatus().getStatus()).isEqualTo(DeliveryState.PENDING);
        harness.assertNothingMoreEmitted();
    }

    @Test
    void aDeadlineThatCannotBeHandledIsADeadRecordOnceAndTheOtherTimersStillFire() {
        harness = new TopologyHarness(StatusTopologyTest.config(10_000), T0);
        harness.report(report("mk-broken", Channel.ALIMTALK, "10000", T0).build());
        harness.send(acceptedSend("mk-ok", T0).build());
        assertThat(harness.onlyStatus().getMsgKey()).isEqualTo("mk-ok");
        // a state that breaks the timer (an orphan report whose held attempts are gone), as a bug or bad state would
        KeyValueStore<String, TrackedDelivery> store = harness.driver.getKeyValueStore(DeliveryTracker.DELIVERIES_STORE);
        TrackedDelivery broken = store.get("mk-broken");
        broken.getHeld().clear();
        store.put("mk-broken", broken);

        harness.advance(Duration.ofMinutes(3)); // past the orphan grace: the broken timer fires, and fails
        List<TestRecord<byte[], byte[]>> dead = harness.deadRecords();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("mk-broken");
        assertThat(header(dead.get(0), DeadRecordHeaders.STAGE)).isEqualTo("punctuate");
        assertThat(header(dead.get(0), DeadRecordHeaders.MESSAGE)).contains("mk-broken");
        assertThat(harness.metrics.deadRecords.get()).isEqualTo(1);

        harness.advance(Duration.ofMinutes(8)); // past mk-ok's 10-minute timeout
        List<DeliveryStatus> later = harness.statuses();
        assertThat(later).extracting(DeliveryStatus::getMsgKey, DeliveryStatus::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mk-ok", DeliveryState.STUCK_PENDING));
        harness.assertNothingMoreEmitted(); // the broken timer was dropped, not retried every second
    }

    @Test
    void eachTasksClockModeIsReportedWaitingThenStreamTimeOnABacklogThenWallClock() {
        harness = new TopologyHarness(StatusTopologyTest.config(10_000), T0);
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.metrics.clockModes.values()).containsOnly(dev.deliverytracker.status.metrics.DeliveryMetrics.ClockMode.WAITING);
        harness.send(acceptedSend("mk-old", T0.minus(Duration.ofHours(3))).build()); // a backlog record, hours old
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.metrics.clockModes.values()).containsOnly(dev.deliverytracker.status.metrics.DeliveryMetrics.ClockMode.STREAM_TIME);
        harness.advance(Duration.ofSeconds(11)); // no record for idle-after (10 s): caught up
        assertThat(harness.metrics.clockModes.values()).containsOnly(dev.deliverytracker.status.metrics.DeliveryMetrics.ClockMode.WALL_CLOCK);
    }

}
