package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.support.webhook.OutboundWebhook;

/** A channel that can re-send a notification it kept as failed. */
public interface Resendable {

    String channel();

    OutboundWebhook.Result resend(FailedNotifications.Failed kept);
}
