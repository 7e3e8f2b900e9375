package dev.deliverytracker.webhook.poll;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The Bizgo report poller ({@code delivery.pollers.bizgo.*}), for API keys set to POLLING instead of WEBHOOK.
 *
 * @param enabled        off by default: a key uses either webhooks or polling
 * @param provider       the provider id written into reports
 * @param baseUrl        Bizgo's API (production https://mars.ibapi.kr)
 * @param apiKey         the API key, from the environment ({@code BIZGO_API_KEY}); sent raw in Authorization
 * @param minInterval    the least time between two requests: Bizgo allows 5 requests/s outside sending
 * @param idleBackoff    the pause after an empty poll
 * @param maxBackoff     the longest pause after repeated failures
 * @param requestTimeout how long one HTTP call may take
 */
@ConfigurationProperties("delivery.pollers.bizgo")
public record BizgoPollerProperties(@Bindable(defaultValue = "false") boolean enabled,
                                    @Bindable(defaultValue = "bizgo") String provider,
                                    @Bindable(defaultValue = "https://mars.ibapi.kr") String baseUrl,
                                    @Nullable String apiKey,
                                    @Bindable(defaultValue = "200ms") Duration minInterval,
                                    @Bindable(defaultValue = "2s") Duration idleBackoff,
                                    @Bindable(defaultValue = "30s") Duration maxBackoff,
                                    @Bindable(defaultValue = "10s") Duration requestTimeout) {
}
