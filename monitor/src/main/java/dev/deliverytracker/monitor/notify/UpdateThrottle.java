package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alertmanager's {@code group_interval} for one channel: every state change is notified at once (the first FIRING,
 * RESOLVED, FIRING again), but an update of an alert this channel already told people about (its numbers grew) only
 * once {@code group-interval} has passed since, so a long incident makes a few messages, not one per doubling.
 * Memory only: after a restart the first update is notified, which repeats at most one message.
 */
final class UpdateThrottle {

    private record Notified(AlertState state, Instant at) {
    }

    private final Duration groupInterval;
    private final Map<String, Notified> notified = new ConcurrentHashMap<>();

    UpdateThrottle(Duration groupInterval) {
        this.groupInterval = groupInterval;
    }

    /** The alerts of {@code group} worth a notification at {@code now}. */
    List<DeliveryAlert> due(List<DeliveryAlert> group, Instant now) {
        return group.stream().filter(a -> {
            Notified last = notified.get(a.getFingerprint());
            return last == null || last.state() != a.getState() || Duration.between(last.at(), now).compareTo(groupInterval) >= 0;
        }).toList();
    }

    /** Records that these alerts were notified (or kept as failed: they are not sent again either way). */
    void notified(List<DeliveryAlert> alerts, Instant at) {
        for (DeliveryAlert a : alerts) {
            notified.put(a.getFingerprint(), new Notified(a.getState(), at));
        }
        // resolved alerts older than a day are not needed to tell a state change from an update
        notified.values().removeIf(n -> n.state() == AlertState.RESOLVED && Duration.between(n.at(), at).toDays() >= 1);
    }
}
