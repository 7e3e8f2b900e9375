package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.Summary;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The dashboard's answers, computed from its stores at the time asked ({@code clock}): sums of minute buckets over a
 * window, never a scan of a topic. Pure reads; every iterator is closed.
 */
public final class DashboardQueries {

    /** How a breakdown may be sorted; {@code rate} (the default) puts the worst delivery rate first. */
    public enum Sort { RATE, FAILED, ACCEPTED, DELIVERED, STUCK }

    /** How long the completed hours of a breakdown are reused before they are summed again. */
    public static final Duration COMPLETED_HOURS_REUSE = Duration.ofSeconds(30);

    /** Sums of a breakdown's completed hours, never changed once made (rows are copied before adding to them). */
    private record CompletedHours(long from, long to, long computedAt, Map<String, long[]> rows) {
    }

    private final DashboardStoreSource stores;
    private volatile CompletedHours completed;
    private final Clock clock;
    private final String historyBase;

    /** @param historyBase where a delivery's history is read: {@code <historyBase>/<msgKey>} */
    public DashboardQueries(DashboardStoreSource stores, Clock clock, String historyBase) {
        this.stores = stores;
        this.clock = clock;
        this.historyBase = historyBase.replaceAll("/+$", "");
    }

    public Summary summary(DashboardWindow window) {
        long now = clock.millis();
        long[] totals = new long[6];
        Map<String, Long> byClass = new TreeMap<>();
        LatencyHistogram latency = new LatencyHistogram();
        BiConsumer<Windowed<String>, DashboardMinute> add = (key, m) -> {
            totals[0] += m.getAccepted();
            totals[1] += m.getDelivered();
            totals[2] += m.getFailed();
            totals[3] += m.getStuck();
            totals[4] += m.getUnmatched();
            totals[5] += m.getFallback();
            m.getFailedByClassification().forEach((k, v) -> byClass.merge(k, v, Long::sum));
            latency.add(m.getLatency());
        };
        each(window.exactSplit(now), DashboardStores.HOUR_TOTALS, DashboardStores.TOTALS, add);
        return new Summary(window.text(), Instant.ofEpochMilli(window.firstMinute(now)), Instant.ofEpochMilli(now), totals[0],
                totals[1], totals[2], byClass, rate(totals[1], totals[2]), stuckNow(), totals[3], totals[4], totals[5],
                latency.percentile(50), latency.percentile(95));
    }

    public TimeSeries timeSeries(DashboardWindow window) {
        long now = clock.millis();
        long first = window.firstMinute(now);
        long step = DashboardStores.MINUTE.toMillis();
        long[][] series = new long[4][window.minutes()];
        each(DashboardStores.TOTALS, first, window.lastMinute(now), (Windowed<String> key, DashboardMinute m) -> {
            int i = (int) ((key.window().start() - first) / step);
            if (i < 0 || i >= window.minutes()) {
                return;
            }
            series[0][i] += m.getAccepted();
            series[1][i] += m.getDelivered();
            series[2][i] += m.getFailed();
            series[3][i] += m.getStuck();
        });
        List<Long> minutes = new ArrayList<>(window.minutes());
        for (int i = 0; i < window.minutes(); i++) {
            minutes.add(first + i * step);
        }
        return new TimeSeries(window.text(), minutes, boxed(series[0]), boxed(series[1]), boxed(series[2]), boxed(series[3]));
    }

