package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.topology.AlertTopology;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

import java.util.Set;
import java.util.TreeSet;

/**
 * The partitions of the dashboard's stores: those of the by-provider stream that feeds {@code DashboardAggregator}
 * (one task per partition, each provider in one of them).
 */
@Singleton
public class DashboardPartitions {

    private final KafkaStreams streams;

    public DashboardPartitions(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Whether {@code partition} is one of the by-provider stream's, whose tasks hold the dashboard's stores. */
    public boolean isDashboardInput(TopicPartition partition) {
        return partition.topic().endsWith("-" + AlertTopology.BY_PROVIDER + "-repartition");
    }

    /** The dashboard partitions this instance holds as active tasks now (empty while starting or rebalancing). */
    public Set<Integer> local() {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.topicPartitions().stream().anyMatch(this::isDashboardInput)) {
                    partitions.add(task.taskId().partition());
                }
            }
        }
        return partitions;
    }
}
