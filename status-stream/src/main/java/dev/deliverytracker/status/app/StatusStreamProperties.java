package dev.deliverytracker.status.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * The settings of status-stream ({@code delivery.status-stream.*}). The state machine's rules (durations, timeouts,
 * classification overrides) are {@link RulesProperties}; raw Kafka Streams properties
 * ({@code delivery.status-stream.streams.*}) are passed through by {@link StatusStreamFactory}.
 *
 * @param applicationId        Kafka Streams application id: the consumer group and the prefix of internal topics
 * @param stateDir             where RocksDB keeps the stores; survives restarts (default: a directory under the OS temp dir)
 * @param applicationServer    host:port other instances use to reach this one's query API; default localhost and the HTTP port
 * @param punctuationInterval  how often due deadlines are looked for
 * @param maxDuePerPunctuation bound on the timers one punctuation handles
 * @param liveLag              records fresher than this mean the task is live (deadlines use the wall clock)
 * @param idleAfter            no records for this long means caught up (deadlines use the wall clock)
 * @param standbyReplicas      warm copies of each store on other instances, for fast fail-over
 * @param closeTimeout         how long a clean shutdown may take
 * @param queryTokens          who may read the query API: {@code origin=token} pairs, {@code *=token} for every origin
 * @param queryOpen            anyone may read the query API (the one-machine mode and development)
 */
@ConfigurationProperties("delivery.status-stream")
public record StatusStreamProperties(
        @Bindable(defaultValue = "delivery-status-stream") String applicationId,
        @Nullable String stateDir,
        @Nullable String applicationServer,
        @Bindable(defaultValue = "1s") Duration punctuationInterval,
        @Bindable(defaultValue = "10000") int maxDuePerPunctuation,
        @Bindable(defaultValue = "30s") Duration liveLag,
        @Bindable(defaultValue = "10s") Duration idleAfter,
        @Bindable(defaultValue = "0") int standbyReplicas,
        @Bindable(defaultValue = "30s") Duration closeTimeout,
        @Nullable String queryTokens,
        @Bindable(defaultValue = "false") boolean queryOpen) {
}
