package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.webhook.app.WebhookProperties;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable before acknowledged (architecture.md, decision 5): {@link #store} returns only once the broker has the
 * report ({@code acks=all}, idempotent producer), and fails within {@code delivery.webhooks.store-timeout} otherwise,
 * so the provider gets 503 and retries instead of a 200 for a report we do not have.
 */
/* Created at start-up: a Kafka misconfiguration stops the service instead of turning every report into a 500. */
@Context
public class KafkaReportStore implements ReportStore {

    private final KafkaProducer<String, ProviderReport> producer;
    private final Topic<String, ProviderReport> topic;
    private final Duration timeout;

    public KafkaReportStore(KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes, WebhookProperties properties) {
        this.topic = topics.reports();
        this.timeout = properties.storeTimeout();
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> config = kafka.common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, timeoutMs - 2));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(250, timeoutMs / 3));
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "webhook-ingest");
        this.producer = new KafkaProducer<>(config, topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
    }

    /** All are sent at once, then each acknowledgement is awaited within the timeout. */
    @Override
    public void storeAll(List<ProviderReport> reports) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(reports.size());
            for (ProviderReport report : reports) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), null, report.getReceivedAt().toEpochMilli(),
                        report.getMsgKey(), report)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new StoreFailedException("Kafka did not store the report: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreFailedException("Kafka did not acknowledge the report within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFailedException("interrupted while storing the report", e);
        } catch (RuntimeException e) {
            throw new StoreFailedException("Kafka refused the report: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
