package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.support.webhook.OutboundWebhook;
import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.support.webhook.StandardWebhookSigner;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * One notification channel ({@code delivery.monitor.channels.<name>.*}: {@code webhook}, {@code slack},
 * {@code alertmanager}). A channel is on when its {@code url} is set. URLs and secrets come from the environment
 * ({@code ALERT_WEBHOOK_URL}, {@code ALERT_WEBHOOK_SECRET}, {@code SLACK_WEBHOOK_URL}, {@code ALERTMANAGER_URL}) and
 * are never logged.
 *
 * @param url            where to POST
 * @param secret         Standard Webhooks signing secret ({@code whsec_<base64>} or a string of 16+ bytes); webhook only
 * @param maxAttempts    attempts per notification before it is kept as failed
 * @param initialBackoff first wait between attempts, doubled each time
 * @param maxBackoff     longest wait (also the cap on a receiver's Retry-After)
 * @param timeout        connect and answer timeout per attempt
 * @param maxAge         alerts decided longer ago than this are not notified (a new channel does not replay history)
 * @param repeatInterval Slack: remind of a still-firing alert this often
 * @param repostInterval Alertmanager: re-post firing alerts this often (it forgets alerts that are not re-sent)
 * @param groupInterval  Slack and webhook: an update of an alert already notified (its numbers grew) waits this long
 */
@EachProperty("delivery.monitor.channels")
public record ChannelProperties(
        @Parameter String name,
        @Nullable String url,
        @Nullable String secret,
        @Bindable(defaultValue = "6") int maxAttempts,
        @Bindable(defaultValue = "1s") Duration initialBackoff,
        @Bindable(defaultValue = "30s") Duration maxBackoff,
        @Bindable(defaultValue = "5s") Duration timeout,
        @Bindable(defaultValue = "1h") Duration maxAge,
        @Bindable(defaultValue = "4h") Duration repeatInterval,
        @Bindable(defaultValue = "1m") Duration repostInterval,
        @Bindable(defaultValue = "5m") Duration groupInterval) {

    String key(String setting) {
        return "delivery.monitor.channels." + name + "." + setting;
    }

    /**
     * Fails with the offending key if this channel's settings are unusable; the service calls it before the rule
     * evaluation starts, so a typo stops the start-up instead of surfacing when the first alert is due.
     */
    public void validate() {
        if (url != null && !url.isBlank()) {
            webhook(WebhookChannel.NAME.equals(name));
        }
    }

    /** The validated sender for this channel; a malformed URL or secret fails here, at start-up, naming the key. */
    OutboundWebhook webhook(boolean signed) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(key("url") + " is required for the " + name + " channel");
        }
        StandardWebhookSigner signer = null;
        if (signed) {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException(key("secret") + " is required: the " + name + " channel signs every notification"
                        + " (Standard Webhooks); set ALERT_WEBHOOK_SECRET");
            }
            try {
                signer = new StandardWebhookSigner(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key("secret") + ": " + e.getMessage(), e);
            }
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(key("max-attempts") + " must be at least 1, was " + maxAttempts);
        }
        Backoff retries;
        try {
            retries = Backoff.of(maxAttempts - 1, initialBackoff, maxBackoff);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key("max-attempts") + " / " + key("initial-backoff") + ": " + e.getMessage(), e);
        }
        return new OutboundWebhook(name, parseUrl(key("url"), url), retries, timeout, signer);
    }

    /** The URL itself is never printed: it may be the secret, as Slack's is. */
    static URI parseUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URL (" + e.getReason() + ")");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(key + " must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException(key + " has no host");
        }
        return uri;
    }
}
