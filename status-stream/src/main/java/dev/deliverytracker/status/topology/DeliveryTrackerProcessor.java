package dev.deliverytracker.status.topology;

import dev.deliverytracker.schemas.serde.RegistryUnavailableException;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.state.DeliveryStateMachine;
import dev.deliverytracker.status.state.Phase;
import dev.deliverytracker.status.state.TrackedDelivery;
import dev.deliverytracker.status.state.TrackedDeliveryCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tracks every delivery by key (msgKey; requestId for a send rejected without one) over both input topics.
 *
 * <p>It reads raw bytes and decodes them itself, so a record that cannot be read, or that breaks processing, or
 * whose state cannot be read or stored, goes to the dead-records sink with its source topic, partition, offset and
 * the error in headers, and the task keeps running: no poison record can stop it or loop it. A deadline that cannot
 * be handled puts the delivery's key there (stage {@code punctuate}) and is dropped. The one exception is a Schema
 * Registry that does not answer: that is not bad data, so it is thrown, and the record is read again
 * ({@code StreamFailureHandler}, docs/architecture.md, D14).
 *
 * <p>Stores (declared here, named so a redeploy keeps its state): {@value #DELIVERIES_STORE} (state per delivery),
 * {@value #DEADLINES_STORE} (deliveries by next deadline, see {@link DeadlineIndex}) and {@value #COUNTS_STORE}
 * (deliveries per phase, for the pending and stuck gauges). A wall-clock punctuator handles what is due, bounded
 * per run, with "now" from a {@link StreamClock}.
 */
public final class DeliveryTrackerProcessor implements Processor<byte[], byte[], Object, Object> {

    public static final String NAME = "delivery-tracker";
    public static final String DELIVERIES_STORE = "deliveries";
    public static final String DEADLINES_STORE = "delivery-deadlines";
    public static final String COUNTS_STORE = "delivery-phase-counts";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTrackerProcessor.class);

    private final StatusTopologyConfig config;
    private final Deserializer<SendEvent> sends;
    private final Deserializer<ProviderReport> reports;
    private final DeliveryMetrics metrics;
    private final DeliveryStateMachine machine;
    private final String statusSink;
    private final String deadRecordsSink;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, TrackedDelivery> deliveries;
    private KeyValueStore<String, Long> counts;
    private DeadlineIndex deadlines;
    private StreamClock clock;
    private final Map<Phase, Long> phaseCounts = new EnumMap<>(Phase.class);

    DeliveryTrackerProcessor(StatusTopologyConfig config, Deserializer<SendEvent> sends, Deserializer<ProviderReport> reports,
                             DeliveryMetrics metrics, String statusSink, String deadRecordsSink) {
        this.config = config;
        this.sends = sends;
        this.reports = reports;
        this.metrics = metrics;
        this.machine = new DeliveryStateMachine(config.rules());
        this.statusSink = statusSink;
        this.deadRecordsSink = deadRecordsSink;
    }

    /** The supplier that declares the processor's stores, so the topology connects them by itself. */
    static ProcessorSupplier<byte[], byte[], Object, Object> supplier(StatusTopologyConfig config,
                                                                     Deserializer<SendEvent> sends,
                                                                     Deserializer<ProviderReport> reports,
                                                                     DeliveryMetrics metrics,
                                                                     String statusSink, String deadRecordsSink) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<byte[], byte[], Object, Object> get() {
                return new DeliveryTrackerProcessor(config, sends, reports, metrics, statusSink, deadRecordsSink);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Cached: a send and its report arriving within one commit interval cost one RocksDB write and one
                // changelog record per store, not one per update.
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DELIVERIES_STORE), Serdes.String(), new TrackedDeliveryCodec())
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES_STORE), Serdes.Bytes(), Serdes.ByteArray())
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), Serdes.String(), Serdes.Long())
                                .withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.deliveries = context.getStateStore(DELIVERIES_STORE);
        this.counts = context.getStateStore(COUNTS_STORE);
        this.deadlines = new DeadlineIndex(context.getStateStore(DEADLINES_STORE));
        this.clock = new StreamClock(config.liveLag(), config.idleAfter(), context.currentSystemTimeMs());
        try (KeyValueIterator<String, Long> it = counts.all()) {
            it.forEachRemaining(kv -> phaseCounts.put(Phase.valueOf(kv.key), kv.value));
        }
        phaseCounts.forEach(metrics::phaseDelta);
        context.schedule(config.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        clock.observe(record.timestamp(), context.currentSystemTimeMs());
        String key;
        SpecificRecord event;
        try {
            event = decode(source.topic(), record.value());
        } catch (RuntimeException e) {
            retryIfRegistryDown(e); // not bad data: the record is read again once the registry answers
            deadRecord(record, source, "deserialize", e);
            return;
        }
        try {
            key = keyOf(record.key(), event);
        } catch (IllegalArgumentException e) {
            deadRecord(record, source, "validate", e);
            return;
        }
        TrackedDelivery current;
        try {
            current = deliveries.get(key);
        } catch (RuntimeException e) {
            deadRecord(record, source, "state", e); // its stored state cannot be read: keep the input, go on with the rest
            return;
        }
        Phase oldPhase = current == null ? null : current.phase;
        long oldDeadline = current == null ? TrackedDelivery.NONE : current.deadline;
        DeliveryStateMachine.Transition transition;
        try {
            transition = event instanceof SendEvent send
                    ? machine.onSend(key, current, send)
                    : machine.onReport(key, current, (ProviderReport) event);
        } catch (RuntimeException e) {
            deadRecord(record, source, "process", e);
            return;
        }
        try {
            apply(key, oldPhase, oldDeadline, transition);
        } catch (RuntimeException e) {
            retryIfRegistryDown(e); // the status could not be written for want of its schema id
            // the new state cannot be stored (the codec's limits): nothing was written, so keep the input and go on
            deadRecord(record, source, "state", e);
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
                if (d == null || d.deadline != entry.deadline()) {
                    // a stale index entry (should not happen): drop it rather than trip over it on every run
                    LOG.warn("Dropping stale deadline entry for delivery {}", key);
                    deadlines.remove(entry);
                    continue;
                }
                Phase oldPhase = d.phase;
                long oldDeadline = d.deadline;
                apply(key, oldPhase, oldDeadline, machine.onTimer(d, now));
                handled++;
            } catch (RuntimeException e) {
                retryIfRegistryDown(e);
                // one broken delivery must not stop the timers of all the others, nor fail again every second
                deadlines.remove(entry);
                deadTimer(key, wallTime, e);
            }
        }
        metrics.punctuation(System.nanoTime() - started, handled);
    }

    @Override
    public void close() {
        // the task moves elsewhere: its deliveries leave this instance's gauges
        phaseCounts.forEach((phase, count) -> metrics.phaseDelta(phase, -count));
        phaseCounts.clear();
        metrics.clockMode(context.taskId().toString(), null);
    }

    private void apply(String key, Phase oldPhase, long oldDeadline, DeliveryStateMachine.Transition transition) {
        TrackedDelivery next = transition.next();
        if (next == null) {
            deliveries.delete(key);
            deadlines.move(key, oldDeadline, TrackedDelivery.NONE);
        } else {
            deliveries.put(key, next);
            deadlines.move(key, oldDeadline, next.deadline);
        }
        Phase newPhase = next == null ? null : next.phase;
        if (oldPhase != newPhase) {
            count(oldPhase, -1);
            count(newPhase, +1);
        }
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
                    key, next == null ? "?" : next.status, next == null ? "?" : next.contradictions);
        }
    }

    private void count(Phase phase, long delta) {
        if (phase == null) {
            return;
        }
        long updated = phaseCounts.merge(phase, delta, Long::sum);
        counts.put(phase.name(), updated);
        metrics.phaseDelta(phase, delta);
    }

    private SpecificRecord decode(String topic, byte[] value) {
        SpecificRecord event;
        if (topic.equals(config.topics().sends().name())) {
            event = sends.deserialize(topic, value);
        } else if (topic.equals(config.topics().reports().name())) {
            event = reports.deserialize(topic, value);
        } else {
            throw new IllegalStateException("record from unexpected topic " + topic);
        }
        if (event == null) {
            throw new IllegalArgumentException("empty value (tombstone): deliveries are never deleted by producers");
        }
        return event;
    }

    /** The record key must be the delivery's key: msgKey, or requestId for a send rejected without msgKey. */
    private static String keyOf(byte[] rawKey, SpecificRecord event) {
        if (rawKey == null) {
            throw new IllegalArgumentException("record has no key; sends and reports are keyed by msgKey");
        }
        String key = new String(rawKey, StandardCharsets.UTF_8);
        String expected;
        if (event instanceof SendEvent send) {
            if (send.getOutcome() == SendOutcome.ACCEPTED && send.getMsgKey() == null) {
                throw new IllegalArgumentException("accepted send " + send.getRequestId() + " has no msgKey");
            }
            expected = send.getMsgKey() != null ? send.getMsgKey() : send.getRequestId();
        } else {
            expected = ((ProviderReport) event).getMsgKey();
        }
        if (!Objects.equals(key, expected)) {
            throw new IllegalArgumentException("record key '" + key + "' differs from the event's key '" + expected
                    + "': the producer partitions by the wrong key, so sends and reports would not meet");
        }
        return key;
    }

    private void deadRecord(Record<byte[], byte[]> record, RecordMetadata source, String stage, Exception error) {
        LOG.warn("Record {}-{}@{} sent to dead records ({}): {}", source.topic(), source.partition(), source.offset(),
                stage, error.getMessage());
        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadRecordHeaders.TOPIC, source.topic());
        header(headers, DeadRecordHeaders.PARTITION, Integer.toString(source.partition()));
        header(headers, DeadRecordHeaders.OFFSET, Long.toString(source.offset()));
        header(headers, DeadRecordHeaders.STAGE, stage);
        header(headers, DeadRecordHeaders.EXCEPTION, error.getClass().getName());
        header(headers, DeadRecordHeaders.MESSAGE, String.valueOf(error.getMessage()));
        header(headers, DeadRecordHeaders.APPLICATION, context.applicationId());
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers), deadRecordsSink);
        metrics.deadRecord(stage);
    }

    /** A Schema Registry outage is rethrown, to be retried by a new stream thread from the last commit (StreamFailureHandler). */
    private static void retryIfRegistryDown(RuntimeException e) {
        if (RegistryUnavailableException.isCauseOf(e)) {
            throw e;
        }
    }

    /** A delivery whose deadline could not be handled: its key on dead records, the reason in the headers; its timer is dropped. */
    private void deadTimer(String key, long wallTime, Exception error) {
        LOG.error("Delivery {}: its deadline cannot be handled and is dropped; sent to dead records: {}", key, error.toString());
        Headers headers = new RecordHeaders();
        header(headers, DeadRecordHeaders.STAGE, "punctuate");
        header(headers, DeadRecordHeaders.EXCEPTION, error.getClass().getName());
        header(headers, DeadRecordHeaders.MESSAGE, "deadline of delivery " + key + " in store " + DELIVERIES_STORE + ": " + error.getMessage());
        header(headers, DeadRecordHeaders.APPLICATION, context.applicationId());
        context.forward(new Record<Object, Object>(key.getBytes(StandardCharsets.UTF_8), null, wallTime, headers), deadRecordsSink);
        metrics.deadRecord("punctuate");
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
