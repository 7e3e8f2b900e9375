package dev.deliverytracker.webhook.http;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.support.Futures;
import dev.deliverytracker.support.Problem;
import dev.deliverytracker.webhook.ingest.ReportWriter;
import dev.deliverytracker.webhook.ingest.RefusedReport;
import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import dev.deliverytracker.webhook.provider.WebhookRequest;
import dev.deliverytracker.webhook.security.SourceAddressResolver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every provider's report webhook: the path picks the provider ({@code delivery.webhooks.providers.<name>.paths}).
 * In order: known path (404), allowed source (403, or a silent 200 where configured), signature and timestamp
 * (401), JSON content type (415), a parseable report (400), then the durable write (503 if Kafka did not take it)
 * and only then {@code 200 {"msgKey": ...}}. Rejections are counted and logged with reason and source, never
 * with the body.
 */
@Controller
public class WebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);

    /** The acknowledgement providers expect: the msgKey they sent. */
    @Serdeable
    public record Ack(@Nullable String msgKey) {
    }

    private final WebhookRoutes routes;
    private final SourceAddressResolver sources;
    private final ReportWriter writer;
    private final WebhookMetrics metrics;
    private final Clock clock;

    public WebhookController(WebhookRoutes routes, SourceAddressResolver sources, ReportWriter writer,
                             WebhookMetrics metrics, Clock clock) {
        this.routes = routes;
        this.sources = sources;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Verifies and parses on the blocking executor (keeping a refused report is a blocking write), then stores the
     * report without holding the thread: the 200 is sent from the producer's acknowledgement, the 503 from its failure.
     */
    @Post(uri = "/{+path}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CompletableFuture<HttpResponse<?>> receive(HttpRequest<?> request, String path, @Body @Nullable byte[] body) {
        Optional<WebhookRoutes.Route> found = routes.route(request.getPath());
        if (found.isEmpty()) {
            return answered(reject("unknown", request.getRemoteAddress().getAddress(),
                    new WebhookRejection(WebhookRejection.Reason.UNKNOWN_ROUTE, "no provider webhook at " + printable(request.getPath()))));
        }
        WebhookRoutes.Route route = found.get();
        InetAddress source = sources.resolve(request.getRemoteAddress().getAddress(), String.join(",", request.getHeaders().getAll("X-Forwarded-For")));
        if (!route.allows(source)) {
            WebhookRejection rejection = new WebhookRejection(WebhookRejection.Reason.DISALLOWED_SOURCE,
                    "source " + source.getHostAddress() + " is not in the allow-list of " + route.provider());
            if (route.silentRejectSources()) {
                reject(route.provider(), source, rejection);
                LOG.error("A {} webhook from {}, not in its allow-list, was answered 200 and DROPPED (silent-reject-sources=true):"
                        + " if that address is really the provider's, its reports are being lost; add it to allowed-sources",
                        route.provider(), source.getHostAddress());
                return answered(HttpResponse.ok(new Ack(null)));
            }
            return answered(reject(route.provider(), source, rejection));
        }
        WebhookRequest webhook = new WebhookRequest(request.getPath(), name -> request.getHeaders().get(name),
                body == null ? new byte[0] : body, source, clock.instant());
        ProviderReport report;
        try {
            route.adapter().verify(webhook);
            requireJson(request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
        } catch (WebhookRejection rejection) {
            return answered(reject(route.provider(), source, rejection));
        }
        try {
            report = route.adapter().parse(webhook);
        } catch (WebhookRejection rejection) {
            // verified, from an allowed source, but unreadable: keep the raw report before refusing it
            try {
                writer.keepRefused(List.of(new RefusedReport(route.provider(), "webhook from " + source.getHostAddress(),
                        webhook.body(), rejection)));
            } catch (DurableWriteException e) {
                metrics.storeFailed(route.provider());
                LOG.error("Could not keep a refused {} report from {} ({}): {}; answering 503 so the provider retries",
                        route.provider(), source.getHostAddress(), rejection.reason().tag(), e.getMessage());
                return answered(Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Report not kept",
                        "The report could not be kept; retry later.").header(HttpHeaders.RETRY_AFTER, "5"));
            }
            return answered(reject(route.provider(), source, rejection));
        }
        long started = System.nanoTime();
        String msgKey = report.getMsgKey();
        return writer.writeAsync(report).handle((stored, error) -> {
            if (error == null) {
                metrics.stored(route.provider(), System.nanoTime() - started);
                return HttpResponse.ok(new Ack(msgKey));
            }
            Throwable cause = Futures.cause(error);
            metrics.storeFailed(route.provider());
            LOG.error("Could not store a {} report from {}: {}; answering 503 so the provider retries",
                    route.provider(), source.getHostAddress(), cause.getMessage());
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Report not stored",
                    "The report could not be stored; retry later.").header(HttpHeaders.RETRY_AFTER, "5");
        });
    }

    /** An answer decided before anything is stored (a refusal, a silent drop). */
    private static CompletableFuture<HttpResponse<?>> answered(HttpResponse<?> response) {
        return CompletableFuture.completedFuture(response);
    }

    private static void requireJson(String contentType) {
        if (contentType == null) {
            throw new WebhookRejection(WebhookRejection.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type is missing; send application/json");
        }
        MediaType type;
        try {
            type = MediaType.of(contentType);
        } catch (RuntimeException e) {
            throw new WebhookRejection(WebhookRejection.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type is not a media type");
        }
        boolean json = "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        String charset = type.getParameters().get("charset").orElse("utf-8").toLowerCase(Locale.ROOT);
        if (!json || !("utf-8".equals(charset) || "utf8".equals(charset))) {
            throw new WebhookRejection(WebhookRejection.Reason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type " + type.getName() + " is not supported; send application/json in UTF-8");
        }
    }

    private HttpResponse<?> reject(String provider, InetAddress source, WebhookRejection rejection) {
        metrics.rejected(provider, rejection.reason().tag());
        LOG.warn("Rejected {} webhook from {}: {} ({})", provider, source.getHostAddress(), rejection.reason().tag(),
                rejection.getMessage());
        var response = Problem.response(HttpStatus.valueOf(rejection.reason().status()), rejection.reason().tag().replace('_', '-'),
                title(rejection.reason()), rejection.getMessage());
        return rejection.reason().status() == 503 ? response.header(HttpHeaders.RETRY_AFTER, "1") : response;
    }

    /** A path as it may be logged and answered: control characters escaped (no forged log lines), at most 200 chars. */
    static String printable(String path) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < path.length() && out.length() < 200; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < path.length() ? out.append("...").toString() : out.toString();
    }

    private static String title(WebhookRejection.Reason reason) {
        return switch (reason) {
            case UNKNOWN_ROUTE -> "Unknown webhook";
            case DISALLOWED_SOURCE -> "Source not allowed";
            case BAD_SIGNATURE -> "Signature not valid";
            case STALE_TIMESTAMP -> "Timestamp out of tolerance";
            case REPLAYED_SIGNATURE -> "Signature already used";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
            case TOO_LARGE -> "Body too large";
            case MALFORMED -> "Malformed report";
            case MISSING_FIELD -> "Missing field";
        };
    }
}
