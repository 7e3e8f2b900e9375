package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the dashboard's numbers from {@code delivery.status} (input keyed by provider, so each provider's statuses have
 * one owner task), in minute buckets by the status's own time ({@code resolvedAt}): accepted (PENDING), delivered
 * (SENT, with its accepted-to-delivered time), failed (DEAD_LETTER, by classification and by code), stuck
 * (STUCK_PENDING), unmatched, fallback. It also keeps the deliveries stuck now (until a final status settles them: a
 * FALLBACK does not) and every failed delivery, for the page's lists. A message is counted under its flow's first
 * channel (see {@link #messageChannel}). Terminal: it forwards nothing.
 */
public final class DashboardAggregator implements Processor<String, DeliveryStatus, Void, Void> {

    public static final String NAME = "dashboard-aggregator";
    static final String NONE = "";
    private static final DashboardMinute EMPTY_MINUTE = DashboardMinute.newBuilder().build();

    private WindowStore<String, DashboardMinute> minutes;
    private WindowStore<String, FailureCodeMinute> failureCodes;
    private WindowStore<String, DashboardDelivery> recentFailures;
    private KeyValueStore<String, DashboardDelivery> stuck;

    public static ProcessorSupplier<String, DeliveryStatus, Void, Void> supplier(Duration retention) {
        if (retention.compareTo(DashboardStores.MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("delivery.monitor.dashboard-retention must be at least "
                    + DashboardStores.MIN_RETENTION + " (the page's 24 h window), was " + retention);
        }
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeliveryStatus, Void, Void> get() {
                return new DashboardAggregator();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return DashboardStores.builders(retention);
            }
        };
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        minutes = context.getStateStore(DashboardStores.MINUTES);
        failureCodes = context.getStateStore(DashboardStores.FAILURE_CODES);
        recentFailures = context.getStateStore(DashboardStores.RECENT_FAILURES);
        stuck = context.getStateStore(DashboardStores.STUCK);
    }

    @Override
    public void process(Record<String, DeliveryStatus> record) {
        DeliveryStatus status = record.value();
        if (status == null) {
            return;
        }
        long at = status.getResolvedAt().toEpochMilli();
        long minute = at - Math.floorMod(at, DashboardStores.MINUTE.toMillis());
        String dims = DashboardStores.key(status.getProvider(), messageChannel(status), orNone(status.getTemplateCode()), orNone(status.getOrigin()));
        DashboardMinute counts = minutes.fetch(dims, minute);
        // from a record, not a bare builder: a builder's fields hold no defaults until build()
        DashboardMinute.Builder next = DashboardMinute.newBuilder(counts == null ? EMPTY_MINUTE : counts);
        DeliveryState state = status.getStatus();
        switch (state) {
            case PENDING -> next.setAccepted(next.getAccepted() + 1);
            case SENT -> {
                next.setDelivered(next.getDelivered() + 1);
                if (status.getLatencyMillis() != null) {
                    next.setLatency(LatencyHistogram.increment(next.getLatency(), status.getLatencyMillis()));
                }
                stuck.delete(status.getMsgKey());
            }
            case DEAD_LETTER -> {
                next.setFailed(next.getFailed() + 1);
                Map<String, Long> byClass = new HashMap<>(next.getFailedByClassification());
                byClass.merge(classification(status), 1L, Long::sum);
                next.setFailedByClassification(byClass);
                countCode(status, minute, at);
                recentFailures.put(status.getMsgKey(), listed(status, at), minute);
                stuck.delete(status.getMsgKey());
            }
            case STUCK_PENDING -> {
                next.setStuck(next.getStuck() + 1);
                stuck.put(status.getMsgKey(), listed(status, at));
            }
            case UNMATCHED_REPORT -> next.setUnmatched(next.getUnmatched() + 1);
            case FALLBACK -> next.setFallback(next.getFallback() + 1);
            default -> {
                return;
            }
        }
        minutes.put(dims, next.build(), minute);
    }

    private void countCode(DeliveryStatus status, long minute, long at) {
        String code = status.getCode() == null ? NONE : status.getCode();
        String key = DashboardStores.key(status.getProvider(), code);
        FailureCodeMinute known = failureCodes.fetch(key, minute);
        failureCodes.put(key, FailureCodeMinute.newBuilder()
                .setProvider(status.getProvider())
                .setCode(code)
                .setClassification(classification(status))
                .setText(status.getText() != null ? status.getText() : known == null ? null : known.getText())
                .setCount((known == null ? 0 : known.getCount()) + 1)
                .setLastSeen(Math.max(at, known == null ? 0 : known.getLastSeen()))
                .build(), minute);
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

    private static String classification(DeliveryStatus status) {
        return status.getClassification() == null ? "UNKNOWN" : status.getClassification().name();
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
