package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.Channel;

import java.time.Instant;

/**
 * One message's result as a provider's result API shows it: still processing, or final with the provider's code and
 * text (classified by status-stream's table for the provider) and when it became known; and, when the first channel
 * failed and the provider tried the fail-over, the fail-over's own final result ({@code fallback}), reported after it.
 */
public record CollectedResult(boolean processing, Channel channel, String code, String text, Instant completeTime, CollectedResult fallback) {

    public static CollectedResult stillProcessing() {
        return new CollectedResult(true, Channel.UNKNOWN, null, null, null, null);
    }

    public static CollectedResult of(Channel channel, String code, String text, Instant completeTime) {
        return new CollectedResult(false, channel, code, text, completeTime, null);
    }
}
