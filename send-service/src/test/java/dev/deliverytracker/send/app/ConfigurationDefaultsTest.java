package dev.deliverytracker.send.app;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings a deployment can get wrong are refused at start-up, naming the key. */
class ConfigurationDefaultsTest {

    @Test
    void aRecordTimeoutKafkaCannotHonourIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = ApplicationContext.run(Map.of("delivery.send-service.record-timeout", "100ms"))) {
                context.getBean(SendServiceProperties.class);
            }
        }).hasStackTraceContaining("delivery.send-service.record-timeout is PT0.1S: it must be at least PT0.5S");
    }

    @Test
    void withoutASchemaRegistryUrlTheServiceRefusesToStartNamingIt() {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = ApplicationContext.run(Map.of())) {
                context.getBean(dev.deliverytracker.schemas.topics.SerdeSettings.class);
            }
        }).hasStackTraceContaining("SCHEMA_REGISTRY_URL (schema.registry.url) is not set");
    }
}
