package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This instance's share of the dashboard's answers ({@link DashboardShares}), computed from its own stores at the
 * instant asked: sums of buckets over a window, never a scan of a topic. Pure reads; every iterator is closed. Rates,
 * percentiles, order and limits are applied to the merged shares, by {@link DashboardQueries}. The chart and the
 * breakdown keep what they made of each bucket until its version changes ({@link BucketCache}), so they stay exact
 * and read only the buckets that changed.
 */
public final class LocalDashboard {

    private final DashboardStoreSource stores;
    private final String historyBase;
    private final BucketCache<long[]> chartMinutes = new BucketCache<>();
    private final BucketCache<Map<String, long[]>> rowMinutes = new BucketCache<>();
    private final BucketCache<Map<String, long[]>> rowHours = new BucketCache<>();

    /** @param historyBase where a delivery's history is read: {@code <historyBase>/<msgKey>} */
    public LocalDashboard(DashboardStoreSource stores, String historyBase) {
        this.stores = stores;
        this.historyBase = historyBase.replaceAll("/+$", "");
    }

    public DashboardShares.SummaryShare summary(DashboardWindow window, long at) {
        long[] totals = new long[6];
        Map<String, Long> byClass = new TreeMap<>();
        LatencyHistogram latency = new LatencyHistogram();
        Bucket<DashboardMinute> add = (start, key, m) -> {
            totals[0] += m.getAccepted();
            totals[1] += m.getDelivered();
            totals[2] += m.getFailed();
            totals[3] += m.getStuck();
            totals[4] += m.getUnmatched();
            totals[5] += m.getFallback();
            m.getFailedByClassification().forEach((k, v) -> byClass.merge(k, v, Long::sum));
            latency.add(m.getLatency());
        };
        each(window.exactSplit(at), DashboardStores.HOUR_TOTALS, DashboardStores.TOTALS, add);
        return new DashboardShares.SummaryShare(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], byClass,
                latency.counts(), stuckNow());
    }

    public TimeSeries timeSeries(DashboardWindow window, long at) {
        long first = window.firstMinute(at);
        long step = DashboardStores.MINUTE.toMillis();
        List<Long> minutes = new ArrayList<>(window.minutes());
        for (int i = 0; i < window.minutes(); i++) {
            minutes.add(first + i * step);
        }
        Map<Long, long[]> points = chartMinutes.get(stores.partitions(), minutes, versions(DashboardStores.MINUTE, first, window.lastMinute(at)),
                (from, to) -> {
                    Map<Long, long[]> loaded = new HashMap<>();
                    each(DashboardStores.TOTALS, from, to, (Bucket<DashboardMinute>) (start, key, m) -> {
                        long[] point = loaded.computeIfAbsent(start, s -> new long[4]);
                        point[0] += m.getAccepted();
                        point[1] += m.getDelivered();
                        point[2] += m.getFailed();
                        point[3] += m.getStuck();
                    });
                    return loaded;
                }, oldest(at));
        long[][] series = new long[4][window.minutes()];
        points.forEach((start, point) -> {
            int i = (int) ((start - first) / step);
            for (int s = 0; s < 4; s++) {
                series[s][i] = point[s];
            }
        });
        return new TimeSeries(window.text(), minutes, boxed(series[0]), boxed(series[1]), boxed(series[2]), boxed(series[3]));
    }

    /**
     * Every row of this instance, unsorted: a window of up to an hour from its minute buckets, a longer one from whole
     * hour buckets ({@link DashboardWindow#split}).
     */
    public List<BreakdownRow> breakdown(DashboardWindow window, long at) {
        DashboardWindow.Split split = window.split(at);
        boolean hourly = split.hoursFrom() >= 0;
        Duration resolution = hourly ? DashboardStores.HOUR : DashboardStores.MINUTE;
        long from = hourly ? split.hoursFrom() : split.minuteRanges().get(0)[0];
        long to = hourly ? split.hoursTo() : split.minuteRanges().get(0)[1];
        List<Long> starts = new ArrayList<>();
        for (long start = from; start <= to; start += resolution.toMillis()) {
            starts.add(start);
        }
        String store = hourly ? DashboardStores.HOURS : DashboardStores.MINUTES;
        Map<Long, Map<String, long[]>> buckets = (hourly ? rowHours : rowMinutes).get(stores.partitions(), starts,
                versions(resolution, from, to), (first, last) -> {
                    Map<Long, Map<String, long[]>> loaded = new HashMap<>();
                    each(store, first, last, (Bucket<DashboardRow>) (start, key, m) -> loaded.computeIfAbsent(start, s -> new HashMap<>())
                            .put(key, new long[] {m.getAccepted(), m.getDelivered(), m.getFailed(), m.getStuck(), m.getUnmatched()}));
                    return loaded;
                }, oldest(at));
        Map<String, long[]> rows = new HashMap<>();
        for (Map<String, long[]> bucket : buckets.values()) {
            bucket.forEach((key, counts) -> {
                long[] row = rows.computeIfAbsent(key, k -> new long[5]);
                for (int i = 0; i < 5; i++) {
                    row[i] += counts[i];
                }
            });
        }
        List<BreakdownRow> answer = new ArrayList<>(rows.size());
        rows.forEach((key, c) -> {
            String[] parts = DashboardStores.parts(key);
            answer.add(new BreakdownRow(parts[0], parts[1], blankToNull(parts[2]), blankToNull(parts[3]), c[0], c[1], c[2], c[3], c[4],
                    DashboardQueries.rate(c[1], c[2])));
        });
        return answer;
    }

    /** The version of each bucket from {@code from} to {@code to} that has one, summed over this instance's tasks. */
    private Map<Long, Long> versions(Duration resolution, long from, long to) {
        Map<Long, Long> versions = new HashMap<>();
        for (ReadOnlyKeyValueStore<String, Long> store : stores.<Long>keyValuePerTask(DashboardStores.VERSIONS)) {
            try (KeyValueIterator<String, Long> it = store.range(DashboardStores.versionKey(resolution, from),
                    DashboardStores.versionKey(resolution, to))) {
                it.forEachRemaining(entry -> versions.merge(Long.parseLong(entry.key.substring(1)), entry.value, Long::sum));
            }
        }
        return versions;
    }

    /** Kept buckets older than the longest window (and the hour in progress) are forgotten. */
    private static long oldest(long at) {
        return at - DashboardStores.MIN_RETENTION.toMillis();
    }

    /** Every failure code of this instance in the window, unsorted. */
    public List<FailureCode> failures(DashboardWindow window, long at) {
        Map<String, FailureCodeMinute> codes = new LinkedHashMap<>();
        each(window.split(at), DashboardStores.FAILURE_CODE_HOURS, DashboardStores.FAILURE_CODES, (Bucket<FailureCodeMinute>) (start, key, c) ->
                codes.merge(key, c, (a, b) -> FailureCodeMinute.newBuilder(a)
                        .setCount(a.getCount() + b.getCount())
                        .setLastSeen(Math.max(a.getLastSeen(), b.getLastSeen()))
                        .setText(b.getLastSeen() >= a.getLastSeen() && b.getText() != null ? b.getText() : a.getText())
                        .setClassification(b.getLastSeen() >= a.getLastSeen() ? b.getClassification() : a.getClassification())
                        .build()));
        return codes.values().stream()
                .map(c -> new FailureCode(c.getProvider(), c.getCode(), c.getClassification(), c.getText(), c.getCount(),
                        Instant.ofEpochMilli(c.getLastSeen())))
                .toList();
    }

    /**
     * Deliveries stuck now, oldest first: the first {@code limit} keys of each task's store (ordered by when they became
     * stuck), merged; never the whole backlog.
     */
    public List<ListedDelivery> stuck(int limit, long now) {
        List<DashboardDelivery> oldest = new ArrayList<>();
        for (ReadOnlyKeyValueStore<String, DashboardDelivery> store : stores.<DashboardDelivery>keyValuePerTask(DashboardStores.STUCK)) {
            try (KeyValueIterator<String, DashboardDelivery> it = store.all()) {
                for (int taken = 0; it.hasNext() && taken < limit; taken++) {
                    oldest.add(it.next().value);
                }
            }
        }
        return oldest.stream().sorted(Comparator.comparingLong(DashboardDelivery::getAt).thenComparing(DashboardDelivery::getMsgKey))
                .limit(limit).map(d -> listed(d, now)).toList();
    }

    /**
     * Deliveries that failed within the window, newest first. The store iterates by key within each of its segments
     * (and task by task), not by time, so it is read an hour at a time from the newest hour back, each hour whole,
     * until the list is full: never the whole day when the newest hour has enough.
     */
    public List<ListedDelivery> recentFailures(DashboardWindow window, int limit, long now) {
        long first = window.firstMinute(now);
        long hour = DashboardStores.HOUR.toMillis();
        List<DashboardDelivery> newest = new ArrayList<>();
        ReadOnlyWindowStore<String, DashboardDelivery> store = stores.window(DashboardStores.RECENT_FAILURES);
        for (long to = window.lastMinute(now); to >= first && newest.size() < limit; ) {
            long from = Math.max(first, to - Math.floorMod(to, hour));
            try (KeyValueIterator<Windowed<String>, DashboardDelivery> it = store.fetchAll(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
                it.forEachRemaining(entry -> newest.add(entry.value));
            }
            to = from - DashboardStores.MINUTE.toMillis();
        }
        return newest.stream().sorted(Comparator.comparingLong(DashboardDelivery::getAt).reversed()
                .thenComparing(DashboardDelivery::getMsgKey)).limit(limit).map(d -> listed(d, now)).toList();
    }

    /**
     * Whether the dashboard lists this delivery (stuck now, or failed within the last 24 h): the monitor reads the
     * history of those only, so its token for every origin shows nothing the page does not already list.
     */
    public boolean lists(String msgKey, long now) {
        ReadOnlyKeyValueStore<String, Long> stuckIndex = stores.keyValue(DashboardStores.STUCK_INDEX);
        if (stuckIndex.get(msgKey) != null) {
            return true;
        }
        ReadOnlyWindowStore<String, DashboardDelivery> failures = stores.window(DashboardStores.RECENT_FAILURES);
        try (var it = failures.fetch(msgKey, Instant.ofEpochMilli(now).minus(Duration.ofHours(24)), Instant.ofEpochMilli(now))) {
            return it.hasNext();
        }
    }

    private long stuckNow() {
        long count = 0;
        ReadOnlyKeyValueStore<String, Long> counters = stores.keyValue(DashboardStores.COUNTERS);
        try (KeyValueIterator<String, Long> it = counters.all()) { // a handful of entries: one counter per task
            while (it.hasNext()) {
                KeyValue<String, Long> counter = it.next();
                if (DashboardStores.STUCK_COUNTER.equals(counter.key)) {
                    count += counter.value;
                }
            }
        }
        return count;
    }

    /** What a counting store holds for one bucket and key ({@code key} without the bucket's start). */
    @FunctionalInterface
    private interface Bucket<V> {
        void accept(long start, String key, V value);
    }

    /** Every entry of the buckets from {@code firstStart} to {@code lastStart}: one key range (the keys start with the time). */
    private <V> void each(String store, long firstStart, long lastStart, Bucket<V> action) {
        ReadOnlyWindowStore<String, V> window = stores.window(store);
        try (KeyValueIterator<Windowed<String>, V> it = window.fetch(DashboardStores.bucketFrom(firstStart), DashboardStores.bucketTo(lastStart),
                Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastStart))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, V> entry = it.next();
                action.accept(entry.key.window().start(), DashboardStores.counted(entry.key.key()), entry.value);
            }
        }
    }

    /** The split's whole hours from {@code hourStore}, its minutes from {@code minuteStore}. */
    private <V> void each(DashboardWindow.Split split, String hourStore, String minuteStore, Bucket<V> action) {
        if (split.hoursFrom() >= 0) {
            each(hourStore, split.hoursFrom(), split.hoursTo(), action);
        }
        for (long[] range : split.minuteRanges()) {
            each(minuteStore, range[0], range[1], action);
        }
    }

    private ListedDelivery listed(DashboardDelivery d, long now) {
        return new ListedDelivery(d.getMsgKey(), d.getRecipientMasked(), d.getStatus(), d.getProvider(), d.getChannel(), d.getOrigin(),
                d.getTemplateCode(),
                d.getAcceptedAt() == null ? null : Instant.ofEpochMilli(d.getAcceptedAt()), Instant.ofEpochMilli(d.getAt()),
                Math.max(0, (now - (d.getAcceptedAt() != null ? d.getAcceptedAt() : d.getAt())) / 1000), d.getCode(),
                d.getClassification(), d.getText(), historyBase + "/" + URLEncoder.encode(d.getMsgKey(), StandardCharsets.UTF_8).replace("+", "%20"));
    }

    static List<Long> boxed(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long value : values) {
            list.add(value);
        }
        return list;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
