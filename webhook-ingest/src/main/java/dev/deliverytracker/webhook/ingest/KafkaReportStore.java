package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.DurableProducer;
import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.webhook.app.WebhookProperties;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import org.apache.kafka.clients.producer.ProducerRecord;


import java.util.List;

/**
 * Durable before acknowledged (architecture.md, decision 5): {@link #store} returns only once the broker has the
 * report ({@code acks=all}, idempotent producer), and fails within {@code delivery.webhooks.store-timeout} otherwise,
 * so the provider gets 503 and retries instead of a 200 for a report we do not have.
 */
/* Created at start-up: a Kafka misconfiguration stops the service instead of turning every report into a 500. */
@Context
public class KafkaReportStore implements ReportStore {

    private final DurableProducer<String, ProviderReport> producer;
    private final Topic<String, ProviderReport> topic;

    public KafkaReportStore(KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes, WebhookProperties properties) {
        this.topic = topics.reports();
        this.producer = new DurableProducer<>(kafka, "webhook-ingest", properties.storeTimeout(),
                topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
    }

    /** All are sent at once, then each acknowledgement is awaited within the timeout. */
    @Override
    public void storeAll(List<ProviderReport> reports) {
        try {
            producer.writeAll(reports.stream().map(report -> new ProducerRecord<>(topic.name(), null,
                    report.getReceivedAt().toEpochMilli(), report.getMsgKey(), report)).toList());
        } catch (DurableWriteException e) {
            throw new StoreFailedException("the report was not stored: " + e.getMessage(), e.getCause());
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
