package dev.deliverytracker.support;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client properties every service shares: everything under {@code kafka.*} as Kafka names it
 * ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, ...; {@code KAFKA_BOOTSTRAP_SERVERS} in the
 * environment). Services add their own on top.
 */
@Singleton
public class KafkaClientProperties {

    private final Map<String, Object> common;

    public KafkaClientProperties(Environment environment) {
        Map<String, Object> props = new HashMap<>(environment.getProperties("kafka", StringConvention.RAW));
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
