package dev.deliverytracker.monitor.app;

import io.micronaut.runtime.Micronaut;

/** Starts the monitor: alert rules over the status topic, the notification channels, and their API (default port 8085). */
public final class MonitorApplication {

    private MonitorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(MonitorApplication.class).start();
    }
}
