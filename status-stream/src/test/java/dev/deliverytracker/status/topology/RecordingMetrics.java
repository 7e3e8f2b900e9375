package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.state.Phase;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the topology reports, for assertions. */
final class RecordingMetrics implements DeliveryMetrics {

    final AtomicInteger emitted = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger contradictions = new AtomicInteger();
    final AtomicInteger deadRecords = new AtomicInteger();
    final AtomicInteger punctuations = new AtomicInteger();
    final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    final Map<String, ClockMode> clockModes = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void clockMode(String task, ClockMode mode) {
        if (mode == null) {
            clockModes.remove(task);
        } else {
            clockModes.put(task, mode);
        }
    }

    @Override
    public void emitted(DeliveryStatus status) {
        emitted.incrementAndGet();
    }

    @Override
    public void duplicates(int count) {
        duplicates.addAndGet(count);
    }

    @Override
    public void contradictions(int count) {
        contradictions.addAndGet(count);
    }

    @Override
    public void deadRecord(String stage) {
        deadRecords.incrementAndGet();
    }

    @Override
    public synchronized void phaseDelta(Phase phase, long delta) {
        phases.merge(phase, delta, Long::sum);
    }

    @Override
    public void punctuation(long nanos, int handled) {
        punctuations.incrementAndGet();
    }

    synchronized long phase(Phase phase) {
        return phases.getOrDefault(phase, 0L);
    }
}
