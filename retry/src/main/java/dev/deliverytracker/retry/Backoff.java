package dev.deliverytracker.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Bounded exponential back-off with jitter, the one every retry loop of the project uses: the pause before retry
 * {@code n} (0-based) is {@code min(initial × 2^n, max)}, spread by ±{@code jitter} (a fraction: 0.2 is ±20 %) and
 * never more than {@code max}. At most {@code maxRetries} retries follow the first attempt; a loop that never gives up
 * (a poller) uses {@link #forever}. A server's {@code Retry-After} replaces the computed pause, still capped at
 * {@code max}.
 *
 * @param maxRetries retries after the first attempt (0: no retry)
 * @param initial    the first pause
 * @param max        the longest pause, also the cap on a {@code Retry-After}
 * @param jitter     the spread, from 0 (exact pauses) to below 1
 */
public record Backoff(int maxRetries, Duration initial, Duration max, double jitter) {

    /** The spread most callers want: ±20 %, so many clients that failed together do not retry together. */
    public static final double DEFAULT_JITTER = 0.2;

    public Backoff {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be 0 or more, was " + maxRetries);
        }
        if (initial == null || max == null || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off must satisfy 0 <= initial <= max, was " + initial + " and " + max);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    /** {@code maxRetries} retries, ±20 % jitter. */
    public static Backoff of(int maxRetries, Duration initial, Duration max) {
        return new Backoff(maxRetries, initial, max, DEFAULT_JITTER);
    }

    /** No limit on retries (a loop that must keep trying, such as a poller), ±20 % jitter. */
    public static Backoff forever(Duration initial, Duration max) {
        return new Backoff(Integer.MAX_VALUE, initial, max, DEFAULT_JITTER);
    }

    /** The same pause before every retry, no jitter. */
    public static Backoff fixed(int maxRetries, Duration pause) {
        return new Backoff(maxRetries, pause, pause, 0);
    }

    /** Whether retry {@code retry} (0-based) is allowed. */
    public boolean allows(int retry) {
        return retry >= 0 && retry < maxRetries;
    }

    /** The pause before retry {@code retry} (0 = the first retry). */
    public Duration pause(int retry) {
        return pause(retry, ThreadLocalRandom.current()::nextDouble);
    }

    /** The pause before retry {@code retry}, or the server's {@code retryAfter} (capped at max) when it gave one. */
    public Duration pause(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        return pause(retry);
    }

    /** {@link #pause(int)} with the random source given: {@code random} answers in [0, 1). */
    Duration pause(int retry, DoubleSupplier random) {
        double spread = 1 - jitter + 2 * jitter * random.getAsDouble();
        return Duration.ofMillis(Math.min(max.toMillis(), (long) (base(retry) * spread)));
    }

    /** The longest all retries can wait together: what a caller's own timeout must allow for. */
    public Duration worstCase() {
        if (maxRetries == Integer.MAX_VALUE) {
            throw new IllegalStateException("a back-off without a retry limit has no worst case");
        }
        long total = 0;
        for (int i = 0; i < maxRetries; i++) {
            total += Math.min(max.toMillis(), (long) (base(i) * (1 + jitter)));
        }
        return Duration.ofMillis(total);
    }

    private double base(int retry) {
        return Math.min(initial.toMillis() * Math.pow(2, Math.min(retry, 30)), max.toMillis());
    }
}
