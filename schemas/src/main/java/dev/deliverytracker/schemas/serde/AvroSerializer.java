package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes Avro specific records in the Confluent wire format. The schema id comes from the registry under the
 * TopicNameStrategy subject: registered on first use when {@code auto.register.schemas=true}, otherwise looked up
 * (the production setting: a schema that was not registered by the deployment fails clearly instead of being
 * registered by whichever service runs first). Each schema costs one registry call; after that the id is cached
 * and serialising needs no registry.
 *
 * <p>Usable as configured by Kafka (no-arg constructor plus {@link #configure}) or built directly with a client.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Register unknown schemas instead of failing; default false. */
    public static final String AUTO_REGISTER = "auto.register.schemas";

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private record SubjectSchema(String subject, Schema schema) {
    }

    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective creation; {@link #configure} must be called before use. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.fromMap(configs);
        Object auto = configs.get(AUTO_REGISTER);
        this.autoRegister = auto != null && Boolean.parseBoolean(auto.toString());
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure(): set schema.registry.url");
        }
        Schema schema = data.getSchema();
        String subject = WireFormat.subject(topic, isKey);
        int id = schemaId(topic, subject, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic
                    + "' (schema id " + id + "): " + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
            ids.put(key, id);
            return id;
        } catch (SchemaRegistryException e) {
            if (e.reason() == SchemaRegistryException.Reason.UNAVAILABLE) {
                throw new RegistryUnavailableException("Cannot serialize " + schema.getFullName() + " for topic '" + topic
                        + "' yet: no schema id for subject '" + subject + "' while the registry is unavailable. " + e.getMessage(), e);
            }
            String hint = !autoRegister && (e.reason() == SchemaRegistryException.Reason.SUBJECT_NOT_FOUND
                    || e.reason() == SchemaRegistryException.Reason.SCHEMA_NOT_FOUND)
                    ? " auto.register.schemas is off: register " + schema.getFullName() + " under '" + subject
                    + "' before producing, or turn auto.register.schemas on (development only)."
                    : "";
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic
                    + "': no schema id for subject '" + subject + "' from " + registry.location() + ". "
                    + e.getMessage() + hint, e);
        }
    }
}
