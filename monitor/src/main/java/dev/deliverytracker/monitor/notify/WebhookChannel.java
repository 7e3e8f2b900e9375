package dev.deliverytracker.monitor.notify;

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
import jakarta.inject.Named;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The generic signed webhook (Teams, an internal bot, an incident tool): one POST per group of alerts (same rule
 * and provider) in Alertmanager's webhook v4 body, so existing receivers read it, signed the Standard Webhooks way,
 * retried with back-off, and kept for re-sending when it finally fails.
 */
@KafkaListener(groupId = "delivery-monitor-webhook", offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC,
        batch = true, properties = {
        @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"),
        @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = ChannelListeners.MAX_POLL_INTERVAL),
        @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = ChannelListeners.MAX_POLL_RECORDS)})
@Requires(property = "delivery.monitor.channels.webhook.url", pattern = ".+")
public class WebhookChannel implements Resendable {

    static final String NAME = "webhook";

    private final ChannelProperties properties;
    private final ChannelSender sender;
    private final AlertPayloads payloads;
    private final AlertDecoder decoder;
    private final JsonMapper json;
    private final String receiver;
    private final UpdateThrottle throttle;

    public WebhookChannel(@Named(NAME) ChannelProperties properties, FailedNotifications failed, NotificationMetrics metrics,
                          AlertDecoder decoder, JsonMapper json, @Value("${delivery.monitor.external-url:`http://localhost:8085`}") String externalUrl,
                          @Value("${micronaut.application.name:monitor}") String application) {
        this.properties = properties;
        this.sender = new ChannelSender(NAME, properties.webhook(true), failed, metrics);
        this.payloads = new AlertPayloads(externalUrl);
        this.decoder = decoder;
        this.json = json;
        this.receiver = application + "/" + NAME;
        this.throttle = new UpdateThrottle(properties.groupInterval());
    }

    @Topic(TopicId.Defaults.ALERTS_PLACEHOLDER)
    void receive(List<byte[]> values) {
        for (List<DeliveryAlert> group : ChannelListeners.groups(ChannelListeners.fresh(decoder.decode(NAME, values), properties))) {
            List<DeliveryAlert> due = throttle.due(group, Instant.now());
            if (!due.isEmpty()) {
                sender.send(due, body(due), true);
                throttle.notified(due, Instant.now());
            }
        }
    }

    byte[] body(List<DeliveryAlert> group) {
        try {
            return json.writeValueAsBytes(payloads.webhookV4(receiver, group));
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
