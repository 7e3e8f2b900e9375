package dev.deliverytracker.support;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.fixtures.Events;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.serde.AvroDeserializer;
import dev.deliverytracker.schemas.serde.AvroSerializer;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our wire-format serdes inside micronaut-kafka: a {@code @KafkaClient} producer and a {@code @KafkaListener}
 * configured only through properties, on the real embedded broker.
 */
class MicronautKafkaSerdeTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    static final String TOPIC = "mn-kafka-serde-test";
    private static final String REGISTRY = "micronaut-kafka-serde";

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @KafkaClient
    @Requires(property = "serde.test", value = "true")
    interface SendProducer {
        @Topic(TOPIC)
        void send(@KafkaKey String key, SendEvent event);
    }

    @Singleton
    @Requires(property = "serde.test", value = "true")
    @KafkaListener(groupId = "serde-test", offsetReset = OffsetReset.EARLIEST)
    static class SendListener {
        final List<SendEvent> received = new CopyOnWriteArrayList<>();

        @Topic(TOPIC)
        void receive(SendEvent event) {
            received.add(event);
        }
    }

    @Test
    void producesAndConsumesThroughMicronautKafka() {
        KAFKA.broker().createTopic(TOPIC, 2);
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "serde.test", "true",
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(),
                "kafka.producers.default.key.serializer", StringSerializer.class.getName(),
                "kafka.producers.default.value.serializer", AvroSerializer.class.getName(),
                "kafka.producers.default.schema.registry.url", "mock://" + REGISTRY,
                "kafka.producers.default.auto.register.schemas", "true",
                "kafka.consumers.default.key.deserializer", StringDeserializer.class.getName(),
                "kafka.consumers.default.value.deserializer", AvroDeserializer.class.getName(),
                "kafka.consumers.default.schema.registry.url", "mock://" + REGISTRY))) {
            SendProducer producer = context.getBean(SendProducer.class);
            for (int i = 0; i < 5; i++) {
                producer.send("mk-" + i, Events.acceptedSend("mk-" + i, Instant.parse("2026-11-22T03:00:00Z")).build());
            }
            SendListener listener = context.getBean(SendListener.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> listener.received.size() >= 5);
            assertThat(listener.received).extracting(SendEvent::getMsgKey)
                    .containsExactlyInAnyOrder("mk-0", "mk-1", "mk-2", "mk-3", "mk-4");
            assertThat(MockSchemaRegistry.scope(REGISTRY).subjects()).containsExactly(TOPIC + "-value");
        }
    }
}
