package dev.deliverytracker.webhook.app;

import io.micronaut.runtime.Micronaut;

/** Starts webhook-ingest: provider report webhooks (default port 8082). */
public final class WebhookIngestApplication {

    private WebhookIngestApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(WebhookIngestApplication.class).start();
    }
}
