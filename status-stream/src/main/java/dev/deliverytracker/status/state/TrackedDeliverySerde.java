package dev.deliverytracker.status.state;

import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import dev.deliverytracker.state.TrackedDelivery;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/**
 * The {@code deliveries} store's value serde: {@link TrackedDelivery} in Avro's single-object encoding (the schema's
 * fingerprint in every value, so state written by any committed version of the schema is read through schema
 * resolution, and state from an unknown one is refused, never misread). Values written before the state had a schema
 * are still read ({@link LegacyStateFormat}).
 *
 * <p>A state larger than {@value #MAX_BYTES} bytes is refused when it is put, so the input that would make it goes to
 * dead records. Stored, it would fail later, at the commit, when its changelog record passes the broker's record
 * size limit (1 MiB by default), and fail the task on every restart.
 */
public final class TrackedDeliverySerde implements Serde<TrackedDelivery> {

    public static final int MAX_BYTES = 512 * 1024;

    private final SingleObjectSerde<TrackedDelivery> avro = SingleObjectSerde.of(TrackedDelivery.class);

    @Override
    public Serializer<TrackedDelivery> serializer() {
        Serializer<TrackedDelivery> inner = avro.serializer();
        return (topic, value) -> {
            byte[] bytes = inner.serialize(topic, value);
            if (bytes != null && bytes.length > MAX_BYTES) {
                throw new SerializationException("state of delivery " + abbreviated(value.getMsgKey()) + " is " + bytes.length
                        + " bytes, over the limit of " + MAX_BYTES + ": its changelog record would be refused by the broker");
            }
            return bytes;
        };
    }

    @Override
    public Deserializer<TrackedDelivery> deserializer() {
        Deserializer<TrackedDelivery> inner = avro.deserializer();
        return (topic, bytes) -> {
            if (bytes != null && bytes.length > 0 && bytes[0] == LegacyStateFormat.VERSION) {
                try {
                    return LegacyStateFormat.read(bytes);
                } catch (IOException | RuntimeException e) {
                    throw new SerializationException("corrupt delivery state in the legacy format (" + bytes.length + " bytes)", e);
                }
            }
            return inner.deserialize(topic, bytes);
        };
    }

    private static String abbreviated(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "...";
    }
}
