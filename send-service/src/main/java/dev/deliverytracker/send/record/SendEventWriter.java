package dev.deliverytracker.send.record;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.support.DurableProducer;
import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.support.KafkaClientProperties;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * The sends topic, written durably: {@link #write} returns only once every event is acknowledged by all in-sync
 * replicas (idempotent producer, {@code acks=all}), and throws within {@code delivery.send-service.record-timeout}
 * otherwise. Key: the msgKey, or the request id of a rejected send without one.
 */
@Context
public class SendEventWriter implements AutoCloseable {

    private final DurableProducer<String, SendEvent> producer;
    private final Topic<String, SendEvent> topic;

    public SendEventWriter(KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes, SendServiceProperties properties) {
        this.topic = topics.sends();
        this.producer = new DurableProducer<>(kafka, "send-service", properties.recordTimeout(),
                topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
    }

    public static String keyOf(SendEvent event) {
        return event.getMsgKey() != null ? event.getMsgKey() : event.getRequestId();
    }

    /** Writes all events and waits for every acknowledgement, or throws {@link DurableWriteException}. */
    public void write(List<SendEvent> events) {
        producer.writeAll(events.stream().map(event -> new ProducerRecord<>(topic.name(), null,
                event.getAcceptedAt().toEpochMilli(), keyOf(event), event)).toList());
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close();
    }
}
