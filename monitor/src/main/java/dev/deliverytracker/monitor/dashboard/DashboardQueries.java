package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.monitor.dashboard.DashboardShares.SummaryShare;
import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.Summary;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's answers: every instance's share ({@link DashboardShares}), asked about one instant of
 * {@code clock}, merged; then rates, percentiles, order and limits. A provider's buckets live on one instance only, but
 * the merge adds rows and codes up rather than relying on it.
 */
public final class DashboardQueries {

    /** How a breakdown may be sorted; {@code rate} (the default) puts the worst delivery rate first. */
    public enum Sort { RATE, FAILED, ACCEPTED, DELIVERED, STUCK }

    private final DashboardShares shares;
    private final Clock clock;

    public DashboardQueries(DashboardShares shares, Clock clock) {
        this.shares = shares;
        this.clock = clock;
    }

    public Summary summary(DashboardWindow window) {
        long at = clock.millis();
        long accepted = 0;
        long delivered = 0;
        long failed = 0;
        long becameStuck = 0;
        long unmatched = 0;
        long fallback = 0;
        long stuckNow = 0;
        Map<String, Long> byClass = new TreeMap<>();
        LatencyHistogram latency = new LatencyHistogram();
        for (SummaryShare share : shares.summary(window, at)) {
            accepted += share.accepted();
            delivered += share.delivered();
            failed += share.failed();
            becameStuck += share.becameStuck();
            unmatched += share.unmatched();
            fallback += share.fallback();
            stuckNow += share.stuckNow();
            share.failedByClassification().forEach((k, v) -> byClass.merge(k, v, Long::sum));
            latency.add(share.latency());
        }
        return new Summary(window.text(), Instant.ofEpochMilli(window.firstMinute(at)), Instant.ofEpochMilli(at), accepted, delivered,
                failed, byClass, rate(delivered, failed), stuckNow, becameStuck, unmatched, fallback, latency.percentile(50),
                latency.percentile(95));
    }

    public TimeSeries timeSeries(DashboardWindow window) {
        long at = clock.millis();
        long[][] sums = new long[4][window.minutes()];
        List<Long> minutes = null;
        for (TimeSeries share : shares.timeSeries(window, at)) {
            minutes = share.minutes();
            addTo(sums[0], share.accepted());
            addTo(sums[1], share.delivered());
            addTo(sums[2], share.failed());
            addTo(sums[3], share.stuck());
        }
        if (minutes == null) {
            minutes = new ArrayList<>();
            long first = window.firstMinute(at);
            for (int i = 0; i < window.minutes(); i++) {
                minutes.add(first + i * DashboardStores.MINUTE.toMillis());
            }
        }
        return new TimeSeries(window.text(), minutes, LocalDashboard.boxed(sums[0]), LocalDashboard.boxed(sums[1]),
                LocalDashboard.boxed(sums[2]), LocalDashboard.boxed(sums[3]));
    }

    public List<BreakdownRow> breakdown(DashboardWindow window, Sort sort) {
        return breakdown(window, sort, Integer.MAX_VALUE);
    }

    /** The first {@code limit} rows in the order asked (see {@link LocalDashboard#breakdown} for what a row counts). */
    public List<BreakdownRow> breakdown(DashboardWindow window, Sort sort, int limit) {
        Map<List<String>, BreakdownRow> merged = new HashMap<>();
        for (List<BreakdownRow> share : shares.breakdown(window, clock.millis())) {
            for (BreakdownRow row : share) {
                merged.merge(Arrays.asList(row.provider(), row.channel(), row.template(), row.origin()), row, (a, b) -> {
                    long delivered = a.delivered() + b.delivered();
                    long failed = a.failed() + b.failed();
                    return new BreakdownRow(a.provider(), a.channel(), a.template(), a.origin(), a.accepted() + b.accepted(), delivered,
                            failed, a.stuck() + b.stuck(), a.unmatched() + b.unmatched(), rate(delivered, failed));
                });
            }
        }
        return merged.values().stream().sorted(order(sort)).limit(limit).toList();
    }

    /** The most frequent failure codes, then the most recently seen. */
    public List<FailureCode> failures(DashboardWindow window, int limit) {
        Map<List<String>, FailureCode> merged = new LinkedHashMap<>();
        for (List<FailureCode> share : shares.failures(window, clock.millis())) {
            for (FailureCode code : share) {
                merged.merge(List.of(code.provider(), code.code()), code, (a, b) -> {
                    FailureCode newer = b.lastSeen().isAfter(a.lastSeen()) ? b : a;
                    return new FailureCode(a.provider(), a.code(), newer.classification(), newer.text() != null ? newer.text() : a.text(),
                            a.count() + b.count(), newer.lastSeen());
                });
            }
        }
        return merged.values().stream()
                .sorted(Comparator.comparingLong(FailureCode::count).reversed()
                        .thenComparing(Comparator.comparing(FailureCode::lastSeen).reversed()))
                .limit(limit)
                .toList();
    }

    /** Deliveries stuck now, oldest first. */
    public List<ListedDelivery> stuck(int limit) {
        return shares.stuck(limit, clock.millis()).stream().flatMap(List::stream)
                .sorted(Comparator.comparing(ListedDelivery::at).thenComparing(ListedDelivery::msgKey))
                .limit(limit).toList();
    }

    /** Deliveries that failed within the window, newest first. */
    public List<ListedDelivery> recentFailures(DashboardWindow window, int limit) {
        return shares.recentFailures(window, limit, clock.millis()).stream().flatMap(List::stream)
                .sorted(Comparator.comparing(ListedDelivery::at).reversed().thenComparing(ListedDelivery::msgKey))
                .limit(limit).toList();
    }

    /**
     * Whether the dashboard lists this delivery (stuck now, or failed within the last 24 h): the monitor reads the
     * history of those only, so its token for every origin shows nothing the page does not already list.
     */
    public boolean lists(String msgKey) {
        return shares.lists(msgKey, clock.millis()).contains(Boolean.TRUE);
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

    private static void addTo(long[] sums, List<Long> values) {
        for (int i = 0; i < sums.length && i < values.size(); i++) {
            sums[i] += values.get(i);
        }
    }
}
