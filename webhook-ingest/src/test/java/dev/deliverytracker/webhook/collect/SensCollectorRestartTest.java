package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.sens.SensSignature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector as Kafka Streams on a real broker, stopped while messages are still processing at SENS and started
 * again on an empty state directory, so its list of what to ask about comes back from the changelog: every message's
 * result is written once, none is missed, none twice.
 */
class SensCollectorRestartTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    private static final String REGISTRY = "sens-collector-restart";
    private static final CollectorConfig CONFIG = new CollectorConfig(Duration.ofMillis(200),
            Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofMinutes(10), 50, Duration.ofSeconds(2), Duration.ofSeconds(3));

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aRestartOnAnEmptyStateDirectoryMissesNoResultAndWritesNoneTwice(@TempDir Path first, @TempDir Path second) throws Exception {
        TopicCatalogue topics = TopicCatalogue.fromConfig(Map.of("delivery.topics.sends", "restart.sends", "delivery.topics.reports", "restart.reports"));
        KAFKA.broker().createTopic(topics.sends().name(), 3);
        KAFKA.broker().createTopic(topics.reports().name(), 3);
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        try (FakeSens sens = FakeSens.builder(SensFixture.ACCESS, SensFixture.SECRET, SensFixture.SERVICE).processing(Duration.ofSeconds(8)).start();
             KafkaConsumer<String, ProviderReport> reports = reportConsumer(topics, serdes)) {
            List<String> early = SensFixture.accepted(sens, Clock.systemUTC(), "01011110000", "01011110001", "01011110002");
            produce(topics, serdes, early);
            KafkaStreams before = start(topics, serdes, sens, first);
            List<ConsumerRecord<String, ProviderReport>> seen = new ArrayList<>();
            try {
                // asked at least once (everything still processing), then stopped before any result is final
                await().atMost(Duration.ofSeconds(30)).until(() -> sens.resultCalls() >= 1);
            } finally {
                // a clean stop leaves the group (as SensCollectorRunner does), so the next start is not held up
                before.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(20)));
            }
            seen.addAll(TopicReader.readAtLeast(reports, 0, Duration.ofSeconds(1), Duration.ofMillis(500)));
            assertThat(seen).as("nothing final yet when it stopped").isEmpty();

            List<String> late = SensFixture.accepted(sens, Clock.systemUTC(), "01011110003", "01011110004");
            produce(topics, serdes, late); // sent while the collector was down
            KafkaStreams after = start(topics, serdes, sens, second);
            try {
                Set<String> all = new HashSet<>(early);
                all.addAll(late);
                seen.addAll(TopicReader.readUntil(reports, records -> {
                    Set<String> keys = new HashSet<>();
                    seen.forEach(r -> keys.add(r.key()));
                    records.forEach(r -> keys.add(r.key()));
                    return keys.containsAll(all);
                }, Duration.ofSeconds(60), Duration.ofSeconds(3)));
                Map<String, Long> perKey = seen.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
                assertThat(perKey.keySet()).containsExactlyInAnyOrderElementsOf(all);
                assertThat(perKey.values()).as("one report per message").containsOnly(1L);
                assertThat(seen).allSatisfy(r -> assertThat(r.value().getReportCode()).isEqualTo("0000"));
            } finally {
                after.close(Duration.ofSeconds(20));
            }
        }
    }

    private static KafkaStreams start(TopicCatalogue topics, SerdeSettings serdes, FakeSens sens, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sens-collector-restart");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        SensResultsClient client = new SensResultsClient(sens.baseUrl(), SensFixture.SERVICE, new SensSignature(SensFixture.ACCESS,
                SensFixture.SECRET), Duration.ofSeconds(2), Clock.systemUTC());
        KafkaStreams streams = new KafkaStreams(CollectorTopology.build(topics, serdes, List.of(new CollectorTopology.Collected(client, CONFIG)),
                new MicrometerCollectorMetrics(new SimpleMeterRegistry())), props);
        streams.start();
        return streams;
    }

    private static void produce(TopicCatalogue topics, SerdeSettings serdes, List<String> keys) {
        try (KafkaProducer<String, SendEvent> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                topics.sends().keySerde(serdes).serializer(), topics.sends().valueSerde(serdes).serializer())) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(topics.sends().name(), key, SensFixture.send(key, "ncp-sens", SendOutcome.ACCEPTED, Instant.now())));
            }
        }
    }

    private static KafkaConsumer<String, ProviderReport> reportConsumer(TopicCatalogue topics, SerdeSettings serdes) {
        KafkaConsumer<String, ProviderReport> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topics.reports().keySerde(serdes).deserializer(), topics.reports().valueSerde(serdes).deserializer());
        consumer.subscribe(List.of(topics.reports().name()));
        return consumer;
    }
}
