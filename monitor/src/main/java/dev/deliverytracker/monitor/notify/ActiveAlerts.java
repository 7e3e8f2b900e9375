package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.schemas.topics.TopicId;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every alert's latest event, read from the start of the alerts topic at every start (a consumer group of its
 * own per process, no commits): what Alertmanager re-posts and Slack repeats rely on, so that a restart of the
 * monitor loses no firing alert. Resolved alerts are forgotten after a day.
 */
@KafkaListener(uniqueGroupId = true, groupId = "delivery-monitor-view", offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED, batch = true,
        properties = @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"))
public class ActiveAlerts {

    private static final Duration FORGET_RESOLVED = Duration.ofDays(1);
    static final String CHANNEL = "view";

    private final ConcurrentHashMap<String, DeliveryAlert> latest = new ConcurrentHashMap<>();
    private final AlertDecoder decoder;

    public ActiveAlerts(AlertDecoder decoder, NotificationMetrics metrics) {
        this.decoder = decoder;
        for (AlertRule rule : AlertRule.values()) {
            metrics.firingGauge(rule, this);
        }
    }

    @Topic(TopicId.Defaults.ALERTS_PLACEHOLDER)
    void receive(List<byte[]> values) {
        for (DeliveryAlert alert : decoder.decode(CHANNEL, values)) {
            latest.merge(alert.getFingerprint(), alert, (old, now) -> now.getSequence() >= old.getSequence() ? now : old);
        }
        Instant cutoff = Instant.now().minus(FORGET_RESOLVED);
        latest.values().removeIf(a -> a.getState() == AlertState.RESOLVED && a.getEndsAt() != null && a.getEndsAt().isBefore(cutoff));
    }

    /** Firing alerts first (newest first), then the resolved ones still remembered. */
    public List<DeliveryAlert> all() {
        return latest.values().stream().sorted(Comparator.comparing((DeliveryAlert a) -> a.getState() == AlertState.FIRING ? 0 : 1)
                .thenComparing(DeliveryAlert::getUpdatedAt, Comparator.reverseOrder())).toList();
    }

    public List<DeliveryAlert> firing() {
        return all().stream().filter(a -> a.getState() == AlertState.FIRING).toList();
    }

    public Optional<DeliveryAlert> get(String fingerprint) {
        return Optional.ofNullable(latest.get(fingerprint));
    }

    double firing(AlertRule rule) {
        Collection<DeliveryAlert> values = latest.values();
        return values.stream().filter(a -> a.getRule() == rule && a.getState() == AlertState.FIRING).count();
    }
}
