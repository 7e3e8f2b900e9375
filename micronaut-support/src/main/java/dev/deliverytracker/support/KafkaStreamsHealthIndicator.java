package dev.deliverytracker.support;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} includes the Kafka Streams state: UP when RUNNING, or REBALANCING for less than
 * {@link #REBALANCE_GRACE} (a rebalance that lasts longer means no task is processing: stuck), DOWN when it stopped,
 * failed or is stuck rebalancing. In every service that runs a Kafka Streams app (status-stream, monitor).
 */
@Singleton
@Requires(classes = {KafkaStreams.class, HealthIndicator.class})
@Requires(beans = KafkaStreams.class)
public class KafkaStreamsHealthIndicator implements HealthIndicator {

    /** How long a rebalance may last before the service counts as not processing. */
    public static final java.time.Duration REBALANCE_GRACE = java.time.Duration.ofMinutes(2);

    private final KafkaStreams streams;
    private final RebalanceWatch watch = new RebalanceWatch(REBALANCE_GRACE);

    public KafkaStreamsHealthIndicator(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Remembers since when the client has been seen rebalancing, across health checks. */
    static final class RebalanceWatch {
        private final long graceNanos;
        private long rebalancingSince = -1;

        RebalanceWatch(java.time.Duration grace) {
            this.graceNanos = grace.toNanos();
        }

        /** The status for {@code state} seen at {@code nanos}; the time spent rebalancing so far into {@code details}. */
        synchronized HealthStatus judge(KafkaStreams.State state, long nanos, Map<String, Object> details) {
            if (state != KafkaStreams.State.REBALANCING) {
                rebalancingSince = -1;
                return switch (state) {
                    case RUNNING -> HealthStatus.UP;
                    case CREATED -> HealthStatus.UNKNOWN;
                    default -> HealthStatus.DOWN;
                };
            }
            if (rebalancingSince < 0) {
                rebalancingSince = nanos;
            }
            long rebalancing = nanos - rebalancingSince;
            details.put("rebalancingForSeconds", java.time.Duration.ofNanos(rebalancing).toSeconds());
            return rebalancing > graceNanos ? HealthStatus.DOWN : HealthStatus.UP;
        }
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = streams.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        HealthStatus status = watch.judge(state, System.nanoTime(), details);
        details.put("threads", streams.metadataForLocalThreads().size());
        return Publishers.just(HealthResult.builder("kafkaStreams", status).details(details).build());
    }
}
