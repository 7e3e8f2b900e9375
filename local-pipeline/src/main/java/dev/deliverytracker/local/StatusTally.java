package dev.deliverytracker.local;

import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@code delivery.status} as any downstream consumer would ({@code read_committed}, our deserializer) and keeps
 * the latest status of each delivery, for the demo's summary line.
 */
final class StatusTally implements AutoCloseable {

    private final KafkaConsumer<String, DeliveryStatus> consumer;
    private final Map<String, DeliveryState> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    StatusTally(String bootstrap, String registryUrl) {
        Topic<String, DeliveryStatus> topic = TopicCatalogue.defaults().status();
        SerdeSettings serdes = new SerdeSettings(SchemaRegistryClients.create(SchemaRegistryConfig.of(registryUrl)), false);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "local-demo-tally-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde(serdes).deserializer(), topic.valueSerde(serdes).deserializer());
        consumer.subscribe(List.of(topic.name()));
        thread = new Thread(this::run, "demo-status-tally");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, DeliveryStatus> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value().getStatus());
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** How many deliveries are in each status now. */
    Map<DeliveryState, Integer> counts() {
        Map<DeliveryState, Integer> counts = new EnumMap<>(DeliveryState.class);
        latest.values().forEach(state -> counts.merge(state, 1, Integer::sum));
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
