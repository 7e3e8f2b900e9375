package dev.deliverytracker.webhook.collect;

import java.time.Duration;

/**
 * When the collector may call the provider again: one gate for every task of the instance, so a 429 or an outage
 * pauses all of them, not only the task that saw it. The pause doubles with each failure in a row (from
 * {@code pollInterval} up to {@code maxBackoff}, or longer when the provider asks for it with Retry-After).
 */
final class CallGate {

    private final Duration first;
    private final Duration max;
    private long pausedUntil;
    private int failuresInARow;

    CallGate(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    synchronized boolean open(long now) {
        return now >= pausedUntil;
    }

    synchronized void succeeded() {
        failuresInARow = 0;
    }

    /** @return the pause now in force */
    synchronized Duration failed(long now, Duration retryAfter) {
        long doubling = first.toMillis() << Math.min(20, failuresInARow++);
        long pause = Math.min(max.toMillis(), Math.max(doubling, retryAfter == null ? 0 : retryAfter.toMillis()));
        pausedUntil = Math.max(pausedUntil, now + pause);
        return Duration.ofMillis(pause);
    }
}
