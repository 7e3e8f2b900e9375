package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.DeliveryAlert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the channels' listeners share. Each channel is its own {@code @KafkaListener} with its own consumer group
 * and thread, so a slow or broken channel never holds up another; each commits its offsets only after the batch's
 * notifications were delivered or kept as failed ({@code OffsetStrategy.SYNC}, after the method returns).
 */
final class ChannelListeners {

    /** Consumer properties of every channel listener: committed alerts only; time for a batch's retries. */
    static final String MAX_POLL_INTERVAL = "900000";
    static final String MAX_POLL_RECORDS = "200";

    private ChannelListeners() {
    }

    /** The alerts worth notifying: decided within {@code maxAge} (a new channel's group does not replay history). */
    static List<DeliveryAlert> fresh(List<DeliveryAlert> alerts, ChannelProperties p) {
        Instant oldest = Instant.now().minus(p.maxAge());
        return alerts.stream().filter(a -> a.getUpdatedAt().isAfter(oldest)).toList();
    }

    /** Groups by rule and provider, in order of arrival, the newest event of each fingerprint only. */
    static List<List<DeliveryAlert>> groups(List<DeliveryAlert> alerts) {
        Map<String, DeliveryAlert> newest = new LinkedHashMap<>();
        for (DeliveryAlert a : alerts) {
            newest.merge(a.getFingerprint(), a, (old, now) -> now.getSequence() >= old.getSequence() ? now : old);
        }
        Map<String, List<DeliveryAlert>> groups = new LinkedHashMap<>();
        for (DeliveryAlert a : newest.values()) {
            groups.computeIfAbsent(AlertNames.groupKey(a), k -> new ArrayList<>()).add(a);
        }
        return new ArrayList<>(groups.values());
    }
}
