package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.testing.Ping;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serdes as Kafka creates them (no-arg constructor + configure), against the registry REST API over HTTP. */
class AvroSerdeTest {

    private FakeSchemaRegistryServer server;

    @BeforeEach
    void start() {
        // ids above 2^24 prove all four id bytes are written and read big-endian
        server = new FakeSchemaRegistryServer("", null, 0x01020300);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void roundTripThroughTheHttpRegistryWithFourByteIds() {
        AvroSerializer<Ping> serializer = configuredSerializer(true);
        byte[] bytes = serializer.serialize("pings", new Ping("abc", 42L));
        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0x01, 0x02, 0x03, 0x01);

        AvroDeserializer<Ping> deserializer = configuredDeserializer(Map.of());
        Ping ping = deserializer.deserialize("pings", bytes);
        assertThat(ping).isEqualTo(new Ping("abc", 42L));
    }

    @Test
    void theHotPathCallsTheRegistryOncePerSchema() {
        AvroSerializer<Ping> serializer = configuredSerializer(true);
        AvroDeserializer<Ping> deserializer = configuredDeserializer(Map.of());
        for (int i = 0; i < 50; i++) {
            deserializer.deserialize("pings", serializer.serialize("pings", new Ping("p" + i, (long) i)));
        }
        assertThat(server.requests()).extracting(FakeSchemaRegistryServer.Request::method)
                .containsExactly("POST", "GET"); // one register, one fetch by id
    }

