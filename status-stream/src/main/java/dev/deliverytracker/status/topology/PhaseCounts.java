package dev.deliverytracker.status.topology;

import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.state.Phase;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.EnumMap;
import java.util.Map;

/**
 * The third store: how many of a task's deliveries are in each phase, kept as the deliveries move, so the pending
 * and stuck gauges never scan the deliveries store. Loaded into the gauges when the task starts here, taken out of
 * them when it leaves.
 */
final class PhaseCounts {

    private final KeyValueStore<String, Long> store;
    private final DeliveryMetrics metrics;
    private final Map<Phase, Long> counts = new EnumMap<>(Phase.class);

    PhaseCounts(KeyValueStore<String, Long> store, DeliveryMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> counts.put(Phase.valueOf(kv.key), kv.value));
        }
        counts.forEach(metrics::phaseDelta);
    }

    /** A delivery moved from {@code from} to {@code to}; null is "not tracked" (new, or forgotten). */
    void moved(Phase from, Phase to) {
        if (from != to) {
            add(from, -1);
            add(to, +1);
        }
    }

    /** The task leaves this instance: its deliveries leave this instance's gauges. */
    void close() {
        counts.forEach((phase, count) -> metrics.phaseDelta(phase, -count));
        counts.clear();
    }

    private void add(Phase phase, long delta) {
        if (phase == null) {
            return;
        }
        long updated = counts.merge(phase, delta, Long::sum);
        store.put(phase.name(), updated);
        metrics.phaseDelta(phase, delta);
    }
}
