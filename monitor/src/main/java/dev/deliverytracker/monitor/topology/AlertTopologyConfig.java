package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.monitor.dashboard.DashboardStores;
import dev.deliverytracker.monitor.rules.AlertRules;
import dev.deliverytracker.schemas.topics.TopicCatalogue;

import java.time.Duration;

/**
 * Everything {@link AlertTopology#build} needs, validated on construction.
 *
 * @param topics             physical topic names and serdes
 * @param rules              the rules' thresholds, per provider
 * @param evaluationInterval how often every rule is evaluated on the wall clock (account failures also at once)
 * @param bucket             the time resolution of the sliding windows
 * @param catchUpGrace       after a (re)start, how long "reports went silent" waits before judging, so a backlog of
 *                           reports still being read is not mistaken for silence
 * @param resolvedRetention  how long a resolved alert is remembered (a re-fire within it continues its sequence)
 * @param lookupBaseUrl      base URL of the delivery query API, for the alert's link ({@code <base>/v1/deliveries/<msgKey>})
 * @param dashboardRetention how long the dashboard's buckets are kept (at least 25 h: a 24 h window and the hour in progress)
 */
public record AlertTopologyConfig(TopicCatalogue topics,
                                  AlertRules rules,
                                  Duration evaluationInterval,
                                  Duration bucket,
                                  Duration catchUpGrace,
                                  Duration resolvedRetention,
                                  String lookupBaseUrl,
                                  Duration dashboardRetention) {

    public AlertTopologyConfig {
        positive("delivery.monitor.evaluation-interval", evaluationInterval);
        positive("delivery.monitor.bucket", bucket);
        if (catchUpGrace.isNegative()) {
            throw new IllegalArgumentException("delivery.monitor.catch-up-grace must not be negative, was " + catchUpGrace);
        }
        positive("delivery.monitor.resolved-retention", resolvedRetention);
        if (bucket.compareTo(rules.defaultRules().failureRate().window()) > 0) {
            throw new IllegalArgumentException("delivery.monitor.bucket (" + bucket + ") must not be longer than the failure-rate window");
        }
        lookupBaseUrl = lookupBaseUrl == null ? "" : lookupBaseUrl.replaceAll("/+$", "");
        if (dashboardRetention == null || dashboardRetention.compareTo(DashboardStores.MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("delivery.monitor.dashboard-retention must be at least " + DashboardStores.MIN_RETENTION
                    + " (the dashboard's 24 h window and the hour in progress), was " + dashboardRetention);
        }
    }

    public static final Duration DEFAULT_DASHBOARD_RETENTION = Duration.ofHours(25);

    public static AlertTopologyConfig defaults(TopicCatalogue topics, AlertRules rules) {
        return new AlertTopologyConfig(topics, rules, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofHours(1), "http://localhost:8083", DEFAULT_DASHBOARD_RETENTION);
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }
}
