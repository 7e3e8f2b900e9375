package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.dashboard.DashboardUnavailableException;
import dev.deliverytracker.monitor.topology.AlertTopology;
import dev.deliverytracker.support.KafkaClientProperties;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The partitions of the dashboard's stores: those of the by-provider stream that feeds {@code DashboardAggregator}
 * (one task per partition, each provider in one of them): which this instance holds, and how many there are (read
 * from the broker, so an answer can be checked to cover them all, not only a gap-free run of them).
 */
@Singleton
public class DashboardPartitions {

    private static final Duration COUNT_REUSE = Duration.ofMinutes(1);

    private final KafkaStreams streams;
    private final Map<String, Object> adminConfig;
    private final String topic;
    private volatile Admin admin;
    private volatile int count = -1;
    private volatile long countedAt;

    public DashboardPartitions(KafkaStreams streams, KafkaClientProperties kafka, MonitorProperties properties) {
        this.streams = streams;
        this.adminConfig = new HashMap<>(kafka.common());
        this.topic = properties.applicationId() + "-" + AlertTopology.BY_PROVIDER + "-repartition";
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

    /**
     * How many partitions the by-provider stream has, from the broker (reused for a minute).
     *
     * @throws DashboardUnavailableException when the broker cannot say
     */
    public int count() {
        if (count > 0 && System.nanoTime() - countedAt < COUNT_REUSE.toNanos()) {
            return count;
        }
        try {
            int partitions = admin().describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions().size();
            count = partitions;
            countedAt = System.nanoTime();
            return partitions;
        } catch (ExecutionException | TimeoutException e) {
            throw new DashboardUnavailableException("cannot read how many partitions " + topic + " has: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DashboardUnavailableException("interrupted");
        }
    }

    private Admin admin() {
        Admin known = admin;
        if (known == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig);
                }
                known = admin;
            }
        }
        return known;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
