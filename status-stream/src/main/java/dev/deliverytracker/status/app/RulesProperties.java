package dev.deliverytracker.status.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The state machine's durations ({@code delivery.*}). Per provider and channel timeouts live under
 * {@code delivery.timeouts.<provider>[.<channel>]}, with {@code delivery.timeouts.default} as the fallback.
 *
 * @param maxAge           no report this long after acceptance: DEAD_LETTER / NO_REPORT
 * @param orphanGrace      how long a report waits for its send
 * @param settledRetention how long settled deliveries absorb duplicates before they are purged
 * @param emitPending      emit a PENDING status for every accepted send
 */
@ConfigurationProperties("delivery")
public record RulesProperties(
        @Bindable(defaultValue = "24h") Duration maxAge,
        @Bindable(defaultValue = "2m") Duration orphanGrace,
        @Bindable(defaultValue = "48h") Duration settledRetention,
        @Bindable(defaultValue = "true") boolean emitPending) {
}
