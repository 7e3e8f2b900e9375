package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.dashboard.DashboardStoreSource;
import dev.deliverytracker.monitor.topology.AlertTopology;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The dashboard's stores as this instance's Kafka Streams client holds them. Every provider's statuses have one owner
 * task (the input is keyed by provider), and the monitor runs as one instance (docs/architecture.md, section 8), so
 * the local stores hold every provider. While the client is not running, reading throws Kafka's
 * {@code InvalidStateStoreException}, which the API answers with 503.
 */
@Singleton
public class KafkaStreamsDashboardStores implements DashboardStoreSource {

    private final KafkaStreams streams;

    public KafkaStreamsDashboardStores(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public <V> ReadOnlyWindowStore<String, V> window(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore()));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    @Override
    public <V> List<ReadOnlyKeyValueStore<String, V>> keyValuePerTask(String name) {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.topicPartitions().stream().anyMatch(tp -> tp.topic().endsWith(AlertTopology.BY_PROVIDER + "-repartition"))) {
                    partitions.add(task.taskId().partition());
                }
            }
        }
        if (partitions.isEmpty()) {
            // starting or rebalancing: an empty answer would say "nothing is stuck"
            throw new InvalidStateStoreException("no dashboard task is assigned to this instance yet");
        }
        List<ReadOnlyKeyValueStore<String, V>> stores = new ArrayList<>();
        for (int partition : partitions) {
            stores.add(streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name,
                    QueryableStoreTypes.keyValueStore()).withPartition(partition)));
        }
        return stores;
    }
}
