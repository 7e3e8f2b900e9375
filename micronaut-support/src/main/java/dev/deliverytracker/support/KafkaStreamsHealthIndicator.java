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
 * {@code /health} includes the Kafka Streams state: UP when RUNNING or REBALANCING, DOWN when it stopped or failed.
 * In every service that runs a Kafka Streams app (status-stream, monitor).
 */
@Singleton
@Requires(classes = {KafkaStreams.class, HealthIndicator.class})
@Requires(beans = KafkaStreams.class)
public class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final KafkaStreams streams;

    public KafkaStreamsHealthIndicator(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = streams.state();
        HealthStatus status = switch (state) {
            case RUNNING, REBALANCING -> HealthStatus.UP;
            case CREATED -> HealthStatus.UNKNOWN;
            default -> HealthStatus.DOWN;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("threads", streams.metadataForLocalThreads().size());
        return Publishers.just(HealthResult.builder("kafkaStreams", status).details(details).build());
    }
}
