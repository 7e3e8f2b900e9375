package dev.deliverytracker.send.provider;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential back-off with jitter: {@code min(initial × 2^retry, max) × [0.75, 1.25)}, and at most
 * {@code maxRetries} retries. A provider's {@code Retry-After} is honoured up to {@code max}.
 */
public record Backoff(int maxRetries, Duration initial, Duration max) {

    public Backoff {
        if (maxRetries < 0 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs maxRetries >= 0 and 0 <= initial <= max");
        }
    }

    /** The pause before retry number {@code retry} (0 = the first retry). */
    public Duration pause(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        double base = Math.min(initial.toMillis() * Math.pow(2, Math.min(retry, 30)), max.toMillis());
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis((long) (base * jitter));
    }

    /** The longest all retries can wait together: what a caller's timeout must allow for. */
    public Duration worstCase() {
        Duration total = Duration.ZERO;
        for (int i = 0; i < maxRetries; i++) {
            total = total.plus(Duration.ofMillis((long) (Math.min(initial.toMillis() * Math.pow(2, i), max.toMillis()) * 1.25)));
        }
        return total;
    }
}
