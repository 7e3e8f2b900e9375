package dev.deliverytracker.monitor.app;

import dev.deliverytracker.support.DeliveryService;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * Starts the monitor: alert rules over the status topic, the notification channels, the dashboard (its page at
 * {@code /} and its JSON API under {@code /api}) and the alerts API (default port 8085).
 */
@OpenAPIDefinition(info = @Info(title = "monitor", version = "0.1",
        description = "Alerts on stuck and failing deliveries, and the dashboard's numbers: accepted is not delivered."))
public final class MonitorApplication {

    private MonitorApplication() {
    }

    public static void main(String[] args) {
        DeliveryService.MONITOR.main(MonitorApplication.class, args);
    }
}
