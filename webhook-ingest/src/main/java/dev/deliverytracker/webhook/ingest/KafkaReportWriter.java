package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.DurableProducer;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.webhook.app.WebhookProperties;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable before acknowledged (docs/architecture.md, D5): {@link #store} returns only once the broker has the
 * report ({@code acks=all}, idempotent producer), and fails within {@code delivery.webhooks.store-timeout} otherwise,
 * so the provider gets 503 and retries instead of a 200 for a report we do not have.
 */
/* Created at start-up: a Kafka misconfiguration stops the service instead of turning every report into a 500. */
@Context
public class KafkaReportWriter implements ReportWriter {

    private final DurableProducer<String, ProviderReport> producer;
    private final Topic<String, ProviderReport> topic;
    private final DurableProducer<byte[], byte[]> refusedProducer;
    private final Topic<byte[], byte[]> deadRecords;

    public KafkaReportWriter(KafkaClientProperties kafka, TopicCatalogue topics, SerdeSettings serdes, WebhookProperties properties) {
        this.topic = topics.reports();
        this.producer = new DurableProducer<>(kafka, "webhook-ingest", properties.storeTimeout(),
                topic.keySerde(serdes).serializer(), topic.valueSerde(serdes).serializer());
        this.deadRecords = topics.deadRecords();
        this.refusedProducer = new DurableProducer<>(kafka, "webhook-ingest-refused", properties.storeTimeout(),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void keepRefused(List<RefusedReport> refused) {
        if (refused.isEmpty()) {
            return;
        }
        refusedProducer.writeAll(refused.stream().map(this::deadRecord).toList());
    }

    private ProducerRecord<byte[], byte[]> deadRecord(RefusedReport r) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadRecords.name(), null, r.raw());
        record.headers().add(DeadRecordHeaders.APPLICATION, utf8("webhook-ingest"))
                .add(DeadRecordHeaders.TOPIC, utf8(topic.name()))
                .add(DeadRecordHeaders.SOURCE, utf8(r.provider() + " " + r.source()))
                .add(DeadRecordHeaders.STAGE, utf8("validate"))
                .add(DeadRecordHeaders.EXCEPTION, utf8(r.rejection().reason().tag()))
                .add(DeadRecordHeaders.MESSAGE, utf8(String.valueOf(r.rejection().getMessage())));
        return record;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** All are sent at once, then each acknowledgement is awaited within the timeout. */
    @Override
    public void writeAll(List<ProviderReport> reports) {
        producer.writeAll(reports.stream().map(this::record).toList());
    }

    @Override
    public CompletableFuture<Void> writeAsync(ProviderReport report) {
        return producer.writeAllAsync(List.of(record(report))); // fails with DurableWriteException
    }

    private ProducerRecord<String, ProviderReport> record(ProviderReport report) {
        return new ProducerRecord<>(topic.name(), null, report.getReceivedAt().toEpochMilli(), report.getMsgKey(), report);
    }

    @PreDestroy
    void close() {
        producer.close();
        refusedProducer.close();
    }
}
