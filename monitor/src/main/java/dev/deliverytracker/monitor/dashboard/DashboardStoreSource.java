package dev.deliverytracker.monitor.dashboard;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.util.List;
import java.util.Set;

/** Where {@link DashboardQueries} reads the stores ({@link DashboardStores}): the running Kafka Streams client, or a test driver. */
public interface DashboardStoreSource {

    <V> ReadOnlyWindowStore<String, V> window(String name);

    <V> ReadOnlyKeyValueStore<String, V> keyValue(String name);

    /**
     * The key-value store of each task on its own: {@link #keyValue} reads every task's store in turn, one after the
     * other, so a store sorted by key is sorted only within each of them.
     */
    <V> List<ReadOnlyKeyValueStore<String, V>> keyValuePerTask(String name);

    /** The partitions (tasks) whose stores these are; what a reader kept from them is forgotten when they change. */
    Set<Integer> partitions();
}
