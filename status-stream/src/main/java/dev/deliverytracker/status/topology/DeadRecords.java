package dev.deliverytracker.status.topology;

import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The one way a node of the status topology puts something on the dead-records topic: the record's own key and value
 * bytes, its source (topic, partition, offset) and the reason in {@link DeadRecordHeaders}, counted by stage.
 *
 * <p>The dead-records branch is raw bytes whatever the node's main output is (decoded inputs, statuses), so the
 * forward goes through an untyped view of the node's context. That is safe: generics are erased, and the only child
 * that receives these records is the dead-records sink, whose serializers take {@code byte[]}.
 */
final class DeadRecords {

    private static final Logger LOG = LoggerFactory.getLogger(DeadRecords.class);

    private final ProcessorContext<Object, Object> context;
    private final String sink;
    private final DeliveryMetrics metrics;

    @SuppressWarnings("unchecked")
    DeadRecords(ProcessorContext<?, ?> context, String sink, DeliveryMetrics metrics) {
        this.context = (ProcessorContext<Object, Object>) context;
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * A Schema Registry that does not answer is not bad data: it is rethrown, so a new stream thread reads the record
     * again from the last commit (docs/architecture.md, D14). Call before dead-lettering.
     */
    static void rethrowIfRegistryDown(RuntimeException e) {
        if (RegistryUnavailableException.isCauseOf(e)) {
            throw e;
        }
    }

    /** The input record being processed ({@code key} and {@code value} as read), at {@code stage}, for {@code error}. */
    void input(byte[] key, byte[] value, Record<?, ?> record, String stage, Exception error) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        LOG.warn("Record {}-{}@{} sent to dead records ({}): {}", source.topic(), source.partition(), source.offset(),
                stage, error.getMessage());
        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadRecordHeaders.TOPIC, source.topic());
        header(headers, DeadRecordHeaders.PARTITION, Integer.toString(source.partition()));
        header(headers, DeadRecordHeaders.OFFSET, Long.toString(source.offset()));
        reason(headers, stage, error, String.valueOf(error.getMessage()));
        context.forward(new Record<Object, Object>(key, value, record.timestamp(), headers), sink);
        metrics.deadRecord(stage);
    }

    /** A delivery whose deadline could not be handled in {@code store}: its key, no value, the reason in the headers. */
    void timer(String key, String store, long wallTime, Exception error) {
        LOG.error("Delivery {}: its deadline cannot be handled and is dropped; sent to dead records: {}", key, error.toString());
        Headers headers = new RecordHeaders();
        reason(headers, "punctuate", error, "deadline of delivery " + key + " in store " + store + ": " + error.getMessage());
        context.forward(new Record<Object, Object>(key.getBytes(StandardCharsets.UTF_8), null, wallTime, headers), sink);
        metrics.deadRecord("punctuate");
    }

    private void reason(Headers headers, String stage, Exception error, String message) {
        header(headers, DeadRecordHeaders.STAGE, stage);
        header(headers, DeadRecordHeaders.EXCEPTION, error.getClass().getName());
        header(headers, DeadRecordHeaders.MESSAGE, message);
        header(headers, DeadRecordHeaders.APPLICATION, context.applicationId());
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
