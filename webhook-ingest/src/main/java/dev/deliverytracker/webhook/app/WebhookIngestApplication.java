package dev.deliverytracker.webhook.app;

import dev.deliverytracker.support.DeliveryService;

/** Starts webhook-ingest: provider report webhooks (default port 8082). */
public final class WebhookIngestApplication {

    private WebhookIngestApplication() {
    }

    public static void main(String[] args) {
        DeliveryService.WEBHOOK_INGEST.main(WebhookIngestApplication.class, args);
    }
}
