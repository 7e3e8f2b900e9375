package dev.deliverytracker.status.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.KafkaClientProperties;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user gets from the service's own configuration file alone (the stream itself is not started here). The rules' binding is tested
 * on the running service, in {@code StatusStreamServiceTest}, because the rules exist only while the stream is enabled.
 */
class ConfigurationDefaultsTest {

    @Test
    void theShippedDefaultsAreUsable() {
        try (ApplicationContext context = DeliveryService.STATUS_STREAM.context(Map.of("delivery.status-stream.enabled", false))) {
            assertThat(context.getBean(KafkaClientProperties.class).bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(context.containsBean(StatusStreamRunner.class)).isFalse();
        }
    }

    @Test
    void withoutASchemaRegistryUrlTheServiceRefusesToStartNamingIt() {
        assertThatThrownBy(() -> DeliveryService.STATUS_STREAM.context(Map.of()).close())
                .hasStackTraceContaining("SCHEMA_REGISTRY_URL (schema.registry.url) is not set");
    }

    @Test
    void aRandomHttpPortWithoutAnApplicationServerIsRefusedWithAClearMessage() {
        StatusStreamProperties defaults = new StatusStreamProperties("app", null, null, Duration.ofSeconds(1), 10, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 0, Duration.ofSeconds(30), null, false);
        assertThatThrownBy(() -> StatusStreamFactory.applicationServer(defaults, -1))
                .hasMessageContaining("delivery.status-stream.application-server").hasMessageContaining("-1");
        assertThat(StatusStreamFactory.applicationServer(defaults, 8083)).isEqualTo("localhost:8083");
        StatusStreamProperties configured = new StatusStreamProperties("app", null, "status-1:8083", Duration.ofSeconds(1), 10,
                Duration.ofSeconds(30), Duration.ofSeconds(10), 0, Duration.ofSeconds(30), null, false);
        assertThat(StatusStreamFactory.applicationServer(configured, -1)).isEqualTo("status-1:8083");
    }
}
