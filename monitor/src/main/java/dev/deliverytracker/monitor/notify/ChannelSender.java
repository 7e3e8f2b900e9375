package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.support.webhook.OutboundWebhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The part every channel shares: send one body for a group of alerts through its {@link OutboundWebhook}, count
 * the outcome, and keep what finally failed in {@link FailedNotifications}. Channels differ only in their bodies
 * and their timers.
 */
public final class ChannelSender {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSender.class);

    private final String channel;
    private final OutboundWebhook webhook;
    private final FailedNotifications failed;
    private final NotificationMetrics metrics;

    public ChannelSender(String channel, OutboundWebhook webhook, FailedNotifications failed, NotificationMetrics metrics) {
        this.channel = channel;
        this.webhook = webhook;
        this.failed = failed;
        this.metrics = metrics;
    }

    public String channel() {
        return channel;
    }

    /** Sends, or keeps as failed; returns whether the channel took it. Never throws for a channel's refusal. */
    public boolean send(List<DeliveryAlert> group, byte[] body, boolean keepIfFailed) {
        String id = "msg_" + digest(group);
        OutboundWebhook.Result result = webhook.send(id, body, (attempt, wait, reason) -> metrics.retried(channel));
        if (result.delivered()) {
            Instant now = Instant.now();
            group.forEach(a -> metrics.sent(channel, Duration.between(a.getUpdatedAt(), now)));
            LOG.info("{}: notified {} alert(s) ({}) in {} attempt(s)", channel, group.size(), AlertNames.groupKey(group.get(0)), result.attempts());
            return true;
        }
        metrics.failed(channel);
        if (keepIfFailed) {
            failed.keep(new FailedNotifications.Failed(id, channel, new String(body, StandardCharsets.UTF_8), result.attempts(),
                    result.status(), result.error(), Instant.now(), group.stream().map(DeliveryAlert::getFingerprint).toList()));
        }
        return false;
    }

    /** Re-sends a kept body as it was (signed anew where the channel signs). */
    public OutboundWebhook.Result resend(FailedNotifications.Failed kept) {
        OutboundWebhook.Result result = webhook.send(kept.id(), kept.body().getBytes(StandardCharsets.UTF_8), null);
        if (result.delivered()) {
            metrics.sent(channel, Duration.ZERO);
        }
        return result;
    }

    /** A webhook-id stable for the same alert events (receivers dedupe re-sends on it). */
    static String digest(List<DeliveryAlert> group) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            group.forEach(a -> sha.update((a.getEventId() + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
