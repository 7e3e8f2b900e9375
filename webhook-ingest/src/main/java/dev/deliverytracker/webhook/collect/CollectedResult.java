package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.Channel;

import java.time.Instant;

/**
 * One message's result as a provider's result API shows it: still processing, or final with the provider's code and
 * text (classified by status-stream's table for the provider) and when it became known.
 */
public record CollectedResult(boolean processing, Channel channel, String code, String text, Instant completeTime) {

    public static CollectedResult stillProcessing() {
        return new CollectedResult(true, Channel.UNKNOWN, null, null, null);
    }
}
