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
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Prometheus Alertmanager ({@code POST <url>/api/v2/alerts}): every state change at once, and every firing alert
 * re-posted each {@code repost-interval} with {@code endsAt} three intervals ahead (Alertmanager forgets alerts
 * that are not re-sent, and keeps nothing across its own restarts); resolved alerts are re-posted with their real
 * {@code endsAt} for five minutes, so a lost resolve is repaired. The re-posts come from {@link ActiveAlerts}, read
 * from the topic, so a restart of the monitor loses no firing alert.
 */
@KafkaListener(groupId = "delivery-monitor-alertmanager", offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC,
        batch = true, properties = {
        @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"),
        @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = ChannelListeners.MAX_POLL_INTERVAL),
        @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = ChannelListeners.MAX_POLL_RECORDS)})
@Requires(property = "delivery.monitor.channels.alertmanager.url", pattern = ".+")
public class AlertmanagerChannel implements Resendable {

    static final String NAME = "alertmanager";
    static final Duration RESEND_RESOLVED_FOR = Duration.ofMinutes(5);

    private final ChannelProperties properties;
    private final ChannelSender sender;
    private final AlertPayloads payloads;
    private final AlertDecoder decoder;
    private final JsonMapper json;
    private final ActiveAlerts view;

    public AlertmanagerChannel(@Named(NAME) ChannelProperties properties, FailedNotifications failed, NotificationMetrics metrics,
                               AlertDecoder decoder, JsonMapper json, ActiveAlerts view,
                               @Value("${delivery.monitor.external-url:`http://localhost:8085`}") String externalUrl) {
        this.properties = properties;
        String base = properties.url() == null ? "" : properties.url().replaceAll("/+$", "");
        ChannelProperties api = new ChannelProperties(NAME, base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts",
                null, properties.maxAttempts(), properties.initialBackoff(), properties.maxBackoff(), properties.timeout(),
                properties.maxAge(), properties.repeatInterval(), properties.repostInterval(), properties.groupInterval());
        this.sender = new ChannelSender(NAME, api.webhook(false), failed, metrics);
        this.payloads = new AlertPayloads(externalUrl);
        this.decoder = decoder;
        this.json = json;
        this.view = view;
    }

    @Topic(TopicId.Defaults.ALERTS_PLACEHOLDER)
    void receive(List<byte[]> values) {
        List<DeliveryAlert> alerts = ChannelListeners.fresh(decoder.decode(NAME, values), properties);
        if (!alerts.isEmpty()) {
            List<DeliveryAlert> newest = ChannelListeners.groups(alerts).stream().flatMap(List::stream).toList();
            sender.send(newest, body(newest), true);
        }
    }

    /** Re-posts what fires, and what resolved in the last five minutes. */
    @Scheduled(fixedDelay = "${delivery.monitor.channels.alertmanager.repost-interval:1m}",
            initialDelay = "${delivery.monitor.channels.alertmanager.repost-interval:1m}")
    void repost() {
        Instant now = Instant.now();
        List<DeliveryAlert> current = view.all().stream().filter(a -> a.getState() == AlertState.FIRING
                || (a.getEndsAt() != null && Duration.between(a.getEndsAt(), now).compareTo(RESEND_RESOLVED_FOR) < 0)).toList();
        if (!current.isEmpty()) {
            sender.send(current, body(current), false);
        }
    }

    private byte[] body(List<DeliveryAlert> alerts) {
        try {
            return json.writeValueAsBytes(payloads.alertmanagerV2(alerts, Instant.now(), properties.repostInterval()));
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
