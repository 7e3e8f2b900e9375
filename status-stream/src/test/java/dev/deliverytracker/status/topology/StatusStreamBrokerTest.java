package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.rules.CodeClassifier;
import dev.deliverytracker.status.rules.DeliveryTimeouts;
import dev.deliverytracker.status.rules.StatusRules;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology on the real embedded broker with exactly_once_v2 and the real serdes: a few hundred deliveries with
 * duplicates, fallbacks, out-of-order reports and missing reports; every msgKey gets exactly one final status, the
 * expected one, and nothing more arrives afterwards.
 */
class StatusStreamBrokerTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "status-broker-test";
    private static final int DELIVERIES = 300;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void everyDeliveryGetsExactlyOneFinalStatus(@TempDir Path state) {
        TopicCatalogue topics = TopicCatalogue.defaults();
        for (var topic : List.of(topics.sends(), topics.reports(), topics.status())) {
            KAFKA.broker().createTopic(topic.name(), 3);
        }
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);

        Map<String, DeliveryState> expected = new HashMap<>();
        Map<String, Classification> expectedClass = new HashMap<>();
        Instant now = Instant.now();
        try (KafkaProducer<String, SendEvent> sends = producer(topics.sends().valueSerde(serdes).serializer());
             KafkaProducer<String, ProviderReport> reports = producer(topics.reports().valueSerde(serdes).serializer())) {
            for (int i = 0; i < DELIVERIES; i++) {
                String key = "mk-" + i;
                SendEvent send = acceptedSend(key, now).build();
                switch (i % 10) {
                    case 0 -> { // never reported: STUCK, then DEAD_LETTER / NO_REPORT at max age
                        sends.send(record(topics.sends().name(), key, send, now));
                        expected.put(key, DeliveryState.DEAD_LETTER);
                        expectedClass.put(key, Classification.NO_REPORT);
                    }
                    case 1 -> { // last channel fails
                        sends.send(record(topics.sends().name(), key, acceptedSend(key, now).setFlow(List.of(Channel.ALIMTALK)).build(), now));
                        reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "64016", now).build(), now));
                        expected.put(key, DeliveryState.DEAD_LETTER);
                        expectedClass.put(key, Classification.PERMANENT_FAILURE);
                    }
                    case 2 -> { // fallback to SMS succeeds
                        sends.send(record(topics.sends().name(), key, send, now));
                        reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "63019", now).build(), now));
                        reports.send(record(topics.reports().name(), key, report(key, Channel.SMS, "10000", now).build(), now));
                        expected.put(key, DeliveryState.SENT);
                    }
                    case 3 -> { // the provider retries its report three times
                        sends.send(record(topics.sends().name(), key, send, now));
                        for (int r = 0; r < 4; r++) {
                            reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "10000", now).build(), now));
                        }
                        expected.put(key, DeliveryState.SENT);
                    }
                    case 4 -> { // the report comes first
                        reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "10000", now).build(), now));
                        reports.flush();
                        sends.send(record(topics.sends().name(), key, send, now));
                        expected.put(key, DeliveryState.SENT);
                    }
                    case 5 -> { // the producer published the send twice
                        sends.send(record(topics.sends().name(), key, send, now));
                        sends.send(record(topics.sends().name(), key, send, now));
                        reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "10000", now).build(), now));
                        expected.put(key, DeliveryState.SENT);
                    }
                    default -> {
                        sends.send(record(topics.sends().name(), key, send, now));
                        reports.send(record(topics.reports().name(), key, report(key, Channel.ALIMTALK, "10000", now).build(), now));
                        expected.put(key, DeliveryState.SENT);
                    }
                }
            }
        }

        StatusRules rules = new StatusRules(DeliveryTimeouts.of(Duration.ofSeconds(2)), CodeClassifier.defaults(),
                Duration.ofSeconds(4), Duration.ofSeconds(30), Duration.ofHours(1), true);
        StatusTopologyConfig config = new StatusTopologyConfig(topics, rules, Duration.ofMillis(200), 10_000,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-broker-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        Map<String, List<DeliveryStatus>> finals = new HashMap<>();
        List<String> eventIds = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(StatusTopology.build(config, serdes, new RecordingMetrics()), props);
             KafkaConsumer<String, DeliveryStatus> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "status-reader",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     topics.status().keySerde(serdes).deserializer(), topics.status().valueSerde(serdes).deserializer())) {
            streams.start();
            consumer.subscribe(List.of(topics.status().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (finals.size() < DELIVERIES && System.nanoTime() < deadline) {
                collect(consumer, Duration.ofMillis(200), finals, eventIds);
            }
            // prove nothing more arrives: two punctuation intervals past the last deadline
            collect(consumer, Duration.ofSeconds(3), finals, eventIds);
        }

        assertThat(finals).hasSize(DELIVERIES);
        finals.forEach((key, statuses) -> {
            assertThat(statuses).as("final statuses of %s", key).hasSize(1);
            assertThat(statuses.get(0).getStatus()).as("final status of %s", key).isEqualTo(expected.get(key));
            if (expectedClass.containsKey(key)) {
                assertThat(statuses.get(0).getClassification()).as("classification of %s", key).isEqualTo(expectedClass.get(key));
            }
        });
        assertThat(eventIds).doesNotHaveDuplicates();
    }

    private static void collect(KafkaConsumer<String, DeliveryStatus> consumer, Duration timeout,
                                Map<String, List<DeliveryStatus>> finals, List<String> eventIds) {
        for (ConsumerRecord<String, DeliveryStatus> r : consumer.poll(timeout)) {
            eventIds.add(r.value().getEventId());
            if (r.value().getStatus() == DeliveryState.SENT || r.value().getStatus() == DeliveryState.DEAD_LETTER) {
                finals.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
        }
    }

    private static <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new org.apache.kafka.common.serialization.StringSerializer(), values);
    }

    private static <V> ProducerRecord<String, V> record(String topic, String key, V value, Instant timestamp) {
        return new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value);
    }
}
