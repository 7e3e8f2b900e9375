package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent wire-format records into generated Avro classes. The writer schema is fetched by the id in the
 * record (once per id) and resolved into the reader schema, the schema of the generated class, so a consumer built
 * against an older schema reads records written with a newer one and the other way round, within the compatibility
 * rules.
 *
 * <p>The reader class is the one given to the constructor; when created by Kafka through reflection, it is
 * {@value #READER_CLASS} if set, otherwise the generated class named like the writer schema.
 *
 * <p>A wrong magic byte, a truncated record, trailing bytes or a schema id the registry does not know raise a
 * {@link SerializationException} naming the topic, the schema id where there is one, and the cause; never null.
 * A registry that does not answer is not bad data: that raises the retriable {@link RegistryUnavailableException}.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** The generated class to read into, for reflective creation. */
    public static final String READER_CLASS = "specific.avro.reader.class";

    private SchemaRegistryClient registry;
    private Class<T> readerClass;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective creation; {@link #configure} must be called before use. */
    public AvroDeserializer() {
    }

    public AvroDeserializer(SchemaRegistryClient registry, Class<T> readerClass) {
        this.registry = registry;
        this.readerClass = readerClass;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.fromMap(configs);
        Object type = configs.get(READER_CLASS);
        if (type instanceof Class<?> c) {
            readerClass = (Class<T>) c;
        } else if (type != null) {
            try {
                readerClass = (Class<T>) Class.forName(type.toString(), true, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new org.apache.kafka.common.config.ConfigException(READER_CLASS, type, "class not found");
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(): set schema.registry.url");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = WireFormat.readHeader(topic, buffer);
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id, i -> readerFor(topic, i));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Cannot deserialize record from topic '" + topic + "' with schema id "
                        + id + ": trailing bytes after the Avro payload (the record is corrupt or was written with another schema)");
            }
            return value;
        } catch (EOFException e) {
            throw new SerializationException("Cannot deserialize record from topic '" + topic + "' with schema id " + id
                    + ": the Avro payload is truncated (" + data.length + " bytes in all)", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot deserialize record from topic '" + topic + "' with schema id " + id
                    + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(String topic, int id) {
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.reason() == SchemaRegistryException.Reason.UNAVAILABLE) {
                throw new RegistryUnavailableException("Cannot deserialize record from topic '" + topic + "' yet: schema id "
                        + id + " cannot be fetched while the registry is unavailable. " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot deserialize record from topic '" + topic + "': schema id " + id
                    + " cannot be resolved. " + e.getMessage(), e);
        }
        return new SpecificDatumReader<>(writer, readerSchema(topic, id, writer));
    }

    @SuppressWarnings("unchecked")
    private Schema readerSchema(String topic, int id, Schema writer) {
        Class<T> type = readerClass;
        if (type == null) {
            type = (Class<T>) SpecificData.get().getClass(writer);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new SerializationException("Cannot deserialize record from topic '" + topic + "' with schema id " + id
                        + ": no generated class " + writer.getFullName() + " on the classpath; set " + READER_CLASS);
            }
        }
        return SpecificData.get().getSchema(type);
    }
}
