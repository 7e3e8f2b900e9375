package dev.deliverytracker.monitor.app;

import dev.deliverytracker.support.DeliveryService;

/** Starts the monitor: alert rules over the status topic, the notification channels, and their API (default port 8085). */
public final class MonitorApplication {

    private MonitorApplication() {
    }

    public static void main(String[] args) {
        DeliveryService.MONITOR.main(MonitorApplication.class, args);
    }
}
