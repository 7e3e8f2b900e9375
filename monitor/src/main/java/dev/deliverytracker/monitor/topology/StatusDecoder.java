package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the status topic's raw records. A readable status goes on keyed by its provider (so every rule of one
 * provider has one owner, whatever partition the msgKey hashed to); a record that cannot be read goes on as a
 * {@link DeadRecord} with the reason, and the stream keeps running.
 */
final class StatusDecoder implements Processor<byte[], byte[], String, Object> {

    static final String NAME = "status-decoder";
    private static final Logger LOG = LoggerFactory.getLogger(StatusDecoder.class);

    /** The raw record; the headers that say why it could not be read travel on the record itself. */
    record DeadRecord(byte[] key, byte[] value) {
    }

    private final Deserializer<DeliveryStatus> statuses;
    private ProcessorContext<String, Object> context;

    StatusDecoder(Deserializer<DeliveryStatus> statuses) {
        this.statuses = statuses;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeliveryStatus status;
        try {
            status = statuses.deserialize(source.topic(), record.value());
            if (status == null) {
                throw new IllegalArgumentException("empty value (tombstone): statuses are never deleted");
            }
            if (status.getProvider() == null || status.getProvider().isBlank()) {
                throw new IllegalArgumentException("status without a provider");
            }
        } catch (RegistryUnavailableException e) {
            throw e; // not bad data: read again once the registry answers (StreamFailureHandler)
        } catch (RuntimeException e) {
            LOG.warn("Record {}-{}@{} sent to dead records: {}", source.topic(), source.partition(), source.offset(), e.getMessage());
            Headers headers = new RecordHeaders(record.headers().toArray());
            header(headers, DeadRecordHeaders.TOPIC, source.topic());
            header(headers, DeadRecordHeaders.PARTITION, Integer.toString(source.partition()));
            header(headers, DeadRecordHeaders.OFFSET, Long.toString(source.offset()));
            header(headers, DeadRecordHeaders.STAGE, "deserialize");
            header(headers, DeadRecordHeaders.EXCEPTION, e.getClass().getName());
            header(headers, DeadRecordHeaders.MESSAGE, String.valueOf(e.getMessage()));
            header(headers, DeadRecordHeaders.APPLICATION, context.applicationId());
            context.forward(new Record<>((String) null, new DeadRecord(record.key(), record.value()), record.timestamp(), headers));
            return;
        }
        context.forward(new Record<>(status.getProvider().toLowerCase(Locale.ROOT), status, record.timestamp()));
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
