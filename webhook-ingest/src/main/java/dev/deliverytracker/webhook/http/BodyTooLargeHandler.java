package dev.deliverytracker.webhook.http;

import dev.deliverytracker.support.Problem;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A body over {@code micronaut.server.max-request-size} (64 KiB by default here): 413 as problem+json, counted. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(classes = {ContentLengthExceededException.class, ExceptionHandler.class})
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(BodyTooLargeHandler.class);

    private final WebhookRoutes routes;
    private final WebhookMetrics metrics;
    private final long limit;

    public BodyTooLargeHandler(WebhookRoutes routes, WebhookMetrics metrics,
                               @Value("${micronaut.server.max-request-size:64KB}") @ReadableBytes long limit) {
        this.routes = routes;
        this.metrics = metrics;
        this.limit = limit;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
        String provider = routes.route(request.getPath()).map(WebhookRoutes.Route::provider).orElse("unknown");
        metrics.rejected(provider, WebhookRejection.Reason.TOO_LARGE.tag());
        LOG.warn("Rejected {} webhook from {}: too_large", provider, request.getRemoteAddress().getAddress().getHostAddress());
        return Problem.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "Body too large",
                "A report body may be at most " + limit + " bytes");
    }
}
