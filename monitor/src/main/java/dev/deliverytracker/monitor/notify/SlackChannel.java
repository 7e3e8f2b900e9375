package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertState;
import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.schemas.topics.TopicId;
import dev.deliverytracker.support.webhook.OutboundWebhook;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack incoming webhooks: one message per group (same rule and provider; split beyond Slack's 50 blocks), a
 * reminder every {@code repeat-interval} while an alert still fires, and a resolved message. At most one message
 * per second per webhook (Slack's limit); a 429's {@code Retry-After} is honoured by the sender.
 */
@KafkaListener(groupId = "delivery-monitor-slack", offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC,
        batch = true, properties = {
        @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"),
        @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = ChannelListeners.MAX_POLL_INTERVAL),
        @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = ChannelListeners.MAX_POLL_RECORDS)})
@Requires(property = "delivery.monitor.channels.slack.url", pattern = ".+")
public class SlackChannel implements Resendable {

    static final String NAME = "slack";
    private static final Duration MIN_GAP = Duration.ofSeconds(1);

    private final ChannelProperties properties;
    private final ChannelSender sender;
    private final AlertPayloads payloads = new AlertPayloads("");
    private final AlertDecoder decoder;
    private final JsonMapper json;
    private final ActiveAlerts view;
    private final Map<String, Instant> lastNotified = new ConcurrentHashMap<>();
    private final UpdateThrottle throttle;
    private Instant lastSent = Instant.EPOCH;

    public SlackChannel(@Named(NAME) ChannelProperties properties, FailedNotifications failed, NotificationMetrics metrics,
                        AlertDecoder decoder, JsonMapper json, ActiveAlerts view) {
        this.properties = properties;
        this.sender = new ChannelSender(NAME, properties.webhook(false), failed, metrics);
        this.decoder = decoder;
        this.json = json;
        this.view = view;
        this.throttle = new UpdateThrottle(properties.groupInterval());
    }

    @Topic(TopicId.Defaults.ALERTS_PLACEHOLDER)
    void receive(List<byte[]> values) {
        for (List<DeliveryAlert> group : ChannelListeners.groups(ChannelListeners.fresh(decoder.decode(NAME, values), properties))) {
            List<DeliveryAlert> due = throttle.due(group, Instant.now());
            if (!due.isEmpty()) {
                send(due, true);
                throttle.notified(due, Instant.now());
            }
        }
    }

    /** Reminds of alerts that still fire, every repeat-interval, grouped as the first notification was. */
    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void repeat() {
        Instant now = Instant.now();
        List<DeliveryAlert> due = new ArrayList<>();
        for (DeliveryAlert a : view.firing()) {
            Instant last = lastNotified.computeIfAbsent(a.getFingerprint(), fp -> a.getUpdatedAt());
            if (Duration.between(last, now).compareTo(properties.repeatInterval()) >= 0) {
                due.add(a);
            }
        }
        lastNotified.keySet().removeIf(fp -> view.get(fp).map(a -> a.getState() == AlertState.RESOLVED).orElse(true));
        for (List<DeliveryAlert> group : ChannelListeners.groups(due)) {
            send(group, false);
        }
    }

    private synchronized void send(List<DeliveryAlert> group, boolean keepIfFailed) {
        // one message per part of a long group, each under its own id (kept and re-sent on its own if it fails)
        int perMessage = AlertPayloads.SLACK_MAX_BLOCKS / 2;
        for (int from = 0; from < group.size(); from += perMessage) {
            sendPart(group.subList(from, Math.min(group.size(), from + perMessage)), keepIfFailed);
        }
    }

    private void sendPart(List<DeliveryAlert> group, boolean keepIfFailed) {
        for (Map<String, Object> message : payloads.slack(group)) {
            Duration gap = Duration.between(lastSent, Instant.now());
            if (gap.compareTo(MIN_GAP) < 0) {
                try {
                    Thread.sleep(MIN_GAP.minus(gap).toMillis()); // Slack's one message per second per webhook
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            boolean ok = sender.send(group, bytes(message), keepIfFailed);
            lastSent = Instant.now();
            if (ok) {
                group.forEach(a -> lastNotified.put(a.getFingerprint(), lastSent));
            }
        }
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String channel() {
        return NAME;
    }

    @Override
    public OutboundWebhook.Result resend(FailedNotifications.Failed kept) {
        return sender.resend(kept);
    }
}
