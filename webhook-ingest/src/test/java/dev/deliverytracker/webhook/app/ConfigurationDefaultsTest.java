package dev.deliverytracker.webhook.app;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.webhook.http.WebhookRoutes;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user gets from the service's own configuration file alone, and what happens without the one setting that has no default. */
class ConfigurationDefaultsTest {

    @Test
    void theShippedDefaultsAreUsable() {
        try (ApplicationContext context = DeliveryService.WEBHOOK_INGEST.context(Map.of("delivery.webhooks.providers.bizgo.secrets", "s",
                "schema.registry.url", "mock://webhook-defaults"))) {
            assertThat(context.getBean(KafkaClientProperties.class).bootstrapServers()).isEqualTo("localhost:9092");
            WebhookRoutes routes = context.getBean(WebhookRoutes.class);
            assertThat(routes.paths()).containsExactlyInAnyOrder("/webhooks/bizgo", "/webhook/bizgo/alimtalk");
            WebhookRoutes.Route bizgo = routes.route("/webhooks/bizgo").orElseThrow();
            assertThat(bizgo.allows(java.net.InetAddress.getLoopbackAddress())).isFalse();
            assertThat(bizgo.allowedSources()).hasSize(6);
        }
    }

    @Test
    void everyKafkaClientSettingPassesThroughWithKafkasOwnKeys() {
        try (ApplicationContext context = DeliveryService.WEBHOOK_INGEST.context(Map.of("delivery.webhooks.providers.bizgo.secrets", "s",
                "schema.registry.url", "mock://webhook-defaults", "kafka.bootstrap.servers", "localhost:19092,127.0.0.1:19093",
                "kafka.reconnect.backoff.ms", "250", "kafka.client.dns.lookup", "use_all_dns_ips"))) {
            KafkaClientProperties kafka = context.getBean(KafkaClientProperties.class);
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:19092,127.0.0.1:19093");
            assertThat(kafka.common()).containsEntry("reconnect.backoff.ms", "250").containsEntry("client.dns.lookup", "use_all_dns_ips");
        }
    }

    @Test
    void aStoreTimeoutKafkaCannotHonourIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = DeliveryService.WEBHOOK_INGEST.context(Map.of("delivery.webhooks.providers.bizgo.secrets", "s",
                    "schema.registry.url", "mock://webhook-defaults", "delivery.webhooks.store-timeout", "100ms"))) {
                context.getBean(WebhookProperties.class);
            }
        }).hasStackTraceContaining("delivery.webhooks.store-timeout is PT0.1S: it must be at least PT0.5S");
    }

    @Test
    void withoutASchemaRegistryUrlTheServiceRefusesToStartNamingIt() {
        assertThatThrownBy(() -> {
            try (ApplicationContext context = DeliveryService.WEBHOOK_INGEST.context(Map.of("delivery.webhooks.providers.bizgo.secrets", "s"))) {
                context.getBean(dev.deliverytracker.schemas.topics.SerdeSettings.class);
            }
        }).hasStackTraceContaining("SCHEMA_REGISTRY_URL (schema.registry.url) is not set");
    }

    @Test
    void anEmptyAllowListIsRefusedUnlessAnySourceIsAllowedOnPurpose() {
        assertThatThrownBy(() -> DeliveryService.WEBHOOK_INGEST.context(Map.of("schema.registry.url", "mock://webhook-defaults",
                "delivery.webhooks.providers.bizgo.secrets", "s", "delivery.webhooks.providers.bizgo.allowed-sources", "")).close())
                .hasStackTraceContaining("delivery.webhooks.providers.bizgo.allowed-sources is empty")
                .hasStackTraceContaining("allow-any-source=true");
        try (ApplicationContext context = DeliveryService.WEBHOOK_INGEST.context(Map.of("schema.registry.url", "mock://webhook-defaults",
                "delivery.webhooks.providers.bizgo.secrets", "s", "delivery.webhooks.providers.bizgo.allowed-sources", "",
                "delivery.webhooks.providers.bizgo.allow-any-source", true))) {
            assertThat(context.getBean(WebhookRoutes.class).route("/webhooks/bizgo").orElseThrow()
                    .allows(java.net.InetAddress.getLoopbackAddress())).isTrue();
        }
    }

    @Test
    void withoutAWebhookSecretTheServiceRefusesToStart() {
        assertThatThrownBy(() -> DeliveryService.WEBHOOK_INGEST.context(Map.of("schema.registry.url", "mock://webhook-defaults")).close())
                .hasStackTraceContaining("delivery.webhooks.providers.bizgo.secrets is empty");
    }
}
