package dev.deliverytracker.monitor.dashboard;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Where {@link DashboardQueries} reads the stores: the running Kafka Streams client, or a test driver. */
public interface DashboardStoreSource {

    ReadOnlyWindowStore<String, DashboardMinute> minutes();

    ReadOnlyWindowStore<String, FailureCodeMinute> failureCodes();

    ReadOnlyWindowStore<String, DashboardDelivery> recentFailures();

    ReadOnlyKeyValueStore<String, DashboardDelivery> stuck();
}
