package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Set;

/**
 * The dashboard's stores, owned by {@link DashboardAggregator}. Minute windows kept for {@code retention} (at least
 * 24 h): {@value #MINUTES} (counts per provider, channel, template and origin), {@value #FAILURE_CODES} (failures per
 * provider and code), {@value #RECENT_FAILURES} (each failed delivery); and {@value #STUCK} (deliveries stuck now).
 */
public final class DashboardStores {

    public static final String MINUTES = "dashboard-minutes";
    public static final String FAILURE_CODES = "dashboard-failure-codes";
    public static final String RECENT_FAILURES = "dashboard-recent-failures";
    public static final String STUCK = "dashboard-stuck";

    /** The bucket width. */
    public static final Duration MINUTE = Duration.ofMinutes(1);
    /** The shortest retention: the longest window the page shows, plus the minute in progress. */
    public static final Duration MIN_RETENTION = Duration.ofHours(24).plus(MINUTE);

    /** Separates the parts of a key (never in provider names, codes, templates or origins). */
    static final char SEP = '\u001f';

    private DashboardStores() {
    }

    static Set<StoreBuilder<?>> builders(Duration retention) {
        return Set.of(
                window(MINUTES, retention, SingleObjectSerde.of(DashboardMinute.class)),
                window(FAILURE_CODES, retention, SingleObjectSerde.of(FailureCodeMinute.class)),
                window(RECENT_FAILURES, retention, SingleObjectSerde.of(DashboardDelivery.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STUCK), Serdes.String(),
                        SingleObjectSerde.of(DashboardDelivery.class)));
    }

    private static <V> StoreBuilder<WindowStore<String, V>> window(String name, Duration retention,
                                                                   org.apache.kafka.common.serialization.Serde<V> values) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, MINUTE, false), Serdes.String(), values);
    }

    static String key(String... parts) {
        return String.join(String.valueOf(SEP), parts);
    }

    static String[] parts(String key) {
        return key.split(String.valueOf(SEP), -1);
    }
}