    @Test
    void cachedSchemasKeepWorkingWhileTheRegistryIsDown() {
        AvroSerializer<Ping> serializer = configuredSerializer(true);
        AvroDeserializer<Ping> deserializer = configuredDeserializer(Map.of());
        deserializer.deserialize("pings", serializer.serialize("pings", new Ping("a", 1L)));
        server.close();
        assertThat(deserializer.deserialize("pings", serializer.serialize("pings", new Ping("b", 2L))).getId()).isEqualTo("b");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsNamingUrlAndSubject() {
        AvroSerializer<Ping> serializer = configuredSerializer(false);
        assertThatThrownBy(() -> serializer.serialize("pings", new Ping("a", 1L)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(server.url()).hasMessageContaining("pings-value")
                .hasMessageContaining("auto.register.schemas is off");

        server.backing().register("pings-value", Ping.getClassSchema());
        assertThat(serializer.serialize("pings", new Ping("a", 1L))).isNotEmpty();
    }

    @Test
    void aRegistryDownAtStartUpFailsNamingUrlAndSubject() {
        String url = server.url();
        server.close();
        AvroSerializer<Ping> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SchemaRegistryConfig.URL, url, SchemaRegistryConfig.MAX_RETRIES, 0), false);
        assertThatThrownBy(() -> serializer.serialize("pings", new Ping("a", 1L)))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(url).hasMessageContaining("pings-value");
    }

    @Test
    void aRegistryThatDoesNotAnswerIsRetriableNotBadData() {
        byte[] bytes = configuredSerializer(true).serialize("pings", new Ping("later", 5L));
        AvroDeserializer<Ping> deserializer = new AvroDeserializer<>();
        Map<String, Object> config = new HashMap<>(server.clientConfig());
        config.put(SchemaRegistryConfig.MAX_RETRIES, 0);
        deserializer.configure(config, false);

        server.down(true);
        assertThatThrownBy(() -> deserializer.deserialize("pings", bytes))
                .isInstanceOf(RegistryUnavailableException.class)
                .isInstanceOf(org.apache.kafka.common.errors.RetriableException.class)
                .hasMessageContaining("pings").hasMessageContaining("unavailable");
        server.down(false);
        assertThat(deserializer.deserialize("pings", bytes)).isEqualTo(new Ping("later", 5L));

        // an id the registry answers it does not know is bad data, not an outage
        byte[] unknownId = bytes.clone();
        unknownId[4] = (byte) (unknownId[4] + 7);
        assertThatThrownBy(() -> deserializer.deserialize("pings", unknownId))
                .isInstanceOf(SerializationException.class)
                .isNotInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void anOlderReaderReadsANewerWritersRecord() throws IOException {
        Schema v2 = SchemaBuilder.record("Ping").namespace("dev.deliverytracker.schemas.testing").fields()
                .requiredString("id").requiredLong("count")
                .name("note").type().stringType().stringDefault("").endRecord();
        int id = server.backing().register("pings-value", v2) + 0x01020300;
        GenericRecord record = new GenericData.Record(v2);
        record.put("id", "new");
        record.put("count", 7L);
        record.put("note", "added in v2");

        Ping ping = configuredDeserializer(Map.of()).deserialize("pings", frame(id, v2, record));
        assertThat(ping).isEqualTo(new Ping("new", 7L));
    }

    @Test
    void aReaderClassCanBeConfiguredByName() {
        byte[] bytes = configuredSerializer(true).serialize("pings", new Ping("x", 1L));
        AvroDeserializer<Ping> deserializer = configuredDeserializer(Map.of(AvroDeserializer.READER_CLASS, Ping.class.getName()));
        assertThat(deserializer.deserialize("pings", bytes).getId()).isEqualTo("x");
    }

    @Test
    void badRecordsFailClearlyNeverNull() {
        AvroDeserializer<Ping> deserializer = configuredDeserializer(Map.of());
        byte[] good = configuredSerializer(true).serialize("pings", new Ping("abc", 1L));

        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 1;
        assertThatThrownBy(() -> deserializer.deserialize("pings", wrongMagic))
                .isInstanceOf(SerializationException.class).hasMessageContaining("pings").hasMessageContaining("magic byte 1");

        assertThatThrownBy(() -> deserializer.deserialize("pings", new byte[]{0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("truncated").hasMessageContaining("3 byte");

        byte[] truncatedPayload = Arrays.copyOf(good, good.length - 2);
        assertThatThrownBy(() -> deserializer.deserialize("pings", truncatedPayload))
                .isInstanceOf(SerializationException.class).hasMessageContaining("truncated")
                .hasMessageContaining("schema id " + (1 + 0x01020300));

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> deserializer.deserialize("pings", trailing))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");

        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 0x7fff0000);
        assertThatThrownBy(() -> deserializer.deserialize("pings", unknownId))
                .isInstanceOf(SerializationException.class).hasMessageContaining("pings")
                .hasMessageContaining("schema id " + 0x7fff0000).hasMessageContaining(server.url());

        assertThat(deserializer.deserialize("pings", null)).isNull(); // a tombstone stays a tombstone
    }

    @Test
    void aMockUrlSelectsTheInProcessRegistry() {
        String scope = "serde-test-" + System.nanoTime();
        Map<String, Object> config = Map.of(SchemaRegistryConfig.URL, "mock://" + scope, AvroSerializer.AUTO_REGISTER, "true");
        AvroSerializer<Ping> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        AvroDeserializer<Ping> deserializer = new AvroDeserializer<>();
        deserializer.configure(config, false);
        assertThat(deserializer.deserialize("pings", serializer.serialize("pings", new Ping("m", 3L)))).isEqualTo(new Ping("m", 3L));
        assertThat(MockSchemaRegistry.scope(scope).subjects()).containsExactly("pings-value");
        MockSchemaRegistry.dropScope(scope);
    }

    private AvroSerializer<Ping> configuredSerializer(boolean autoRegister) {
        AvroSerializer<Ping> serializer = new AvroSerializer<>();
        Map<String, Object> config = new HashMap<>(server.clientConfig());
        config.put(AvroSerializer.AUTO_REGISTER, autoRegister);
        serializer.configure(config, false);
        return serializer;
    }

    private AvroDeserializer<Ping> configuredDeserializer(Map<String, Object> extra) {
        AvroDeserializer<Ping> deserializer = new AvroDeserializer<>();
        Map<String, Object> config = new HashMap<>(server.clientConfig());
        config.putAll(extra);
        deserializer.configure(config, false);
        return deserializer;
    }

    private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
