package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.SendEvent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One provider's result API, as {@link ResultCollector} uses it: which accepted sends it collects and how they are
 * grouped (the messages of one group are asked about in one call), and what the provider shows for a group.
 */
public interface ResultSource {

    /** The provider's name in events: {@code ncp-sens}, {@code aligo}. */
    String provider();

    /**
     * The message to collect for an accepted send of this provider, with its group and reference; empty when its
     * msgKey is not this provider's form (the source logs it; the collector counts it).
     */
    Optional<PendingMessage> pending(SendEvent send, long nextAskAt);

    /** What the provider shows for {@code group}'s {@code messages}, read within {@code budget}. Never throws. */
    CollectedAnswer results(String group, List<PendingMessage> messages, Duration budget);
}
