package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.state.DeliveryStateMachine;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.state.TrackedDelivery;
import dev.deliverytracker.status.state.TrackedDeliverySerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Tracks every delivery by key (msgKey; requestId for a send rejected without one): applies each decoded send or
 * report, and each deadline that comes due, to the {@link DeliveryStateMachine}, stores the result and emits its
 * statuses.
 *
 * <p>An input whose stored state cannot be read, that the state machine cannot apply, or whose new state cannot be
 * stored goes to dead records (stages {@code state} and {@code process}) with nothing changed, and the task goes on.
 * A deadline that cannot be handled puts the delivery's key there (stage {@code punctuate}) and is dropped. A Schema
 * Registry that does not answer while a status is written is thrown, so the input is read again (docs/architecture.md,
 * D14).
 *
 * <p>Stores (declared here, named so a redeploy keeps its state): {@value #DELIVERIES_STORE} (state per delivery),
 * {@value #DEADLINES_STORE} (deliveries by next deadline, see {@link DeadlineIndex}) and {@value #COUNTS_STORE}
 * (deliveries per phase, see {@link PhaseCounts}). A wall-clock punctuator handles what is due, bounded per run,
 * with "now" from a {@link StreamClock}.
 */
public final class DeliveryTracker implements Processor<String, DeliveryInput, String, DeliveryStatus> {

    public static final String NAME = "delivery-tracker";
    public static final String DELIVERIES_STORE = "deliveries";
    public static final String DEADLINES_STORE = "delivery-deadlines";
    public static final String COUNTS_STORE = "delivery-phase-counts";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTracker.class);

    private final StatusTopologyConfig config;
    private final DeliveryMetrics metrics;
    private final DeliveryStateMachine machine;
    private final String statusSink;
    private final String deadRecordsSink;

    private ProcessorContext<String, DeliveryStatus> context;
    private KeyValueStore<String, TrackedDelivery> deliveries;
    private DeadlineIndex deadlines;
    private PhaseCounts phases;
    private StreamClock clock;
    private DeadRecords dead;

    private DeliveryTracker(StatusTopologyConfig config, DeliveryMetrics metrics, String statusSink, String deadRecordsSink) {
        this.config = config;
        this.metrics = metrics;
        this.machine = new DeliveryStateMachine(config.rules());
        this.statusSink = statusSink;
        this.deadRecordsSink = deadRecordsSink;
    }

    /** The supplier that declares the tracker's stores, so the topology connects them by itself. */
    static ProcessorSupplier<String, DeliveryInput, String, DeliveryStatus> supplier(StatusTopologyConfig config, DeliveryMetrics metrics,
                                                                                    String statusSink, String deadRecordsSink) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeliveryInput, String, DeliveryStatus> get() {
                return new DeliveryTracker(config, metrics, statusSink, deadRecordsSink);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Cached: a send and its report arriving within one commit interval cost one RocksDB write and one
                // changelog record per store, not one per update.
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DELIVERIES_STORE), Serdes.String(), new TrackedDeliverySerde())
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES_STORE), Serdes.Bytes(), Serdes.ByteArray())
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), Serdes.String(), Serdes.Long())
                                .withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, DeliveryStatus> context) {
        this.context = context;
        this.deliveries = context.getStateStore(DELIVERIES_STORE);
        this.deadlines = new DeadlineIndex(context.getStateStore(DEADLINES_STORE));
        this.phases = new PhaseCounts(context.getStateStore(COUNTS_STORE), metrics);
        this.clock = new StreamClock(config.liveLag(), config.idleAfter(), context.currentSystemTimeMs());
        this.dead = new DeadRecords(context, deadRecordsSink, metrics);
        context.schedule(config.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, DeliveryInput> record) {
        clock.observe(record.timestamp(), context.currentSystemTimeMs());
        String key = record.key();
        DeliveryInput input = record.value();
        TrackedDelivery current;
        try {
            current = deliveries.get(key);
        } catch (RuntimeException e) {
            deadInput(record, "state", e); // its stored state cannot be read: keep the input, go on with the rest
            return;
        }
        Phase oldPhase = current == null ? null : current.getPhase();
        long oldDeadline = current == null ? DeadlineIndex.NONE : current.getDeadline();
        DeliveryStateMachine.Transition transition;
        try {
            transition = input instanceof DeliveryInput.Send send
                    ? machine.onSend(key, current, send.event())
                    : machine.onReport(key, current, ((DeliveryInput.Report) input).event());
        } catch (RuntimeException e) {
            deadInput(record, "process", e);
            return;
        }
        try {
            apply(key, oldPhase, oldDeadline, transition);
        } catch (RuntimeException e) {
            DeadRecords.rethrowIfRegistryDown(e); // the status could not be written for want of its schema id
            // the new state cannot be stored (over TrackedDeliverySerde's size limit): nothing was written, so keep the input and go on
            deadInput(record, "state", e);
        }
    }

    /** Handles the timers that are due: bounded work per run, earliest first. */
    void punctuate(long wallTime) {
        long started = System.nanoTime();
        metrics.clockMode(context.taskId().toString(), clock.mode(wallTime));
        long now = clock.now(wallTime);
        if (now < 0) {
            return; // just started, no record yet: a backlog may be coming, judge nothing yet (StreamClock)
        }
        List<DeadlineIndex.Due> due = deadlines.due(now, config.maxDuePerPunctuation());
        int handled = 0;
        for (DeadlineIndex.Due entry : due) {
            String key = entry.key();
            try {
                TrackedDelivery d = deliveries.get(key);
                if (d == null || d.getDeadline() != entry.deadline()) {
                    // a stale index entry (should not happen): drop it rather than trip over it on every run
                    LOG.warn("Dropping stale deadline entry for delivery {}", key);
                    deadlines.remove(entry);
                    continue;
                }
                apply(key, d.getPhase(), d.getDeadline(), machine.onTimer(d, now));
                handled++;
            } catch (RuntimeException e) {
                DeadRecords.rethrowIfRegistryDown(e);
                // one broken delivery must not stop the timers of all the others, nor fail again every second
                deadlines.remove(entry);
                dead.timer(key, DELIVERIES_STORE, wallTime, e);
            }
        }
        metrics.punctuation(System.nanoTime() - started, handled);
    }

    @Override
    public void close() {
        phases.close();
        metrics.clockMode(context.taskId().toString(), null);
    }

    private void apply(String key, Phase oldPhase, long oldDeadline, DeliveryStateMachine.Transition transition) {
        TrackedDelivery next = transition.next();
        if (next == null) {
            deliveries.delete(key);
            deadlines.move(key, oldDeadline, DeadlineIndex.NONE);
        } else {
            deliveries.put(key, next); // first: a state that cannot be stored fails here, before anything changed
            deadlines.move(key, oldDeadline, next.getDeadline());
        }
        phases.moved(oldPhase, next == null ? null : next.getPhase());
        for (DeliveryStatus status : transition.emitted()) {
            context.forward(new Record<>(status.getMsgKey(), status, status.getResolvedAt().toEpochMilli()), statusSink);
            metrics.emitted(status);
        }
        if (transition.duplicates() > 0) {
            metrics.duplicates(transition.duplicates());
        }
        if (transition.contradictions() > 0) {
            metrics.contradictions(transition.contradictions());
            LOG.warn("Delivery {} got an input that contradicts its settled status {} ({} contradiction(s) so far)",
                    key, next == null ? "?" : next.getStatus(), next == null ? "?" : next.getContradictions());
        }
    }

    private void deadInput(Record<String, DeliveryInput> record, String stage, Exception error) {
        dead.input(record.key().getBytes(StandardCharsets.UTF_8), record.value().raw(), record, stage, error);
    }
}
