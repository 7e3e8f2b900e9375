package dev.deliverytracker.webhook.collect;

import java.time.Duration;

/**
 * A provider's collection timings. {@code roundBudget} bounds how long one round may call the provider: a round runs
 * inside the task's transaction, which must commit well within Kafka's transaction timeout (10 s for Kafka Streams).
 *
 * @param pollInterval        how often due messages are looked for
 * @param firstAsk            how long after the send a message is first asked about
 * @param maxAskInterval      the longest pause between two asks about a message still processing
 * @param giveUpAfter         how long after the send a message is asked about at all
 * @param maxRequestsPerRound how many groups one round asks about at most
 * @param maxBackoff          the longest pause after the provider refused or failed
 * @param roundBudget         how long one round may spend calling the provider
 */
public record CollectorConfig(Duration pollInterval, Duration firstAsk, Duration maxAskInterval, Duration giveUpAfter,
                              int maxRequestsPerRound, Duration maxBackoff, Duration roundBudget) {
}
