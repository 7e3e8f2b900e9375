package dev.deliverytracker.send.provider.aligo;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Wires Aligo's adapter when {@code delivery.providers.aligo.enabled=true} (off by default). */
@Factory
@Requires(property = "delivery.send-service.enabled", notEquals = "false")
@Requires(property = "delivery.providers.aligo.enabled", value = "true")
public class AligoFactory {

    @Singleton
    AligoSendAdapter aligoSendAdapter(AligoProperties properties) {
        return new AligoSendAdapter(properties, AligoCodes.load());
    }
}
