package dev.deliverytracker.send.dispatch;

import java.time.Duration;
import java.util.List;

/**
 * What to send, validated: the provider, the flow of channels (first tried first, each next one the fallback), who
 * asked and their reference, and an optional per-message deadline override.
 */
public record OutgoingMessage(String provider, List<FlowStep> flow, String origin, String ref, Duration timeout) {

    public OutgoingMessage {
        flow = List.copyOf(flow);
    }
}
