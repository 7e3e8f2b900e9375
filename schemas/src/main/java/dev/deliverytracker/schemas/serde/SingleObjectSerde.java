package dev.deliverytracker.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A serde for an application's private records (state stores, repartition topics) in Avro's single-object encoding:
 * a 2-byte marker, the schema's 64-bit fingerprint, then Avro binary. No registry is involved, and a value carries the
 * identity of the schema that wrote it, so state written by an older version is read through schema resolution (every
 * version committed under {@link SchemaHistory} is known) or refused with a clear error, never misread.
 */
public final class SingleObjectSerde<T extends SpecificRecord> implements Serde<T> {

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final String name;

    private SingleObjectSerde(Class<T> type, Schema schema) {
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        this.name = schema.getFullName();
    }

    /** Writes with the type's schema; reads it and every version of it committed under {@link SchemaHistory}. */
    public static <T extends SpecificRecord> SingleObjectSerde<T> of(Class<T> type) {
        Schema current = SpecificData.get().getSchema(type);
        SingleObjectSerde<T> serde = new SingleObjectSerde<>(type, current);
        for (Schema older : SchemaHistory.of(current.getFullName())) {
            if (!older.equals(current)) {
                serde.decoder.addSchema(older);
            }
        }
        return serde;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer buffer = encoder.encode(value);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new SerializationException("cannot encode " + name, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decoder.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot decode " + name + " (" + bytes.length + " bytes): " + e.getMessage(), e);
            }
        };
    }
}
