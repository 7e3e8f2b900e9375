package dev.deliverytracker.status.metrics;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.state.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topology's metrics in Micrometer (Prometheus at {@code /prometheus}):
 * <ul>
 *   <li>{@code delivery_statuses_total{status,classification,provider}}: status events emitted;</li>
 *   <li>{@code delivery_tracked{phase}}: deliveries held by this instance per phase (PENDING and STUCK are the
 *       pending and stuck gauges alerting watches);</li>
 *   <li>{@code delivery_duplicates_total}, {@code delivery_contradictions_total}, {@code delivery_dead_records_total{stage}};</li>
 *   <li>{@code delivery_punctuation_seconds}: how long each deadline scan took;</li>
 *   <li>{@code delivery_stream_clock_tasks{mode}}: this instance's tasks by what their deadlines follow (WAITING,
 *       STREAM_TIME while a backlog is read, WALL_CLOCK).</li>
 * </ul>
 */
@Singleton
public class MicrometerDeliveryMetrics implements DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<Phase, AtomicLong> tracked = new EnumMap<>(Phase.class);
    private final Counter duplicates;
    private final Counter contradictions;
    private final Timer punctuation;
    private final Map<String, ClockMode> clockModes = new java.util.concurrent.ConcurrentHashMap<>();

    public MicrometerDeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Phase phase : Phase.values()) {
            AtomicLong value = new AtomicLong();
            tracked.put(phase, value);
            Gauge.builder("delivery.tracked", value, AtomicLong::get)
                    .description("Deliveries held by this instance, per phase")
                    .tag("phase", phase.name())
                    .register(registry);
        }
        duplicates = Counter.builder("delivery.duplicates").description("Duplicate sends and reports absorbed").register(registry);
        contradictions = Counter.builder("delivery.contradictions")
                .description("Inputs that contradicted a settled delivery").register(registry);
        punctuation = Timer.builder("delivery.punctuation").description("Duration of one deadline scan").register(registry);
        for (ClockMode mode : ClockMode.values()) {
            Gauge.builder("delivery.stream.clock.tasks", clockModes, m -> m.values().stream().filter(mode::equals).count())
                    .description("Stream tasks of this instance by what their deadlines follow")
                    .tag("mode", mode.name())
                    .register(registry);
        }
    }

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
        registry.counter("delivery.statuses",
                "status", status.getStatus().name(),
                "classification", status.getClassification() == null ? "none" : status.getClassification().name(),
                "provider", status.getProvider()).increment();
    }

    @Override
    public void duplicates(int count) {
        duplicates.increment(count);
    }

    @Override
    public void contradictions(int count) {
        contradictions.increment(count);
    }

    @Override
    public void deadRecord(String stage) {
        registry.counter("delivery.dead.records", "stage", stage).increment();
    }

    @Override
    public void phaseDelta(Phase phase, long delta) {
        tracked.get(phase).addAndGet(delta);
    }

    @Override
    public void punctuation(long nanos, int handled) {
        punctuation.record(nanos, TimeUnit.NANOSECONDS);
    }
}
