package dev.deliverytracker.send.app;

import dev.deliverytracker.support.DeliveryService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings a deployment can get wrong are refused at start-up, naming the key. */
class ConfigurationDefaultsTest {

    @Test
    void aRecordTimeoutKafkaCannotHonourIsRefusedNamingTheKey(@TempDir Path outbox) {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = DeliveryService.SEND_SERVICE.context(Map.of("delivery.send-service.record-timeout", "100ms",
                    "delivery.send-service.outbox-dir", outbox.toString()))) {
                context.getBean(SendServiceProperties.class);
            }
        }).hasStackTraceContaining("delivery.send-service.record-timeout is PT0.1S: it must be at least PT0.5S");
    }

    @Test
    void withoutASchemaRegistryUrlTheServiceRefusesToStartNamingIt(@TempDir Path outbox) {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = DeliveryService.SEND_SERVICE.context(Map.of("delivery.send-service.outbox-dir", outbox.toString()))) {
                context.getBean(dev.deliverytracker.schemas.topics.SerdeSettings.class);
            }
        }).hasStackTraceContaining("SCHEMA_REGISTRY_URL (schema.registry.url) is not set");
    }
}
