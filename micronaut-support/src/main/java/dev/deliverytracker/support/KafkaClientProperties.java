package dev.deliverytracker.support;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client properties every service shares: everything under {@code kafka.*} as Kafka names it
 * ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, ...; {@code KAFKA_BOOTSTRAP_SERVERS} in the
 * environment), bound by Micronaut with the keys as Kafka writes them. Services add their own on top.
 */
@Singleton
public class KafkaClientProperties {

    private final Map<String, Object> common;

    public KafkaClientProperties(@Property(name = "kafka")
                                 @MapFormat(transformation = MapFormat.MapTransformation.FLAT, keyFormat = StringConvention.RAW)
                                 @Nullable Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(kafka == null ? Map.of() : kafka);
        props.putIfAbsent("bootstrap.servers", "localhost:9092");
        this.common = Map.copyOf(props);
    }

    /** A fresh, mutable copy of the common properties. */
    public Map<String, Object> common() {
        return new HashMap<>(common);
    }

    public String bootstrapServers() {
        return common.get("bootstrap.servers").toString();
    }
}
