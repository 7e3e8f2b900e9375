package dev.deliverytracker.schemas.serde;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The wire-format serializer and deserializer of one generated class, as a Kafka (and Kafka Streams) serde. */
public final class AvroSerde {

    private AvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type, SchemaRegistryClient registry,
                                                          boolean autoRegister, boolean isKey) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, autoRegister, isKey), new AvroDeserializer<>(registry, type));
    }
}
