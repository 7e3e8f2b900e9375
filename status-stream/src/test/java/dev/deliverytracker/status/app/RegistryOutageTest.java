package dev.deliverytracker.status.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.CachingSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.HttpSchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.rejectedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registry hiccup is not bad data (issue 12, item 2): with a backlog of sends and reports waiting, status-stream
 * starts while its Schema Registry (the REST API over HTTP) answers 503 for 10 s. It waits for the registry
 * before starting the stream, then settles every delivery right; nothing goes to dead records.
 */
class RegistryOutageTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Instant NOW = Instant.now();
    private static final int DELIVERED = 20;
    private static final int REJECTED = 5;

    @Test
    void aRegistryDownForTenSecondsAtStartDelaysTheStartAndLosesNothing(@TempDir Path state) throws Exception {
        TopicCatalogue topics = TopicCatalogue.fromConfig(Map.of(
                "delivery.topics.sends", "outage.sends", "delivery.topics.reports", "outage.reports",
                "delivery.topics.status", "outage.status", "delivery.topics.dead-records", "outage.dead"));
        KAFKA.broker().createTopic(topics.sends().name(), 3);
        KAFKA.broker().createTopic(topics.reports().name(), 3);
        KAFKA.broker().createTopic(topics.status().name(), 3);
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
        try (FakeSchemaRegistryServer registry = FakeSchemaRegistryServer.plain()) {
            // the producers' own client (send-service's, webhook-ingest's): status-stream's has cached nothing
            SerdeSettings producers = new SerdeSettings(new CachingSchemaRegistryClient(
                    new HttpSchemaRegistryClient(SchemaRegistryConfig.fromMap(registry.clientConfig()))), true);
            produceBacklog(topics, producers);

            registry.down(true);
            long downSince = System.nanoTime();
            CompletableFuture<EmbeddedServer> starting = CompletableFuture.supplyAsync(() -> start(topics, registry.url(), state));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    registry.refused() >= 3 && System.nanoTime() - downSince >= TimeUnit.SECONDS.toNanos(10));
            assertThat(starting).as("start-up waits for the registry").isNotDone();
            registry.down(false);

            try (EmbeddedServer server = starting.get(90, TimeUnit.SECONDS);
                 KafkaConsumer<String, DeliveryStatus> statuses = new KafkaConsumer<>(consumerConfig(),
                         topics.status().keySerde(producers).deserializer(), topics.status().valueSerde(producers).deserializer());
                 KafkaConsumer<byte[], byte[]> dead = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                statuses.subscribe(List.of(topics.status().name()));
                List<ConsumerRecord<String, DeliveryStatus>> read = TopicReader.readUntil(statuses,
                        seen -> finals(seen).size() >= DELIVERED + REJECTED, Duration.ofSeconds(90), Duration.ofSeconds(1));
                Map<String, DeliveryState> finals = finals(read);
                assertThat(finals).hasSize(DELIVERED + REJECTED);
                for (int i = 0; i < DELIVERED; i++) {
                    assertThat(finals).containsEntry("mk-outage-" + i, DeliveryState.SENT);
                }
                for (int i = 0; i < REJECTED; i++) {
                    assertThat(finals).containsEntry("rq-outage-" + i, DeliveryState.DEAD_LETTER);
                }
                assertThat(read).extracting(r -> r.value().getStatus()).doesNotContain(DeliveryState.UNMATCHED_REPORT);
                assertThat(readToEnd(dead, topics.deadRecords().name())).as("no dead records").isEmpty();
            }
        }
    }

    private static void produceBacklog(TopicCatalogue topics, SerdeSettings serdes) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<String, SendEvent> sends = new KafkaProducer<>(config,
                topics.sends().keySerde(serdes).serializer(), topics.sends().valueSerde(serdes).serializer());
             KafkaProducer<String, ProviderReport> reports = new KafkaProducer<>(config,
                     topics.reports().keySerde(serdes).serializer(), topics.reports().valueSerde(serdes).serializer())) {
            for (int i = 0; i < DELIVERED; i++) {
                SendEvent send = acceptedSend("mk-outage-" + i, NOW).build();
                sends.send(new ProducerRecord<>(topics.sends().name(), null, NOW.toEpochMilli(), send.getMsgKey(), send));
                ProviderReport delivered = report("mk-outage-" + i, Channel.ALIMTALK, "10000", NOW.plusSeconds(1)).build();
                reports.send(new ProducerRecord<>(topics.reports().name(), null, NOW.plusSeconds(1).toEpochMilli(), delivered.getMsgKey(), delivered));
            }
            for (int i = 0; i < REJECTED; i++) {
                SendEvent rejected = rejectedSend("rq-outage-" + i, NOW, "A204", "invalid template").build();
                sends.send(new ProducerRecord<>(topics.sends().name(), null, NOW.toEpochMilli(), rejected.getRequestId(), rejected));
            }
            sends.flush();
            reports.flush();
        }
    }

    private static Map<String, DeliveryState> finals(List<ConsumerRecord<String, DeliveryStatus>> records) {
        return records.stream().filter(r -> r.value().getStatus() == DeliveryState.SENT || r.value().getStatus() == DeliveryState.DEAD_LETTER)
                .collect(Collectors.toMap(ConsumerRecord::key, r -> r.value().getStatus(), (a, b) -> a));
    }

    /** Every committed record of {@code topic}, read from the beginning to its end offsets. */
    private static List<ConsumerRecord<byte[], byte[]>> readToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map((PartitionInfo p) -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(partitions).allSatisfy(p -> assertThat(consumer.position(p)).isGreaterThanOrEqualTo(end.get(p)));
        return records;
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "outage-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static EmbeddedServer start(TopicCatalogue topics, String registryUrl, Path state) {
        return DeliveryService.STATUS_STREAM.start(
                StatusStreamServiceTest.serviceProperties(KAFKA.bootstrapServers(), registryUrl, "status-outage", topics, state));
    }
}
