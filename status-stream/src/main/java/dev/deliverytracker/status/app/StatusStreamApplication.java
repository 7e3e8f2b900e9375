package dev.deliverytracker.status.app;

import io.micronaut.runtime.Micronaut;

/** Starts status-stream: the Kafka Streams app and its query API (default port 8083). */
public final class StatusStreamApplication {

    private StatusStreamApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(StatusStreamApplication.class).start();
    }
}
