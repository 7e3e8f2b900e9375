package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Set;

/**
 * The dashboard's stores, owned by {@link DashboardAggregator}. A query over 24 h must stay fast with a million
 * deliveries, so each count is kept at the resolutions its queries need, and no query reads more than a few thousand
 * entries ({@link LocalDashboard}):
 * <ul>
 *   <li>{@value #TOTALS} and {@value #HOUR_TOTALS}: per provider, by minute and by hour (the chart reads minutes; the
 *       tiles read the window's whole hours and the minutes around them, exactly);</li>
 *   <li>{@value #MINUTES} and {@value #HOURS}: per provider, channel, template and origin, by minute and by hour, only
 *       the counts a row shows ({@link DashboardRow}; the breakdown: minutes up to an hour, whole hours beyond);</li>
 *   <li>{@value #FAILURE_CODES} and {@value #FAILURE_CODE_HOURS}: failures per provider and code, the same way;</li>
 *   <li>{@value #VERSIONS}: per minute and per hour bucket, how many statuses have changed it, so a reader can keep
 *       the buckets it has summed and re-read only those that changed since;</li>
 *   <li>{@value #RECENT_FAILURES}: each failed delivery, by minute (read newest first, only as many as listed);</li>
 *   <li>{@value #STUCK}: the deliveries stuck now, keyed by when they became stuck so the oldest are read first,
 *       with {@value #STUCK_INDEX} (msgKey → that time) to find them again, and {@value #COUNTERS} holding how many.</li>
 * </ul>
 * The six counting stores are window stores whose keys start with their bucket's start ({@link #bucketKey}): a window
 * store keeps its keys ordered by key within each of its segments (half the retention), so reading "every key of one
 * minute" by time alone would scan the whole segment; with the time first it is one key range
 * ({@link #bucketFrom}, {@link #bucketTo}). Window stores keep {@code retention} (at least 24 h and a minute).
 */
public final class DashboardStores {

    // Named anew (not "dashboard-minutes" and the like) when their keys gained the bucket's start: a store keeps its
    // changelog across redeploys, and keys of the old form must not be read as the new.
    public static final String TOTALS = "dashboard-provider-minutes";
    public static final String HOUR_TOTALS = "dashboard-provider-hours";
    public static final String MINUTES = "dashboard-row-minutes";
    public static final String HOURS = "dashboard-row-hours";
    public static final String FAILURE_CODES = "dashboard-code-minutes";
    public static final String FAILURE_CODE_HOURS = "dashboard-code-hours";
    public static final String VERSIONS = "dashboard-bucket-versions";
    public static final String RECENT_FAILURES = "dashboard-recent-failures";
    public static final String STUCK = "dashboard-stuck";
    public static final String STUCK_INDEX = "dashboard-stuck-index";
    public static final String COUNTERS = "dashboard-counters";

    /** The counter of deliveries stuck now, in {@value #COUNTERS}. */
    static final String STUCK_COUNTER = "stuck";

    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final Duration HOUR = Duration.ofHours(1);
    /** The shortest retention: the longest window the page shows, plus the hour in progress. */
    public static final Duration MIN_RETENTION = Duration.ofHours(25);

    /** Separates the parts of a key (never in provider names, codes, templates or origins). */
    static final char SEP = '\u001f';

    private DashboardStores() {
    }

    static Set<StoreBuilder<?>> builders(Duration retention) {
        Serde<DashboardMinute> counts = SingleObjectSerde.of(DashboardMinute.class);
        Serde<DashboardRow> rows = SingleObjectSerde.of(DashboardRow.class);
        Serde<FailureCodeMinute> codes = SingleObjectSerde.of(FailureCodeMinute.class);
        Serde<DashboardDelivery> deliveries = SingleObjectSerde.of(DashboardDelivery.class);
        // The counting stores are cached: a bucket is rewritten for every status that lands in it, and the cache turns
        // those rewrites into one RocksDB write and one changelog record per bucket and commit.
        return Set.of(
                window(TOTALS, retention, MINUTE, counts).withCachingEnabled(),
                window(HOUR_TOTALS, retention, HOUR, counts).withCachingEnabled(),
                window(MINUTES, retention, MINUTE, rows).withCachingEnabled(),
                window(HOURS, retention, HOUR, rows).withCachingEnabled(),
                window(FAILURE_CODES, retention, MINUTE, codes).withCachingEnabled(),
                window(FAILURE_CODE_HOURS, retention, HOUR, codes).withCachingEnabled(),
                window(RECENT_FAILURES, retention, MINUTE, deliveries),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STUCK), Serdes.String(), deliveries),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STUCK_INDEX), Serdes.String(), Serdes.Long()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTERS), Serdes.String(), Serdes.Long()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS), Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    private static <V> StoreBuilder<WindowStore<String, V>> window(String name, Duration retention, Duration size, Serde<V> values) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, size, false), Serdes.String(), values);
    }

    static String key(String... parts) {
        return String.join(String.valueOf(SEP), parts);
    }

    static String[] parts(String key) {
        return key.split(String.valueOf(SEP), -1);
    }

    /** A counting store's key: the bucket's start (zero-padded, so keys sort by time), then what is counted. */
    static String bucketKey(long bucketStart, String key) {
        return pad(bucketStart) + SEP + key;
    }

    /** The lowest key of the buckets starting at {@code bucketStart}. */
    static String bucketFrom(long bucketStart) {
        return pad(bucketStart) + SEP;
    }

    /** Above every key of the buckets starting at {@code bucketStart} (the separator's successor follows the start). */
    static String bucketTo(long bucketStart) {
        return pad(bucketStart) + (char) (SEP + 1);
    }

    /** What a counting store's key counts, without its bucket's start. */
    static String counted(String bucketKey) {
        return bucketKey.substring(PADDED + 1);
    }

    /** The version counter of a bucket in {@value #VERSIONS}: {@code m} or {@code h}, then its start. */
    static String versionKey(Duration resolution, long bucketStart) {
        return (resolution.equals(HOUR) ? "h" : "m") + pad(bucketStart);
    }

    private static final int PADDED = 15;

    private static String pad(long millis) {
        return String.format("%015d", millis);
    }

    /** The stuck store's key: when it became stuck (zero-padded, so keys sort by time), then the msgKey. */
    static String stuckKey(long at, String msgKey) {
        return pad(at) + SEP + msgKey;
    }
}
