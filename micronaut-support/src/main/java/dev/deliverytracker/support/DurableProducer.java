package dev.deliverytracker.support;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable before acknowledged (docs/architecture.md, D5), for the services' edges: {@link #writeAll} returns only
 * once every record is acknowledged by all in-sync replicas (idempotent producer, {@code acks=all}), and throws
 * {@link DurableWriteException} within the timeout otherwise, so the caller can answer "not stored" in time;
 * {@link #writeAllAsync} is the same promise as a future, for callers that answer without holding a thread.
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
        try {
            writeAllAsync(records).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DurableWriteException durable ? durable
                    : new DurableWriteException("Kafka did not store it: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DurableWriteException("interrupted while storing it", e);
        }
    }

    /**
     * Sends all records at once and returns without waiting: the future completes when every record is acknowledged,
     * or fails with {@link DurableWriteException} on the first refusal or after the timeout. The caller answers from
     * the future, so no thread is parked per write while the broker acknowledges.
     */
    public CompletableFuture<Void> writeAllAsync(List<ProducerRecord<K, V>> records) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<K, V> record : records) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(new DurableWriteException("Kafka did not store it: " + error.getMessage(), error));
                    }
                });
                acks.add(ack);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new DurableWriteException("Kafka refused it: " + e.getMessage(), e));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, error) -> {
                    if (error == null) {
                        return null;
                    }
                    Throwable cause = Futures.cause(error);
                    if (cause instanceof DurableWriteException durable) {
                        throw durable;
                    }
                    if (cause instanceof TimeoutException) {
                        throw new DurableWriteException("Kafka did not acknowledge it within " + timeout, cause);
                    }
                    throw new DurableWriteException("Kafka did not store it: " + cause.getMessage(), cause);
                });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
