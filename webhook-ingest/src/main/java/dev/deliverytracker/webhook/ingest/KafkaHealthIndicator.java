package dev.deliverytracker.webhook.ingest;

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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} is DOWN while Kafka does not answer: every report is then answered 503, so a load balancer or an
 * operator should see it, not a green light.
 */
@Singleton
public class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaClusterCheck cluster;

    public KafkaHealthIndicator(KafkaClientProperties kafka) {
        this.cluster = new KafkaClusterCheck(kafka, Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaClusterCheck.Result result = cluster.check();
        Map<String, Object> details = new LinkedHashMap<>();
        if (result.reachable()) {
            details.put("brokers", result.brokers());
        } else {
            details.put("error", result.error() + "; reports are answered 503 until it is back");
        }
        return Publishers.just(HealthResult.builder("kafka", result.reachable() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }

    @PreDestroy
    void close() {
        cluster.close();
    }
}
