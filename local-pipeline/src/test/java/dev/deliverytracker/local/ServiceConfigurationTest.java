package dev.deliverytracker.local;

import dev.deliverytracker.support.DeliveryService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On this classpath all four services' configuration files sit side by side, as in the one-machine mode: each service
 * must still read exactly its own {@code application-<service>.yml} (the file its container reads), with the other
 * services' beans switched off. Under one shared {@code application.yml} name only the first file on the classpath was
 * read, and {@link LocalPipeline} had to restate the others.
 */
class ServiceConfigurationTest {

    /** A setting that differs between the services' files, and its value in each. */
    private static final Map<DeliveryService, Map<String, String>> OWN_SETTINGS = Map.of(
            DeliveryService.SEND_SERVICE, Map.of("micronaut.server.max-request-size", "1MB",
                    "micronaut.router.static-resources.swagger.mapping", "/swagger/**",
                    "delivery.providers.bizgo.max-retries", "2"),
            DeliveryService.WEBHOOK_INGEST, Map.of("micronaut.server.max-request-size", "64KB",
                    "delivery.webhooks.store-timeout", "3s"),
            DeliveryService.STATUS_STREAM, Map.of("delivery.max-age", "24h", "delivery.orphan-grace", "2m"),
            DeliveryService.MONITOR, Map.of("delivery.monitor.application-id", "delivery-monitor"));

    @Test
    void eachServiceReadsItsOwnFileAndSwitchesTheOthersOff() {
        for (DeliveryService service : DeliveryService.values()) {
            try (ApplicationContext context = ApplicationContext.builder().environments(service.serviceName()).build()) {
                Environment environment = context.getEnvironment().start();
                assertThat(environment.getProperty("micronaut.application.name", String.class)).as(service + " name")
                        .contains(service.serviceName());
                OWN_SETTINGS.get(service).forEach((key, value) ->
                        assertThat(environment.getProperty(key, String.class)).as(service + ": " + key).contains(value));
                Arrays.stream(DeliveryService.values()).filter(other -> other != service).forEach(other ->
                        assertThat(environment.getProperty("delivery." + other.serviceName() + ".enabled", Boolean.class))
                                .as(service + " switches " + other + " off").contains(false));
                assertThat(environment.getProperty("delivery." + service.serviceName() + ".enabled", Boolean.class))
                        .as(service + " itself").isEmpty();
            }
        }
    }
}
