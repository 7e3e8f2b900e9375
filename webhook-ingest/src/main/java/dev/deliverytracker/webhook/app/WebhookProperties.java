package dev.deliverytracker.webhook.app;

import dev.deliverytracker.support.DurableProducer;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Settings shared by every provider's webhook ({@code delivery.webhooks.*}).
 *
 * @param trustedProxies load balancers whose {@code X-Forwarded-For} is believed (addresses or CIDR ranges)
 * @param storeTimeout   how long a report may take to be acknowledged by Kafka before the provider gets 503;
 *                       keep it under the provider's 5 s so it retries rather than times out
 */
@ConfigurationProperties("delivery.webhooks")
public record WebhookProperties(@Nullable List<String> trustedProxies,
                                @Bindable(defaultValue = "3s") Duration storeTimeout) {

    public WebhookProperties {
        if (storeTimeout.compareTo(DurableProducer.MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("delivery.webhooks.store-timeout is " + storeTimeout + ": it must be at least "
                    + DurableProducer.MIN_TIMEOUT + " (Kafka's producer cannot honour less) and under the provider's 5 s; 3s is the default");
        }
    }

    public List<String> trustedProxyList() {
        return trustedProxies == null ? List.of() : trustedProxies.stream().filter(s -> s != null && !s.isBlank()).toList();
    }
}
