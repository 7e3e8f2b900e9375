package dev.deliverytracker.support;

import io.micronaut.health.HealthStatus;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A rebalance is healthy for a while; one that does not end means nothing is processed, and /health says DOWN. */
class RebalanceWatchTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aRebalanceLongerThanTheGraceIsDownAndRunningAgainIsUp() {
        KafkaStreamsHealthIndicator.RebalanceWatch watch = new KafkaStreamsHealthIndicator.RebalanceWatch(Duration.ofMinutes(2));
        Map<String, Object> details = new HashMap<>();
        assertThat(watch.judge(KafkaStreams.State.RUNNING, 0, details)).isEqualTo(HealthStatus.UP);
        assertThat(watch.judge(KafkaStreams.State.REBALANCING, 10 * SECOND, details)).isEqualTo(HealthStatus.UP);
        assertThat(watch.judge(KafkaStreams.State.REBALANCING, 130 * SECOND, details)).isEqualTo(HealthStatus.UP);
        assertThat(watch.judge(KafkaStreams.State.REBALANCING, 131 * SECOND, details)).isEqualTo(HealthStatus.DOWN);
        assertThat(details).containsEntry("rebalancingForSeconds", 121L);
        assertThat(watch.judge(KafkaStreams.State.RUNNING, 140 * SECOND, details)).isEqualTo(HealthStatus.UP);
        assertThat(watch.judge(KafkaStreams.State.REBALANCING, 150 * SECOND, details)).as("a new rebalance starts its own clock")
                .isEqualTo(HealthStatus.UP);
        assertThat(watch.judge(KafkaStreams.State.ERROR, 151 * SECOND, details)).isEqualTo(HealthStatus.DOWN);
    }
}
