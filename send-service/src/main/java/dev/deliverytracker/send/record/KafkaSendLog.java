package dev.deliverytracker.send.record;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.send.app.SendServiceProperties;
import dev.deliverytracker.support.KafkaClientProperties;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sends topic, written durably: {@link #write} returns only once every event is acknowledged by all in-sync
 * replicas (idempotent producer, {@code acks=all}), and throws within {@code delivery.send-service.record-timeout}
 * otherwise. Key: the msgKey, or the request id of a rejected send without one.
 */
@Context
public class KafkaSendLog implements AutoCloseable {

    private final KafkaProducer<String, SendEvent> producer;
    private final Topic<String, SendEvent> topic;
    private final Duration timeout;

    public KafkaSendLog(KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes, SendServiceProperties properties) {
        this.topic = topics.sends();
        this.timeout = properties.recordTimeout();
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> config = kafka.common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, timeoutMs - 2));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(250, timeoutMs / 3));
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "send-service");
        this.producer = new KafkaProducer<>(config, topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
    }

    public static String keyOf(SendEvent event) {
        return event.getMsgKey() != null ? event.getMsgKey() : event.getRequestId();
    }

    /** Writes all events and waits for every acknowledgement, or throws {@link RecordFailedException}. */
    public void write(List<SendEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
            for (SendEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), null, event.getAcceptedAt().toEpochMilli(), keyOf(event), event)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new RecordFailedException("Kafka did not store the send event: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RecordFailedException("Kafka did not acknowledge the send event within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordFailedException("interrupted while storing the send event", e);
        } catch (RuntimeException e) {
            throw new RecordFailedException("Kafka refused the send event: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
