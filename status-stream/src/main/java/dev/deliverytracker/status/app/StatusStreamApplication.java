package dev.deliverytracker.status.app;

import dev.deliverytracker.support.DeliveryService;

/** Starts status-stream: the Kafka Streams app and its query API (default port 8083). */
public final class StatusStreamApplication {

    private StatusStreamApplication() {
    }

    public static void main(String[] args) {
        DeliveryService.STATUS_STREAM.main(StatusStreamApplication.class, args);
    }
}
