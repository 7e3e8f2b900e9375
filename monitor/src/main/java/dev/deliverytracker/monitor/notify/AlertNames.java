package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.AlertRule;
import dev.deliverytracker.events.DeliveryAlert;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How an alert is named outside: Alertmanager's {@code alertname} and the label set every channel shows. */
public final class AlertNames {

    private AlertNames() {
    }

    public static String alertname(AlertRule rule) {
        return switch (rule) {
            case ACCOUNT_FAILURE -> "DeliveryAccountFailure";
            case FAILURE_RATE -> "DeliveryFailureRateHigh";
            case STUCK_BACKLOG -> "DeliveryStuckBacklog";
            case REPORTS_SILENT -> "DeliveryReportsSilent";
            case UNMATCHED_REPORTS -> "DeliveryUnmatchedReports";
            case UNKNOWN -> "DeliveryAlert";
        };
    }

    /** alertname, severity, rule, then the alert's own labels (provider, channel, ...). The identity in Alertmanager. */
    public static Map<String, String> labels(DeliveryAlert a) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertname(a.getRule()));
        labels.put("severity", a.getSeverity().name().toLowerCase(Locale.ROOT));
        labels.put("rule", a.getRule().name().toLowerCase(Locale.ROOT));
        labels.putAll(new java.util.TreeMap<>(a.getLabels()));
        return labels;
    }

    /** The grouping of notifications: one per rule and provider, so one suspended account makes one message. */
    public static String groupKey(DeliveryAlert a) {
        return alertname(a.getRule()) + "/" + a.getLabels().getOrDefault("provider", "");
    }
}
