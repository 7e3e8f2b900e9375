package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.dashboard.DashboardDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardMinute;
import dev.deliverytracker.monitor.dashboard.DashboardStoreSource;
import dev.deliverytracker.monitor.dashboard.DashboardStores;
import dev.deliverytracker.monitor.dashboard.FailureCodeMinute;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

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
    public ReadOnlyWindowStore<String, DashboardMinute> minutes() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardStores.MINUTES, QueryableStoreTypes.windowStore()));
    }

    @Override
    public ReadOnlyWindowStore<String, FailureCodeMinute> failureCodes() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardStores.FAILURE_CODES, QueryableStoreTypes.windowStore()));
    }

    @Override
    public ReadOnlyWindowStore<String, DashboardDelivery> recentFailures() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardStores.RECENT_FAILURES, QueryableStoreTypes.windowStore()));
    }

    @Override
    public ReadOnlyKeyValueStore<String, DashboardDelivery> stuck() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardStores.STUCK, QueryableStoreTypes.keyValueStore()));
    }
}
