package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the dashboard's numbers from {@code delivery.status} (input keyed by provider, so each provider's statuses have
 * one owner task), bucketed by the status's own time ({@code resolvedAt}): accepted (PENDING), delivered (SENT, with
 * its accepted-to-delivered time), failed (DEAD_LETTER, by classification and by code), stuck (STUCK_PENDING),
 * unmatched, fallback; per provider and minute, and per provider, channel, template and origin by minute and by hour
 * ({@link DashboardStores}). It also keeps the deliveries stuck now (until a final status settles them: a FALLBACK
 * does not) and every failed delivery, for the page's lists. A message is counted under its flow's first channel
 * ({@link #messageChannel}). Terminal: it forwards nothing.
 */
public final class DashboardAggregator implements Processor<String, DeliveryStatus, Void, Void> {

    public static final String NAME = "dashboard-aggregator";
    static final String NONE = "";
    private static final DashboardMinute EMPTY_MINUTE = DashboardMinute.newBuilder().build();
    private static final DashboardRow EMPTY_ROW = DashboardRow.newBuilder().build();

    private WindowStore<String, DashboardMinute> totals;
    private WindowStore<String, DashboardMinute> hourTotals;
    private WindowStore<String, DashboardRow> minutes;
    private WindowStore<String, DashboardRow> hours;
    private WindowStore<String, FailureCodeMinute> failureCodes;
    private WindowStore<String, FailureCodeMinute> failureCodeHours;
    private WindowStore<String, DashboardDelivery> recentFailures;
    private KeyValueStore<String, DashboardDelivery> stuck;
    private KeyValueStore<String, Long> stuckIndex;
    private KeyValueStore<String, Long> counters;
    private KeyValueStore<String, Long> versions;
    private Duration retention;

    /** @param retention how long the window stores keep buckets (validated by {@code AlertTopologyConfig}) */
    public static ProcessorSupplier<String, DeliveryStatus, Void, Void> supplier(Duration retention) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeliveryStatus, Void, Void> get() {
                return new DashboardAggregator(retention);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return DashboardStores.builders(retention);
            }
        };
    }

    private DashboardAggregator(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        versions = context.getStateStore(DashboardStores.VERSIONS);
        totals = context.getStateStore(DashboardStores.TOTALS);
        hourTotals = context.getStateStore(DashboardStores.HOUR_TOTALS);
        minutes = context.getStateStore(DashboardStores.MINUTES);
        hours = context.getStateStore(DashboardStores.HOURS);
        failureCodes = context.getStateStore(DashboardStores.FAILURE_CODES);
        failureCodeHours = context.getStateStore(DashboardStores.FAILURE_CODE_HOURS);
        recentFailures = context.getStateStore(DashboardStores.RECENT_FAILURES);
        stuck = context.getStateStore(DashboardStores.STUCK);
        stuckIndex = context.getStateStore(DashboardStores.STUCK_INDEX);
        counters = context.getStateStore(DashboardStores.COUNTERS);
    }

    @Override
    public void process(Record<String, DeliveryStatus> record) {
        DeliveryStatus status = record.value();
        if (status == null) {
            return;
        }
        long at = status.getResolvedAt().toEpochMilli();
        Consumer<DashboardMinute.Builder> change = change(status);
        if (change == null) {
            return;
        }
        long minute = floor(at, DashboardStores.MINUTE);
        long hour = floor(at, DashboardStores.HOUR);
        String dims = DashboardStores.key(status.getProvider(), messageChannel(status), orNone(status.getTemplateCode()),
                orNone(status.getOrigin()));
        count(totals, DashboardStores.bucketKey(minute, status.getProvider()), minute, change);
        count(hourTotals, DashboardStores.bucketKey(hour, status.getProvider()), hour, change);
        countRow(minutes, DashboardStores.bucketKey(minute, dims), minute, status.getStatus());
        countRow(hours, DashboardStores.bucketKey(hour, dims), hour, status.getStatus());
        bumpVersion(DashboardStores.MINUTE, minute);
        bumpVersion(DashboardStores.HOUR, hour);
        switch (status.getStatus()) {
            case SENT -> unstick(status.getMsgKey());
            case DEAD_LETTER -> {
                String code = DashboardStores.key(status.getProvider(), status.getCode() == null ? NONE : status.getCode());
                countCode(failureCodes, DashboardStores.bucketKey(minute, code), minute, status, at);
                countCode(failureCodeHours, DashboardStores.bucketKey(hour, code), hour, status, at);
                recentFailures.put(status.getMsgKey(), listed(status, at), minute);
                unstick(status.getMsgKey());
            }
            case STUCK_PENDING -> stick(status, at);
            default -> {
                // counted above; nothing listed
            }
        }
    }

    /** What a status adds to its buckets; null for a status the dashboard does not count. */
    private static Consumer<DashboardMinute.Builder> change(DeliveryStatus status) {
        return switch (status.getStatus()) {
            case PENDING -> b -> b.setAccepted(b.getAccepted() + 1);
            case SENT -> b -> {
                b.setDelivered(b.getDelivered() + 1);
                if (status.getLatencyMillis() != null) {
                    b.setLatency(LatencyHistogram.increment(b.getLatency(), status.getLatencyMillis()));
                }
            };
            case DEAD_LETTER -> b -> {
                b.setFailed(b.getFailed() + 1);
                Map<String, Long> byClass = new HashMap<>(b.getFailedByClassification());
                byClass.merge(classification(status), 1L, Long::sum);
                b.setFailedByClassification(byClass);
            };
            case STUCK_PENDING -> b -> b.setStuck(b.getStuck() + 1);
            case UNMATCHED_REPORT -> b -> b.setUnmatched(b.getUnmatched() + 1);
            case FALLBACK -> b -> b.setFallback(b.getFallback() + 1);
        };
    }

    private static void count(WindowStore<String, DashboardMinute> store, String key, long windowStart,
                              Consumer<DashboardMinute.Builder> change) {
        DashboardMinute known = store.fetch(key, windowStart);
        // from a record, not a bare builder: a builder's fields hold no defaults until build()
        DashboardMinute.Builder next = DashboardMinute.newBuilder(known == null ? EMPTY_MINUTE : known);
        change.accept(next);
        store.put(key, next.build(), windowStart);
    }

    private static void countRow(WindowStore<String, DashboardRow> store, String key, long windowStart, DeliveryState state) {
        DashboardRow known = store.fetch(key, windowStart);
        DashboardRow.Builder next = DashboardRow.newBuilder(known == null ? EMPTY_ROW : known);
        switch (state) {
            case PENDING -> next.setAccepted(next.getAccepted() + 1);
            case SENT -> next.setDelivered(next.getDelivered() + 1);
            case DEAD_LETTER -> next.setFailed(next.getFailed() + 1);
            case STUCK_PENDING -> next.setStuck(next.getStuck() + 1);
            case UNMATCHED_REPORT -> next.setUnmatched(next.getUnmatched() + 1);
            case FALLBACK -> {
                return; // not a column of the breakdown
            }
        }
        store.put(key, next.build(), windowStart);
    }

    private static void countCode(WindowStore<String, FailureCodeMinute> store, String key, long windowStart, DeliveryStatus status,
                                  long at) {
        FailureCodeMinute known = store.fetch(key, windowStart);
        store.put(key, FailureCodeMinute.newBuilder()
                .setProvider(status.getProvider())
                .setCode(status.getCode() == null ? NONE : status.getCode())
                .setClassification(classification(status))
                .setText(status.getText() != null ? status.getText() : known == null ? null : known.getText())
                .setCount((known == null ? 0 : known.getCount()) + 1)
                .setLastSeen(Math.max(at, known == null ? 0 : known.getLastSeen()))
                .build(), windowStart);
    }

    /**
     * Counts a change to a bucket, for readers that keep the buckets they have summed. A bucket's first change drops the
     * versions of buckets past the retention (an hour bucket's first change: about once an hour).
     */
    private void bumpVersion(Duration resolution, long bucketStart) {
        String key = DashboardStores.versionKey(resolution, bucketStart);
        Long version = versions.get(key);
        versions.put(key, version == null ? 1 : version + 1);
        if (version == null && resolution.equals(DashboardStores.HOUR)) {
            long expired = bucketStart - retention.toMillis();
            List<String> old = new ArrayList<>();
            for (Duration r : List.of(DashboardStores.MINUTE, DashboardStores.HOUR)) {
                try (KeyValueIterator<String, Long> it = versions.range(DashboardStores.versionKey(r, 0), DashboardStores.versionKey(r, expired))) {
                    it.forEachRemaining(entry -> old.add(entry.key));
                }
            }
            old.forEach(versions::delete);
        }
    }

    private void stick(DeliveryStatus status, long at) {
        Long since = stuckIndex.get(status.getMsgKey());
        if (since != null) {
            stuck.delete(DashboardStores.stuckKey(since, status.getMsgKey()));
        } else {
            addToStuckCount(1);
        }
        stuckIndex.put(status.getMsgKey(), at);
        stuck.put(DashboardStores.stuckKey(at, status.getMsgKey()), listed(status, at));
    }

    private void unstick(String msgKey) {
        Long since = stuckIndex.get(msgKey);
        if (since != null) {
            stuckIndex.delete(msgKey);
            stuck.delete(DashboardStores.stuckKey(since, msgKey));
            addToStuckCount(-1);
        }
    }

    private void addToStuckCount(long delta) {
        Long count = counters.get(DashboardStores.STUCK_COUNTER);
        counters.put(DashboardStores.STUCK_COUNTER, Math.max(0, (count == null ? 0 : count) + delta));
    }

    private static DashboardDelivery listed(DeliveryStatus status, long at) {
        return DashboardDelivery.newBuilder()
                .setMsgKey(status.getMsgKey())
                .setStatus(status.getStatus().name())
                .setProvider(status.getProvider())
                .setChannel(channel(status))
                .setOrigin(status.getOrigin())
                .setTemplateCode(status.getTemplateCode())
                .setAcceptedAt(status.getAcceptedAt() == null ? null : status.getAcceptedAt().toEpochMilli())
                .setAt(at)
                .setCode(status.getCode())
                .setClassification(status.getClassification() == null ? null : status.getClassification().name())
                .setText(status.getText())
                .setRecipientMasked(status.getRecipientMasked())
                .build();
    }

    /**
     * The channel a message is counted under: its flow's first, so that its acceptance and its outcome land in the same
     * row even when a fallback channel settled it (an AlimTalk failing over to SMS stays an AlimTalk message).
     */
    static String messageChannel(DeliveryStatus status) {
        return status.getFlow().isEmpty() ? channel(status) : status.getFlow().get(0).name();
    }

    /** The channel the status is about (for a fallback, the last one tried), or the flow's first for PENDING. */
    static String channel(DeliveryStatus status) {
        if (status.getChannel() != null) {
            return status.getChannel().name();
        }
        return status.getFlow().isEmpty() ? Channel.UNKNOWN.name() : status.getFlow().get(0).name();
    }

    static long floor(long millis, Duration unit) {
        return millis - Math.floorMod(millis, unit.toMillis());
    }

    private static String classification(DeliveryStatus status) {
        return status.getClassification() == null ? "UNKNOWN" : status.getClassification().name();
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
