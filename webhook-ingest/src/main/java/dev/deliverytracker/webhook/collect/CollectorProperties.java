package dev.deliverytracker.webhook.collect;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The result collectors' Kafka Streams application ({@code delivery.collectors.*}), shared by every provider collected
 * (NCP SENS, Aligo), each switched on by its own {@code enabled}.
 *
 * @param applicationId its Kafka Streams application id
 * @param stateDir      where its stores of unsettled messages live (a persistent volume; default under the temp dir)
 */
@ConfigurationProperties("delivery.collectors")
public record CollectorProperties(
        @Bindable(defaultValue = "delivery-result-collector") String applicationId,
        @Nullable String stateDir) {
}
