package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;

/** One report received for a delivery: which channel, which code, what it means, when it came. */
public record Attempt(Channel channel, String code, String text, Classification classification, long reportedAt) {
}
