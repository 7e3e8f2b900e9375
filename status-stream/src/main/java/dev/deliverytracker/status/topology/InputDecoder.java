package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Decodes one input topic's raw records into {@link DeliveryInput}s for the tracker, keyed by the delivery's key.
 * A record that cannot be read (stage {@code deserialize}: not our wire format, an unknown schema, a tombstone) or
 * whose key is not its event's key (stage {@code validate}: sends and reports would not meet) goes to dead records,
 * and the task goes on. A Schema Registry that does not answer is thrown instead, so the record is read again.
 *
 * @param <E> the topic's event type
 */
final class InputDecoder<E extends SpecificRecord> implements Processor<byte[], byte[], String, DeliveryInput> {

    private final String topicName;
    private final Deserializer<E> deserializer;
    private final Function<E, String> keyOf;
    private final BiFunction<E, byte[], DeliveryInput> wrap;
    private final DeliveryMetrics metrics;
    private final String tracker;
    private final String deadRecordsSink;
    private ProcessorContext<String, DeliveryInput> context;
    private DeadRecords dead;

    private InputDecoder(String topicName, Deserializer<E> deserializer, Function<E, String> keyOf,
                         BiFunction<E, byte[], DeliveryInput> wrap, DeliveryMetrics metrics, String tracker, String deadRecordsSink) {
        this.topicName = topicName;
        this.deserializer = deserializer;
        this.keyOf = keyOf;
        this.wrap = wrap;
        this.metrics = metrics;
        this.tracker = tracker;
        this.deadRecordsSink = deadRecordsSink;
    }

    /** Sends: keyed by msgKey, or by requestId for a send the provider rejected without one. */
    static ProcessorSupplier<byte[], byte[], String, DeliveryInput> sends(String topic, Deserializer<SendEvent> deserializer,
                                                                         DeliveryMetrics metrics, String tracker, String deadRecordsSink) {
        return () -> new InputDecoder<>(topic, deserializer, InputDecoder::keyOfSend, DeliveryInput.Send::new,
                metrics, tracker, deadRecordsSink);
    }

    /** Reports: keyed by msgKey. */
    static ProcessorSupplier<byte[], byte[], String, DeliveryInput> reports(String topic, Deserializer<ProviderReport> deserializer,
                                                                           DeliveryMetrics metrics, String tracker, String deadRecordsSink) {
        return () -> new InputDecoder<>(topic, deserializer, ProviderReport::getMsgKey, DeliveryInput.Report::new,
                metrics, tracker, deadRecordsSink);
    }

    @Override
    public void init(ProcessorContext<String, DeliveryInput> context) {
        this.context = context;
        this.dead = new DeadRecords(context, deadRecordsSink, metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        E event;
        try {
            event = deserializer.deserialize(topicName, record.value());
            if (event == null) {
                throw new IllegalArgumentException("empty value (tombstone): deliveries are never deleted by producers");
            }
        } catch (RuntimeException e) {
            DeadRecords.rethrowIfRegistryDown(e); // not bad data: the record is read again once the registry answers
            dead.input(record.key(), record.value(), record, "deserialize", e);
            return;
        }
        String key;
        try {
            key = checkedKey(record.key(), keyOf.apply(event));
        } catch (IllegalArgumentException e) {
            dead.input(record.key(), record.value(), record, "validate", e);
            return;
        }
        context.forward(record.withKey(key).withValue(wrap.apply(event, record.value())), tracker);
    }

    private static String keyOfSend(SendEvent send) {
        if (send.getOutcome() == SendOutcome.ACCEPTED && send.getMsgKey() == null) {
            throw new IllegalArgumentException("accepted send " + send.getRequestId() + " has no msgKey");
        }
        return send.getMsgKey() != null ? send.getMsgKey() : send.getRequestId();
    }

    /** The record key must be the delivery's key, or the producer partitions by the wrong key. */
    private static String checkedKey(byte[] rawKey, String expected) {
        if (rawKey == null) {
            throw new IllegalArgumentException("record has no key; sends and reports are keyed by msgKey");
        }
        String key = new String(rawKey, StandardCharsets.UTF_8);
        if (!Objects.equals(key, expected)) {
            throw new IllegalArgumentException("record key '" + key + "' differs from the event's key '" + expected
                    + "': the producer partitions by the wrong key, so sends and reports would not meet");
        }
        return key;
    }
}
