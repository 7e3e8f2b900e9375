package dev.deliverytracker.monitor.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The monitor's scalar settings ({@code delivery.monitor.*}). The rules' thresholds ({@code delivery.monitor.rules.*})
 * are read by {@link MonitorFactory} into {@link dev.deliverytracker.monitor.rules.AlertRules}; the channels have
 * their own properties.
 *
 * @param applicationId      Kafka Streams application id of the rule evaluation
 * @param stateDir           where its stores live; survives restarts (default: a directory under the OS temp dir)
 * @param evaluationInterval how often every rule is judged on the wall clock
 * @param bucket             time resolution of the sliding windows
 * @param catchUpGrace       after a start, how long "reports went silent" waits before judging
 * @param resolvedRetention  how long a resolved alert is remembered
 * @param lookupBaseUrl      the delivery query API (status-stream), for links in alerts
 * @param externalUrl        where people reach this monitor (Alertmanager's generatorURL, the webhook's externalURL)
 * @param knownProviders     providers a per-provider rule override may name
 * @param closeTimeout       how long a clean shutdown may take
 * @param dashboardRetention how long the dashboard keeps its buckets (at least 25 h)
 * @param lookupToken        the bearer token the dashboard reads a delivery's history with from status-stream: one of
 *                           its query tokens for all origins ({@code *=token}); MONITOR_LOOKUP_TOKEN
 * @param historyBaseUrl     status-stream's query API as this monitor reaches it (inside the network; the
 *                           lookupBaseUrl is the address people's browsers use); STATUS_STREAM_INTERNAL_URL
 * @param applicationServer  host:port the other monitor instances use to ask this one for its share of the dashboard
 *                           (default: localhost and the HTTP port); MONITOR_APPLICATION_SERVER
 */
@ConfigurationProperties("delivery.monitor")
public record MonitorProperties(
        @Bindable(defaultValue = "delivery-monitor") String applicationId,
        @Nullable String stateDir,
        @Bindable(defaultValue = "5s") Duration evaluationInterval,
        @Bindable(defaultValue = "10s") Duration bucket,
        @Bindable(defaultValue = "30s") Duration catchUpGrace,
        @Bindable(defaultValue = "1h") Duration resolvedRetention,
        @Bindable(defaultValue = "http://localhost:8083") String lookupBaseUrl,
        @Bindable(defaultValue = "http://localhost:8085") String externalUrl,
        @Bindable(defaultValue = "bizgo,aligo,ncp-sens") String knownProviders,
        @Bindable(defaultValue = "30s") Duration closeTimeout,
        @Bindable(defaultValue = "25h") Duration dashboardRetention,
        @Nullable String lookupToken,
        @Bindable(defaultValue = "http://localhost:8083") String historyBaseUrl,
        @Nullable String applicationServer) {
}
