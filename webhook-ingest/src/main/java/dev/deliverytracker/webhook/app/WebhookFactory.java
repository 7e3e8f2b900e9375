package dev.deliverytracker.webhook.app;

import dev.deliverytracker.webhook.http.WebhookRoutes;
import dev.deliverytracker.webhook.provider.ProviderWebhookProperties;
import dev.deliverytracker.webhook.security.CidrRange;
import dev.deliverytracker.webhook.security.SourceAddressResolver;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/** Wires the plain webhook objects from configuration; bad configuration fails at start-up, naming the key. */
@Factory
public class WebhookFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    SourceAddressResolver sourceAddressResolver(WebhookProperties properties) {
        return new SourceAddressResolver(properties.trustedProxyList().stream().map(CidrRange::parse).toList());
    }

    /** Built eagerly: a provider misconfigured (no secret, bad range, unknown type) stops the service at start-up. */
    @Context
    WebhookRoutes webhookRoutes(List<ProviderWebhookProperties> providers, Clock clock) {
        return WebhookRoutes.of(providers, clock);
    }
}
