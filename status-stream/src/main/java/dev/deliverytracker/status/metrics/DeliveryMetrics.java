package dev.deliverytracker.status.metrics;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.status.state.Phase;

/**
 * What the topology reports about itself. The service binds it to Micrometer ({@link MicrometerDeliveryMetrics});
 * tests may count with {@link #NONE} or their own implementation. Implementations must be thread-safe: every
 * stream task calls the same instance.
 */
public interface DeliveryMetrics {

    /** A status event was emitted. */
    void emitted(DeliveryStatus status);

    /** A duplicate send or report was absorbed. */
    void duplicates(int count);

    /** A send or report contradicted a settled outcome. */
    void contradictions(int count);

    /** A record went to the dead-records topic; {@code stage} is deserialize, validate or process. */
    void deadRecord(String stage);

    /** The number of deliveries in {@code phase} changed by {@code delta} in some task. */
    void phaseDelta(Phase phase, long delta);

    /** One punctuation took {@code nanos} and handled {@code handled} due timers. */
    void punctuation(long nanos, int handled);

    DeliveryMetrics NONE = new DeliveryMetrics() {
        @Override
        public void emitted(DeliveryStatus status) {
        }

        @Override
        public void duplicates(int count) {
        }

        @Override
        public void contradictions(int count) {
        }

        @Override
        public void deadRecord(String stage) {
        }

        @Override
        public void phaseDelta(Phase phase, long delta) {
        }

        @Override
        public void punctuation(long nanos, int handled) {
        }
    };
}
