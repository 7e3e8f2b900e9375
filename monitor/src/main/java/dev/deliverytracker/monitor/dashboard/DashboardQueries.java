package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.Summary;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The dashboard's answers, computed from its stores at the time asked ({@code clock}): sums of minute buckets over a
 * window, never a scan of a topic. Pure reads; every iterator is closed.
 */
public final class DashboardQueries {

    /** How a breakdown may be sorted; {@code rate} (the default) puts the worst delivery rate first. */
    public enum Sort { RATE, FAILED, ACCEPTED, DELIVERED, STUCK }

    private final DashboardStoreSource stores;
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
        eachMinute(window, now, entry -> {
            DashboardMinute m = entry.value;
            totals[0] += m.getAccepted();
            totals[1] += m.getDelivered();
            totals[2] += m.getFailed();
            totals[3] += m.getStuck();
            totals[4] += m.getUnmatched();
            totals[5] += m.getFallback();
            m.getFailedByClassification().forEach((k, v) -> byClass.merge(k, v, Long::sum));
            latency.add(m.getLatency());
        });
        return new Summary(window.text(), Instant.ofEpochMilli(window.firstMinute(now)), Instant.ofEpochMilli(now), totals[0],
                totals[1], totals[2], byClass, rate(totals[1], totals[2]), stuckNow(), totals[3], totals[4], totals[5],
                latency.percentile(50), latency.percentile(95));
    }

    public TimeSeries timeSeries(DashboardWindow window) {
        long now = clock.millis();
        long first = window.firstMinute(now);
        long step = DashboardStores.MINUTE.toMillis();
        long[][] series = new long[4][window.minutes()];
        eachMinute(window, now, entry -> {
            int i = (int) ((entry.key.window().start() - first) / step);
            if (i < 0 || i >= window.minutes()) {
                return;
            }
            series[0][i] += entry.value.getAccepted();
            series[1][i] += entry.value.getDelivered();
            series[2][i] += entry.value.getFailed();
            series[3][i] += entry.value.getStuck();
        });
        List<Long> minutes = new ArrayList<>(window.minutes());
        for (int i = 0; i < window.minutes(); i++) {
            minutes.add(first + i * step);
        }
        return new TimeSeries(window.text(), minutes, boxed(series[0]), boxed(series[1]), boxed(series[2]), boxed(series[3]));
    }

    public List<BreakdownRow> breakdown(DashboardWindow window, Sort sort) {
        Map<String, long[]> rows = new TreeMap<>();
        eachMinute(window, clock.millis(), entry -> {
            long[] row = rows.computeIfAbsent(entry.key.key(), k -> new long[5]);
            row[0] += entry.value.getAccepted();
            row[1] += entry.value.getDelivered();
            row[2] += entry.value.getFailed();
            row[3] += entry.value.getStuck();
            row[4] += entry.value.getUnmatched();
        });
        List<BreakdownRow> answer = new ArrayList<>();
        rows.forEach((key, c) -> {
            String[] parts = DashboardStores.parts(key);
            answer.add(new BreakdownRow(parts[0], parts[1], blankToNull(parts[2]), blankToNull(parts[3]), c[0], c[1], c[2], c[3], c[4],
                    rate(c[1], c[2])));
        });
        answer.sort(order(sort));
        return answer;
    }

    public List<FailureCode> failures(DashboardWindow window, int limit) {
        long now = clock.millis();
        Map<String, FailureCodeMinute> codes = new LinkedHashMap<>();
        try (KeyValueIterator<Windowed<String>, FailureCodeMinute> it = stores.failureCodes()
                .fetchAll(Instant.ofEpochMilli(window.firstMinute(now)), Instant.ofEpochMilli(window.lastMinute(now)))) {
            it.forEachRemaining(entry -> codes.merge(entry.key.key(), entry.value, (a, b) -> FailureCodeMinute.newBuilder(a)
                    .setCount(a.getCount() + b.getCount())
                    .setLastSeen(Math.max(a.getLastSeen(), b.getLastSeen()))
                    .setText(b.getLastSeen() >= a.getLastSeen() && b.getText() != null ? b.getText() : a.getText())
                    .setClassification(b.getLastSeen() >= a.getLastSeen() ? b.getClassification() : a.getClassification())
                    .build()));
        }
        return codes.values().stream()
                .sorted(Comparator.comparingLong(FailureCodeMinute::getCount).reversed()
                        .thenComparing(Comparator.comparingLong(FailureCodeMinute::getLastSeen).reversed()))
                .limit(limit)
                .map(c -> new FailureCode(c.getProvider(), c.getCode(), c.getClassification(), c.getText(), c.getCount(),
                        Instant.ofEpochMilli(c.getLastSeen())))
                .toList();
    }

    /** Deliveries stuck now, oldest first. */
    public List<ListedDelivery> stuck(int limit) {
        List<DashboardDelivery> all = new ArrayList<>();
        try (KeyValueIterator<String, DashboardDelivery> it = stores.stuck().all()) {
            it.forEachRemaining(entry -> all.add(entry.value));
        }
        long now = clock.millis();
        return all.stream().sorted(Comparator.comparingLong(DashboardDelivery::getAt).thenComparing(DashboardDelivery::getMsgKey))
                .limit(limit).map(d -> listed(d, now)).toList();
    }

    /** Deliveries that failed within the window, newest first. */
    public List<ListedDelivery> recentFailures(DashboardWindow window, int limit) {
        long now = clock.millis();
        List<DashboardDelivery> all = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, DashboardDelivery> it = stores.recentFailures()
                .fetchAll(Instant.ofEpochMilli(window.firstMinute(now)), Instant.ofEpochMilli(window.lastMinute(now)))) {
            it.forEachRemaining(entry -> all.add(entry.value));
        }
        return all.stream().sorted(Comparator.comparingLong(DashboardDelivery::getAt).reversed().thenComparing(DashboardDelivery::getMsgKey))
                .limit(limit).map(d -> listed(d, now)).toList();
    }

    private long stuckNow() {
        long count = 0;
        try (KeyValueIterator<String, DashboardDelivery> it = stores.stuck().all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    private void eachMinute(DashboardWindow window, long now, Consumer<KeyValue<Windowed<String>, DashboardMinute>> action) {
        try (KeyValueIterator<Windowed<String>, DashboardMinute> it = stores.minutes()
                .fetchAll(Instant.ofEpochMilli(window.firstMinute(now)), Instant.ofEpochMilli(window.lastMinute(now)))) {
            it.forEachRemaining(action);
        }
    }

    private ListedDelivery listed(DashboardDelivery d, long now) {
        return new ListedDelivery(d.getMsgKey(), d.getStatus(), d.getProvider(), d.getChannel(), d.getOrigin(), d.getTemplateCode(),
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
