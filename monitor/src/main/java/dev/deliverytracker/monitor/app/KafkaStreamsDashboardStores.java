package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.dashboard.DashboardStoreSource;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The dashboard's stores as this instance's Kafka Streams client holds them: the providers whose partitions it owns
 * (every provider's statuses have one owner task; {@link ClusterDashboardShares} asks the other instances for theirs).
 * While the client is not running, reading throws Kafka's {@code InvalidStateStoreException}, which the API answers
 * with 503.
 */
@Singleton
public class KafkaStreamsDashboardStores implements DashboardStoreSource {

    private final KafkaStreams streams;
    private final DashboardPartitions partitions;

    public KafkaStreamsDashboardStores(KafkaStreams streams, DashboardPartitions partitions) {
        this.streams = streams;
        this.partitions = partitions;
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
    public Set<Integer> partitions() {
        return partitions.local();
    }

    @Override
    public <V> List<ReadOnlyKeyValueStore<String, V>> keyValuePerTask(String name) {
        Set<Integer> local = partitions.local();
        if (local.isEmpty()) {
            // starting or rebalancing: an empty answer would say "nothing is stuck"
            throw new InvalidStateStoreException("no dashboard task is assigned to this instance yet");
        }
        List<ReadOnlyKeyValueStore<String, V>> stores = new ArrayList<>();
        for (int partition : local) {
            stores.add(streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name,
                    QueryableStoreTypes.keyValueStore()).withPartition(partition)));
        }
        return stores;
    }
}
