package dev.deliverytracker.status.rules;

import dev.deliverytracker.events.Channel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How long to wait for a delivery report before a delivery is STUCK_PENDING: per provider and channel
 * ({@code delivery.timeouts.bizgo.alimtalk=10m}), per provider ({@code delivery.timeouts.bizgo=15m}), or the
 * global default. A send may carry its own timeout, which wins.
 *
 * @param defaultTimeout used when nothing more specific is configured
 * @param overrides      keys {@code provider} or {@code provider.channel}, lower case
 */
public record DeliveryTimeouts(Duration defaultTimeout, Map<String, Duration> overrides) {

    public DeliveryTimeouts {
        requirePositive("default timeout", defaultTimeout);
        overrides.forEach((key, value) -> requirePositive("delivery.timeouts." + key, value));
        overrides = Map.copyOf(overrides);
    }

    public static DeliveryTimeouts of(Duration defaultTimeout) {
        return new DeliveryTimeouts(defaultTimeout, Map.of());
    }

    public Duration timeout(String provider, Channel channel) {
        String p = provider == null ? "" : provider.toLowerCase(Locale.ROOT);
        if (channel != null) {
            Duration specific = overrides.get(p + "." + channel.name().toLowerCase(Locale.ROOT));
            if (specific != null) {
                return specific;
            }
        }
        return overrides.getOrDefault(p, defaultTimeout);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, was " + value);
        }
    }
}
