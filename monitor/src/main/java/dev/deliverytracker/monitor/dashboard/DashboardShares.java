package dev.deliverytracker.monitor.dashboard;

import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * Every monitor instance's share of an answer, all asked about the same instant {@code at}. The dashboard's stores are
 * split by provider across the instances of the monitor's Kafka Streams application (each provider's statuses have one
 * owner task), so an answer is the shares of every instance merged ({@link DashboardQueries}). Each method returns one
 * share per instance that owns dashboard partitions, or throws {@link DashboardUnavailableException} when one of
 * them cannot answer: a partial answer would understate every number on the page.
 */
public interface DashboardShares {

    List<SummaryShare> summary(DashboardWindow window, long at);

    List<TimeSeries> timeSeries(DashboardWindow window, long at);

    /** Every row of each share, unsorted and unlimited (the order and limit apply to the merged rows). */
    List<List<BreakdownRow>> breakdown(DashboardWindow window, long at);

    /** Every failure code of each share, unsorted and unlimited. */
    List<List<FailureCode>> failures(DashboardWindow window, long at);

    /** The {@code limit} oldest stuck deliveries of each share. */
    List<List<ListedDelivery>> stuck(int limit, long at);

    /** The {@code limit} newest failed deliveries of each share. */
    List<List<ListedDelivery>> recentFailures(DashboardWindow window, int limit, long at);

    /** Whether each share lists {@code msgKey} (stuck now, or failed within 24 h). */
    List<Boolean> lists(String msgKey, long at);

    /**
     * One instance's totals over a window, before percentiles and rates, which only the merged counts can give.
     *
     * @param latency counts per {@link LatencyHistogram} bucket
     */
    @Serdeable
    record SummaryShare(long accepted, long delivered, long failed, long becameStuck, long unmatched, long fallback,
                        Map<String, Long> failedByClassification, List<Long> latency, long stuckNow) {
    }

    /** This instance alone: every share comes from its own stores (tests; a monitor that is the only instance). */
    static DashboardShares of(LocalDashboard local) {
        return new DashboardShares() {
            @Override
            public List<SummaryShare> summary(DashboardWindow window, long at) {
                return List.of(local.summary(window, at));
            }

            @Override
            public List<TimeSeries> timeSeries(DashboardWindow window, long at) {
                return List.of(local.timeSeries(window, at));
            }

            @Override
            public List<List<BreakdownRow>> breakdown(DashboardWindow window, long at) {
                return List.of(local.breakdown(window, at));
            }

            @Override
            public List<List<FailureCode>> failures(DashboardWindow window, long at) {
                return List.of(local.failures(window, at));
            }

            @Override
            public List<List<ListedDelivery>> stuck(int limit, long at) {
                return List.of(local.stuck(limit, at));
            }

            @Override
            public List<List<ListedDelivery>> recentFailures(DashboardWindow window, int limit, long at) {
                return List.of(local.recentFailures(window, limit, at));
            }

            @Override
            public List<Boolean> lists(String msgKey, long at) {
                return List.of(local.lists(msgKey, at));
            }
        };
    }
}
