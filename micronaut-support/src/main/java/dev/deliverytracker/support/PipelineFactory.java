package dev.deliverytracker.support;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Wires the plain objects of the {@code schemas} module into every service: the topic catalogue (names from
 * {@code delivery.topics.*}, validated at start-up), one Schema Registry client per service, and the serde
 * settings built on it.
 */
@Factory
public class PipelineFactory {

    @Singleton
    TopicCatalogue topicCatalogue(Environment environment) {
        Map<String, Object> config = new HashMap<>();
        environment.getProperties("delivery.topics", StringConvention.RAW)
                .forEach((key, value) -> config.put(TopicCatalogue.CONFIG_PREFIX + key, value));
        return TopicCatalogue.fromConfig(config);
    }

    @Singleton
    SchemaRegistryClient schemaRegistryClient(RegistryProperties properties) {
        return SchemaRegistryClients.create(properties.toConfig());
    }

    @Singleton
    SerdeSettings serdeSettings(SchemaRegistryClient registry, RegistryProperties properties) {
        return new SerdeSettings(registry, properties.autoRegister());
    }
}
