package dev.deliverytracker.webhook.http;

import dev.deliverytracker.support.http.TooLargeRequests;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A webhook body over the limit (64 KiB by default here) is counted and logged as a rejection of its provider. */
@Singleton
class TooLargeWebhooks implements TooLargeRequests {

    private static final Logger LOG = LoggerFactory.getLogger(TooLargeWebhooks.class);

    private final WebhookRoutes routes;
    private final WebhookMetrics metrics;

    TooLargeWebhooks(WebhookRoutes routes, WebhookMetrics metrics) {
        this.routes = routes;
        this.metrics = metrics;
    }

    @Override
    public void refused(HttpRequest<?> request) {
        String provider = routes.route(request.getPath()).map(WebhookRoutes.Route::provider).orElse("unknown");
        metrics.rejected(provider, WebhookRejection.Reason.TOO_LARGE.tag());
        LOG.warn("Rejected {} webhook from {}: too_large", provider, request.getRemoteAddress().getAddress().getHostAddress());
    }
}
