package dev.deliverytracker.support.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential back-off with ±20 % jitter: attempt n waits {@code initial * 2^(n-1)}, at most {@code max}.
 *
 * @param maxAttempts attempts in all, the first included (1 means no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("back-off must satisfy 0 <= initial-backoff <= max-backoff, was "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.min(maxBackoff.toMillis(), (long) (capped * jitter)));
    }
}