    public List<BreakdownRow> breakdown(DashboardWindow window, Sort sort) {
        return breakdown(window, sort, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} rows in the order asked. Over an hour, the completed hours' sums are reused for
     * {@link #COMPLETED_HOURS_REUSE} (a day of rows is tens of thousands of buckets; a status arriving late into a
     * completed hour shows within that time), and the hour in progress is always read live.
     */
    public List<BreakdownRow> breakdown(DashboardWindow window, Sort sort, int limit) {
        Map<String, long[]> rows = new HashMap<>();
        BiConsumer<Windowed<String>, DashboardRow> add = (key, m) -> add(rows, key.key(), m);
        DashboardWindow.Split split = window.split(clock.millis());
        if (split.hoursFrom() >= 0) {
            completedHours(split.hoursFrom(), split.hoursTo() - DashboardStores.HOUR.toMillis())
                    .forEach((key, counts) -> rows.put(key, counts.clone()));
            each(DashboardStores.HOURS, split.hoursTo(), split.hoursTo(), add); // the hour in progress, live
        } else {
            each(split, DashboardStores.HOURS, DashboardStores.MINUTES, add);
        }
        List<BreakdownRow> answer = new ArrayList<>();
        rows.forEach((key, c) -> {
            String[] parts = DashboardStores.parts(key);
            answer.add(new BreakdownRow(parts[0], parts[1], blankToNull(parts[2]), blankToNull(parts[3]), c[0], c[1], c[2], c[3], c[4],
                    rate(c[1], c[2])));
        });
        answer.sort(order(sort));
        return answer.size() > limit ? List.copyOf(answer.subList(0, limit)) : answer;
    }

    /** The rows summed over the hour buckets from {@code from} to {@code to} (both starts), reused while fresh. */
    private Map<String, long[]> completedHours(long from, long to) {
        CompletedHours known = completed;
        long now = clock.millis();
        if (known != null && known.from() == from && known.to() == to && now - known.computedAt() < COMPLETED_HOURS_REUSE.toMillis()) {
            return known.rows();
        }
        Map<String, long[]> rows = new HashMap<>();
        if (from <= to) {
            each(DashboardStores.HOURS, from, to, (Windowed<String> key, DashboardRow m) -> add(rows, key.key(), m));
        }
        completed = new CompletedHours(from, to, now, Collections.unmodifiableMap(rows));
        return rows;
    }

    private static void add(Map<String, long[]> rows, String key, DashboardRow m) {
        long[] row = rows.computeIfAbsent(key, k -> new long[5]);
        row[0] += m.getAccepted();
        row[1] += m.getDelivered();
        row[2] += m.getFailed();
        row[3] += m.getStuck();
        row[4] += m.getUnmatched();
    }

    public List<FailureCode> failures(DashboardWindow window, int limit) {
        Map<String, FailureCodeMinute> codes = new LinkedHashMap<>();
        each(window.split(clock.millis()), DashboardStores.FAILURE_CODE_HOURS, DashboardStores.FAILURE_CODES, (Windowed<String> key, FailureCodeMinute c) ->
                codes.merge(key.key(), c, (a, b) -> FailureCodeMinute.newBuilder(a)
                        .setCount(a.getCount() + b.getCount())
                        .setLastSeen(Math.max(a.getLastSeen(), b.getLastSeen()))
                        .setText(b.getLastSeen() >= a.getLastSeen() && b.getText() != null ? b.getText() : a.getText())
                        .setClassification(b.getLastSeen() >= a.getLastSeen() ? b.getClassification() : a.getClassification())
                        .build()));
        return codes.values().stream()
                .sorted(Comparator.comparingLong(FailureCodeMinute::getCount).reversed()
                        .thenComparing(Comparator.comparingLong(FailureCodeMinute::getLastSeen).reversed()))
                .limit(limit)
                .map(c -> new FailureCode(c.getProvider(), c.getCode(), c.getClassification(), c.getText(), c.getCount(),
                        Instant.ofEpochMilli(c.getLastSeen())))
                .toList();
    }

    /**
     * Deliveries stuck now, oldest first: the first {@code limit} keys of each task's store (ordered by when they became
     * stuck), merged; never the whole backlog.
     */
    public List<ListedDelivery> stuck(int limit) {
        long now = clock.millis();
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
    public List<ListedDelivery> recentFailures(DashboardWindow window, int limit) {
        long now = clock.millis();
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
    public boolean lists(String msgKey) {
        ReadOnlyKeyValueStore<String, Long> stuckIndex = stores.keyValue(DashboardStores.STUCK_INDEX);
        if (stuckIndex.get(msgKey) != null) {
            return true;
        }
        long now = clock.millis();
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

    private <V> void each(String store, long firstStart, long lastStart, BiConsumer<Windowed<String>, V> action) {
        ReadOnlyWindowStore<String, V> window = stores.window(store);
        try (KeyValueIterator<Windowed<String>, V> it = window.fetchAll(Instant.ofEpochMilli(firstStart), Instant.ofEpochMilli(lastStart))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, V> entry = it.next();
                action.accept(entry.key, entry.value);
            }
        }
    }

    /** The split's whole hours from {@code hourStore}, its minutes from {@code minuteStore}. */
    private <V> void each(DashboardWindow.Split split, String hourStore, String minuteStore, BiConsumer<Windowed<String>, V> action) {
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

    static Double rate(long delivered, long failed) {
        long settled = delivered + failed;
        return settled == 0 ? null : Math.round(delivered * 10_000.0 / settled) / 10_000.0;
    }

    private static Comparator<BreakdownRow> order(Sort sort) {
        Comparator<BreakdownRow> byKey = Comparator.comparing(BreakdownRow::provider).thenComparing(BreakdownRow::channel)
                .thenComparing(r -> String.valueOf(r.template())).thenComparing(r -> String.valueOf(r.origin()));
        Comparator<BreakdownRow> first = switch (sort) {
            case RATE -> Comparator.comparing((BreakdownRow r) -> r.deliveryRate() == null ? 2.0 : r.deliveryRate())
                    .thenComparing(Comparator.comparingLong(BreakdownRow::failed).reversed());
            case FAILED -> Comparator.comparingLong(BreakdownRow::failed).reversed();
            case ACCEPTED -> Comparator.comparingLong(BreakdownRow::accepted).reversed();
            case DELIVERED -> Comparator.comparingLong(BreakdownRow::delivered).reversed();
            case STUCK -> Comparator.comparingLong(BreakdownRow::stuck).reversed();
        };
        return first.thenComparing(byKey);
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
