package dev.deliverytracker.status.app;

import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The start-up check of docs/architecture.md, D6: sends and reports meet only when both topics have the same
 * number of partitions (and both are keyed by msgKey with the default partitioner). Refuses to start otherwise.
 */
final class CoPartitioning {

    private CoPartitioning() {
    }

    static void check(Admin admin, TopicCatalogue topics, Duration timeout) {
        String sends = topics.sends().name();
        String reports = topics.reports().name();
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(List.of(sends, reports)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("status-stream cannot start: input topic missing (" + e.getCause().getMessage()
                        + "). Create '" + sends + "' and '" + reports + "' with the same number of partitions.", e.getCause());
            }
            throw new IllegalStateException("status-stream cannot start: cannot describe '" + sends + "' and '" + reports
                    + "': " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("status-stream cannot start: Kafka did not answer within " + timeout
                    + " when describing '" + sends + "' and '" + reports + "'; check kafka.bootstrap.servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking co-partitioning", e);
        }
        int sendPartitions = described.get(sends).partitions().size();
        int reportPartitions = described.get(reports).partitions().size();
        if (sendPartitions != reportPartitions) {
            throw new IllegalStateException("status-stream cannot start: '" + sends + "' has " + sendPartitions
                    + " partitions but '" + reports + "' has " + reportPartitions + ". They must be co-partitioned (same"
                    + " count, same key) or a send and its report land in different tasks and never meet."
                    + " Add partitions to the smaller one (kafka-topics --alter --partitions N) before starting.");
        }
    }
}
