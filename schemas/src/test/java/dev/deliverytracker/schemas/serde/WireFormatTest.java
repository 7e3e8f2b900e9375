package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.testing.Ping;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the Confluent wire format byte for byte. From Confluent's documentation ("Wire format"): byte 0 is the
 * magic byte 0; bytes 1-4 are the schema id as a big-endian 4-byte int; the rest is Avro's binary encoding.
 * Avro binary (specification): a string is its length as a zig-zag varint, then UTF-8 bytes; a long is a zig-zag
 * varint. So Ping{id="abc", count=1} under schema id 1 is:
 * <pre>
 *   00 | 00 00 00 01 | 06 61 62 63 | 02
 *   magic  schema id    "abc"(len 3)  1
 * </pre>
 */
class WireFormatTest {

    private static final byte[] VECTOR = {0x00, 0x00, 0x00, 0x00, 0x01, 0x06, 0x61, 0x62, 0x63, 0x02};

    @Test
    void serializerWritesTheDocumentedBytes() {
        MockSchemaRegistry registry = new MockSchemaRegistry("wire");
        byte[] bytes = new AvroSerializer<Ping>(registry, true, false).serialize("pings", new Ping("abc", 1L));
        assertThat(bytes).containsExactly(VECTOR);
        assertThat(registry.subjects()).containsExactly("pings-value");
    }

    @Test
    void deserializerReadsTheDocumentedBytes() {
        MockSchemaRegistry registry = new MockSchemaRegistry("wire");
        registry.register("pings-value", Ping.getClassSchema());
        Ping ping = new AvroDeserializer<>(registry, Ping.class).deserialize("pings", VECTOR);
        assertThat(ping.getId()).isEqualTo("abc");
        assertThat(ping.getCount()).isEqualTo(1L);
    }

    @Test
    void keysUseTheKeySubject() {
        MockSchemaRegistry registry = new MockSchemaRegistry("wire");
        new AvroSerializer<Ping>(registry, true, true).serialize("pings", new Ping("abc", 1L));
        assertThat(registry.subjects()).containsExactly("pings-key");
    }
}
