package dev.deliverytracker.send.provider.sens;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Wires NCP SENS's adapter from {@code delivery.providers.ncp-sens.*} when an access key is configured; without one,
 * a request naming {@code ncp-sens} is refused as an unknown provider, listing the configured ones.
 */
@Factory
@Requires(property = "delivery.send-service.enabled", notEquals = "false")
@Requires(property = "delivery.providers.ncp-sens.access-key", pattern = ".+")
public class SensFactory {

    @Singleton
    SensSendAdapter sensSendAdapter(SensProperties properties) {
        return new SensSendAdapter(properties, SensCodes.load());
    }
}
