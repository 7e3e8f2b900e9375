package dev.deliverytracker.send.record;

import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.KafkaClusterCheck;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} says whether sends are recorded durably: {@code sendRecording} is UP while Kafka answers, or while
 * Kafka does not but the local outbox takes the events (tracking is delayed, not lost; the details say
 * {@code kafka: DOWN} and how much the outbox holds); DOWN when Kafka does not answer and the outbox's last write
 * failed, because every accepted send is then UNTRACKED. A Kafka outage alone does not turn it DOWN on purpose: a
 * load balancer would then take every instance out and stop sending altogether, while sends are still safe.
 */
@Singleton
public class SendRecordingHealthIndicator implements HealthIndicator {

    private final Outbox outbox;
    private final KafkaClusterCheck cluster;

    public SendRecordingHealthIndicator(Outbox outbox, KafkaClientProperties kafka) {
        this.outbox = outbox;
        this.cluster = new KafkaClusterCheck(kafka, Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaClusterCheck.Result kafka = cluster.check();
        Map<String, Object> kafkaDetails = new LinkedHashMap<>();
        kafkaDetails.put("status", kafka.reachable() ? "UP" : "DOWN");
        if (kafka.reachable()) {
            kafkaDetails.put("brokers", kafka.brokers());
        } else {
            kafkaDetails.put("error", kafka.error());
        }
        Map<String, Object> outboxDetails = new LinkedHashMap<>();
        String writeError = outbox.lastWriteError().orElse(null);
        outboxDetails.put("status", writeError == null ? "UP" : "DOWN");
        outboxDetails.put("pendingBytes", outbox.pendingBytes());
        outbox.pendingSince().ifPresent(since -> outboxDetails.put("pendingForSeconds", Duration.between(since, Instant.now()).toSeconds()));
        outboxDetails.put("quarantined", outbox.quarantined());
        if (writeError != null) {
            outboxDetails.put("error", "the last write failed: " + writeError);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kafka", kafkaDetails);
        details.put("outbox", outboxDetails);
        boolean durable = kafka.reachable() || writeError == null;
        if (!durable) {
            details.put("impact", "accepted sends are UNTRACKED: neither Kafka nor the local outbox records them");
        } else if (!kafka.reachable()) {
            details.put("impact", "sends are kept in the local outbox and tracked once Kafka is back");
        }
        return Publishers.just(HealthResult.builder("sendRecording", durable ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }

    @PreDestroy
    void close() {
        cluster.close();
    }
}
