package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertRule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code monitor_notifications_total{channel,outcome}} (sent, failed, retried, unreadable),
 * {@code monitor_notification_latency_seconds{channel}} (from the alert's decision to the channel's 2xx) and
 * {@code monitor_alerts_firing{rule}} (registered by {@link ActiveAlerts}).
 */
@Singleton
public class NotificationMetrics {

    private final MeterRegistry registry;

    public NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void sent(String channel, Duration sinceDecided) {
        registry.counter("monitor.notifications", "channel", channel, "outcome", "sent").increment();
        Timer.builder("monitor.notification.latency").tag("channel", channel).publishPercentiles(0.5, 0.99)
                .description("From the monitor's decision to the channel's 2xx").register(registry)
                .record(sinceDecided.isNegative() ? Duration.ZERO : sinceDecided);
    }

    public void failed(String channel) {
        registry.counter("monitor.notifications", "channel", channel, "outcome", "failed").increment();
    }

    public void retried(String channel) {
        registry.counter("monitor.notifications", "channel", channel, "outcome", "retried").increment();
    }

    public void unreadable(String channel) {
        registry.counter("monitor.notifications", "channel", channel, "outcome", "unreadable").increment();
    }

    void firingGauge(AlertRule rule, ActiveAlerts view) {
        io.micrometer.core.instrument.Gauge.builder("monitor.alerts.firing", view, v -> v.firing(rule))
                .tag("rule", rule.name().toLowerCase(Locale.ROOT)).description("Alerts firing now, per rule").register(registry);
    }
}
