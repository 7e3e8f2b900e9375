package dev.deliverytracker.send.provider.bizgo;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Wires Bizgo's adapter from {@code delivery.providers.bizgo.*}; without an API key the service does not start. */
@Factory
@Requires(property = "delivery.send-service.enabled", notEquals = "false")
public class BizgoFactory {

    @Singleton
    BizgoSendAdapter bizgoSendAdapter(BizgoProperties properties) {
        return new BizgoSendAdapter(properties, BizgoCodes.load());
    }
}
