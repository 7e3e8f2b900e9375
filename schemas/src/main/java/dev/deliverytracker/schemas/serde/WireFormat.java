package dev.deliverytracker.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/**
 * The Confluent Schema Registry wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian int,
 * then the Avro binary encoding of the value. Subjects follow TopicNameStrategy: {@code <topic>-value} and
 * {@code <topic>-key}.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Reads and checks the header; returns the schema id and leaves {@code buffer} at the Avro payload. */
    static int readHeader(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("Cannot deserialize record from topic '" + topic + "': truncated, "
                    + buffer.remaining() + " byte(s), but the Schema Registry wire format needs at least " + HEADER_SIZE
                    + " (magic byte 0 and a 4-byte schema id)");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("Cannot deserialize record from topic '" + topic + "': unknown magic byte "
                    + magic + " (expected 0): the record was not written by a Schema Registry Avro serializer");
        }
        return buffer.getInt();
    }
}
