package dev.deliverytracker.schemas;

import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.fixtures.Events;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.serde.AvroDeserializer;
import dev.deliverytracker.schemas.serde.AvroSerializer;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Records cross a real broker with our serdes: plain clients configured by class name, and Kafka Streams with EOS. */
class BrokerRoundTripTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String SCOPE = "broker-round-trip";
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void plainProducerAndConsumerConfiguredByClassName() {
        KAFKA.broker().createTopic(TOPICS.sends().name(), 3);
        Map<String, Object> producerConfig = new HashMap<>(registryConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, SendEvent> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < 20; i++) {
                SendEvent send = Events.acceptedSend("mk-" + i, T0.plusSeconds(i)).build();
                producer.send(new ProducerRecord<>(TOPICS.sends().name(), send.getMsgKey(), send));
            }
        }

        Map<String, Object> consumerConfig = new HashMap<>(registryConfig());
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
        List<SendEvent> received = poll(consumerConfig, TOPICS.sends().name(), 20);
        assertThat(received).hasSize(20);
        assertThat(received).extracting(SendEvent::getMsgKey).doesNotHaveDuplicates().allMatch(k -> k.startsWith("mk-"));
        assertThat(received.get(0).getAcceptedAt()).isBetween(T0, T0.plusSeconds(19));
        assertThat(MockSchemaRegistry.scope(SCOPE).subjects()).contains(TOPICS.sends().name() + "-value");
    }

    @Test
    void kafkaStreamsWithExactlyOnceReadsAndWritesThroughTheCatalogueSerdes(@TempDir Path stateDir) {
        KAFKA.broker().createTopic(TOPICS.reports().name(), 3);
        KAFKA.broker().createTopic(TOPICS.status().name(), 3);
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(SCOPE), true);

        try (KafkaProducer<String, dev.deliverytracker.events.ProviderReport> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                TOPICS.reports().keySerde(serdes).serializer(), TOPICS.reports().valueSerde(serdes).serializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPICS.reports().name(), "mk-" + i,
                        Events.report("mk-" + i, Channel.ALIMTALK, "10000", T0.plusSeconds(i)).build()));
            }
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(TOPICS.reports().name(), Consumed.with(TOPICS.reports().keySerde(serdes), TOPICS.reports().valueSerde(serdes)))
                .mapValues(report -> DeliveryStatus.newBuilder()
                        .setEventId(report.getMsgKey() + ":SENT")
                        .setMsgKey(report.getMsgKey())
                        .setStatus(DeliveryState.SENT)
                        .setProvider(report.getProvider())
                        .setResolvedAt(report.getReceivedAt())
                        .build())
                .to(TOPICS.status().name(), Produced.with(TOPICS.status().keySerde(serdes), TOPICS.status().valueSerde(serdes)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "round-trip-streams");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            Map<String, Object> consumerConfig = new HashMap<>(registryConfig());
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "status-reader");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
            consumerConfig.put(AvroDeserializer.READER_CLASS, DeliveryStatus.class.getName());
            List<DeliveryStatus> statuses = poll(consumerConfig, TOPICS.status().name(), 10);
            assertThat(statuses).extracting(DeliveryStatus::getMsgKey)
                    .containsExactlyInAnyOrder("mk-0", "mk-1", "mk-2", "mk-3", "mk-4", "mk-5", "mk-6", "mk-7", "mk-8", "mk-9");
            assertThat(statuses).allMatch(s -> s.getStatus() == DeliveryState.SENT);
        }
    }

    private static Map<String, Object> registryConfig() {
        return Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE, AvroSerializer.AUTO_REGISTER, "true");
    }

    /** Polls until {@code expected} records arrived (deadline 60 s), then once more to prove nothing else comes. */
    private static <V> List<V> poll(Map<String, Object> config, String topic, int expected) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            TopicReader.readAtLeast(consumer, expected, Duration.ofSeconds(60), Duration.ofMillis(500))
                    .forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
