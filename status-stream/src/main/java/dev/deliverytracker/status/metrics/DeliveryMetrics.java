package dev.deliverytracker.status.metrics;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.state.Phase;

/**
 * What the topology reports about itself. The service binds it to Micrometer ({@link MicrometerDeliveryMetrics});
 * tests and benchmarks override only what they count (every method does nothing by default), or use {@link #NONE}.
 * Implementations must be thread-safe: every stream task calls the same instance.
 */
public interface DeliveryMetrics {

    /** A status event was emitted. */
    default void emitted(DeliveryStatus status) {
    }

    /** A duplicate send or report was absorbed. */
    default void duplicates(int count) {
    }

    /** A send or report contradicted a settled outcome. */
    default void contradictions(int count) {
    }

    /** A record went to the dead-records topic; {@code stage} is deserialize, validate or process. */
    default void deadRecord(String stage) {
    }

    /** The number of deliveries in {@code phase} changed by {@code delta} in some task. */
    default void phaseDelta(Phase phase, long delta) {
    }

    /** One punctuation took {@code nanos} and handled {@code handled} due timers. */
    default void punctuation(long nanos, int handled) {
    }

    /** What "now" follows in a task's deadlines (docs/architecture.md, D3). */
    enum ClockMode {
        /** Started, no record yet: judging nothing until {@code idle-after}. */
        WAITING,
        /** Catching up on a backlog: deadlines follow the records' timestamps. */
        STREAM_TIME,
        /** Live or idle: deadlines follow the wall clock. */
        WALL_CLOCK
    }

    /** At each punctuation: which clock task {@code task} follows; {@code null} when the task is closed here. */
    default void clockMode(String task, ClockMode mode) {
    }

    /** Counts nothing. */
    DeliveryMetrics NONE = new DeliveryMetrics() { };
}
