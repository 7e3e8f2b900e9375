package dev.deliverytracker.support;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable before acknowledged (docs/architecture.md, D5), for the services' edges: {@link #writeAll} returns only
 * once every record is acknowledged by all in-sync replicas (idempotent producer, {@code acks=all}), and throws
 * {@link DurableWriteException} within the timeout otherwise, so the caller can answer "not stored" in time.
 */
public final class DurableProducer<K, V> implements AutoCloseable {

    /** The shortest write timeout the producer's own settings allow (its request timeout is derived from it). */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(500);

    private final KafkaProducer<K, V> producer;
    private final Duration timeout;

    public DurableProducer(KafkaClientProperties kafka, String clientId, Duration timeout, Serializer<K> keys, Serializer<V> values) {
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException(clientId + "'s write timeout is " + timeout + ": at least " + MIN_TIMEOUT + " is needed");
        }
        this.timeout = timeout;
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> config = kafka.common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs - 2); // delivery.timeout.ms >= linger.ms + request.timeout.ms
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(250, timeoutMs / 3));
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(config, keys, values);
    }

    /** Sends all records at once, then awaits each acknowledgement within the one timeout. */
    public void writeAll(List<ProducerRecord<K, V>> records) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<K, V> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new DurableWriteException("Kafka did not store it: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DurableWriteException("Kafka did not acknowledge it within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DurableWriteException("interrupted while storing it", e);
        } catch (RuntimeException e) {
            throw new DurableWriteException("Kafka refused it: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
