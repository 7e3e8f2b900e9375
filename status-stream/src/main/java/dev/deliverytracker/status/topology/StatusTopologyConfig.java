package dev.deliverytracker.status.topology;

import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.rules.StatusRules;

import java.time.Duration;

/**
 * Everything {@link StatusTopology#build} needs, validated on construction.
 *
 * @param topics               physical topic names and serdes
 * @param rules                the state machine's rules (timeouts, classification, max age, grace, retention)
 * @param punctuationInterval  how often the wall-clock punctuator looks for due deadlines (default 1 s)
 * @param maxDuePerPunctuation bound on the timers handled by one punctuation; the rest wait for the next one
 * @param liveLag              a record processed within this of its timestamp means the task is live (default 30 s)
 * @param idleAfter            no record for this long means the task is idle, caught up (default 10 s)
 */
public record StatusTopologyConfig(TopicCatalogue topics,
                                   StatusRules rules,
                                   Duration punctuationInterval,
                                   int maxDuePerPunctuation,
                                   Duration liveLag,
                                   Duration idleAfter) {

    public StatusTopologyConfig {
        if (punctuationInterval.isNegative() || punctuationInterval.isZero()) {
            throw new IllegalArgumentException("punctuation interval must be positive, was " + punctuationInterval);
        }
        if (maxDuePerPunctuation < 1) {
            throw new IllegalArgumentException("max due per punctuation must be at least 1, was " + maxDuePerPunctuation);
        }
    }

    public static StatusTopologyConfig defaults(TopicCatalogue topics, StatusRules rules) {
        return new StatusTopologyConfig(topics, rules, Duration.ofSeconds(1), 10_000, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }
}
