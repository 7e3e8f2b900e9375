package dev.deliverytracker.monitor.api;

import dev.deliverytracker.monitor.app.MonitorProperties;
import dev.deliverytracker.monitor.dashboard.DashboardQueries;
import dev.deliverytracker.monitor.dashboard.DashboardUnavailableException;
import dev.deliverytracker.monitor.dashboard.DashboardViews;
import dev.deliverytracker.monitor.dashboard.DashboardWindow;
import dev.deliverytracker.monitor.notify.ActiveAlerts;
import dev.deliverytracker.support.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard's JSON API: the numbers the page shows, from the monitor's own minute buckets
 * ({@link DashboardQueries}, every monitor instance's share merged), never from a scan of a topic. Bad parameters
 * answer 400 problem+json naming the parameter; while the stores are not ready (start-up, rebalance) or another
 * instance cannot answer its share, 503 with the reason and Retry-After. The page at {@code /} renders
 * exactly these answers.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardController {

    /** Where a listed delivery's history is read through the monitor. */
    public static final String DELIVERY_PATH = "/api/deliveries";
    private static final int MAX_LIMIT = 500;

    private final DashboardQueries queries;
    private final ActiveAlerts alerts;
    private final String historyBaseUrl;
    private final String lookupToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public DashboardController(DashboardQueries queries, ActiveAlerts alerts, MonitorProperties properties) {
        this.queries = queries;
        this.alerts = alerts;
        this.historyBaseUrl = properties.historyBaseUrl().replaceAll("/+$", "");
        this.lookupToken = properties.lookupToken() == null ? "" : properties.lookupToken().trim();
    }

    @Get("/")
    HttpResponse<?> page() {
        return HttpResponse.redirect(URI.create("/dashboard/index.html"));
    }

    @Operation(summary = "Totals over a window: the tiles")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DashboardViews.Summary.class)))
    @ApiResponse(responseCode = "400", description = "A bad window", content = @Content(mediaType = "application/problem+json"))
    @Get(uri = "/api/summary", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> summary(@Parameter(description = "15m, 1h, 24h (1m to 24h); default 1h") @Nullable @QueryValue String window) {
        return answer(() -> queries.summary(DashboardWindow.parse(window)));
    }

    @Operation(summary = "Per-minute counts over a window: the chart")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DashboardViews.TimeSeries.class)))
    @Get(uri = "/api/timeseries", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> timeSeries(@Nullable @QueryValue String window) {
        return answer(() -> queries.timeSeries(DashboardWindow.parse(window)));
    }

    @Operation(summary = "Counts per provider, channel, template and origin, worst delivery rate first",
            description = "A window of up to an hour is counted to the minute; a longer one in whole hours: the hour in progress and "
                    + "the ones before it (24h: from the top of the hour 23 hours ago). A message counts under its flow's first channel.")
    @ApiResponse(responseCode = "200", content = @Content(array = @ArraySchema(schema = @Schema(implementation = DashboardViews.BreakdownRow.class))))
    @Get(uri = "/api/breakdown", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> breakdown(@Nullable @QueryValue String window,
                              @Parameter(description = "rate (default: worst first), failed, accepted, delivered, stuck") @Nullable @QueryValue String sort,
                              @Parameter(description = "how many rows, 1 to 500; default 50") @Nullable @QueryValue String limit) {
        return answer(() -> queries.breakdown(DashboardWindow.parse(window), sort(sort), limit(limit)));
    }

    @Operation(summary = "The most frequent failure codes in a window (over an hour: whole hours, as the breakdown)")
    @ApiResponse(responseCode = "200", content = @Content(array = @ArraySchema(schema = @Schema(implementation = DashboardViews.FailureCode.class))))
    @Get(uri = "/api/failures", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> failures(@Nullable @QueryValue String window, @Nullable @QueryValue String limit) {
        return answer(() -> queries.failures(DashboardWindow.parse(window), limit(limit)));
    }

    @Operation(summary = "Deliveries stuck now, oldest first")
    @ApiResponse(responseCode = "200", content = @Content(array = @ArraySchema(schema = @Schema(implementation = DashboardViews.ListedDelivery.class))))
    @Get(uri = DELIVERY_PATH + "/stuck", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> stuck(@Nullable @QueryValue String limit) {
        return answer(() -> queries.stuck(limit(limit)));
    }

    @Operation(summary = "Deliveries that failed within a window, newest first")
    @ApiResponse(responseCode = "200", content = @Content(array = @ArraySchema(schema = @Schema(implementation = DashboardViews.ListedDelivery.class))))
    @Get(uri = DELIVERY_PATH + "/failed", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> failed(@Nullable @QueryValue String window, @Nullable @QueryValue String limit) {
        return answer(() -> queries.recentFailures(DashboardWindow.parse(window), limit(limit)));
    }

    @Operation(summary = "Active alerts, and those resolved within the last hour")
    @Get(uri = "/api/alerts", produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> alerts() {
        return alerts.all().stream().map(MonitorController::view).toList();
    }

    @Operation(summary = "The whole history of a delivery the dashboard lists (stuck now, or failed within 24 h), read from "
            + "status-stream's query API with the monitor's token; any other msgKey answers 404 (ask status-stream with your own token)")
    @Get(uri = DELIVERY_PATH + "/{msgKey}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> history(@PathVariable String msgKey) {
        boolean listed;
        try {
            listed = queries.lists(msgKey);
        } catch (InvalidStateStoreException e) {
            return notReady("The monitor is starting or rebalancing; retry in a few seconds");
        } catch (DashboardUnavailableException e) {
            return notReady(e.getMessage());
        }
        if (!listed) {
            return Problem.response(HttpStatus.NOT_FOUND, "not-listed", "Not on the dashboard",
                    "The monitor shows the history of the deliveries it lists (stuck now, or failed within 24 h) only; "
                            + "read any other from status-stream's GET /v1/deliveries/{msgKey} with your own token");
        }
        if (lookupToken.isEmpty()) {
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "lookup-not-configured", "Delivery history not configured",
                    "Set delivery.monitor.lookup-token (MONITOR_LOOKUP_TOKEN) to a status-stream query token for all origins (*=token)");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(historyBaseUrl + "/v1/deliveries/"
                        + URLEncoder.encode(msgKey, StandardCharsets.UTF_8).replace("+", "%20")))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + lookupToken).GET().build();
        try {
            java.net.http.HttpResponse<String> response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Problem.response(HttpStatus.NOT_FOUND, "unknown-delivery", "status-stream does not know this delivery",
                        "status-stream answered 404: it has forgotten the delivery (past its retention) or never saw it");
            }
            if (response.statusCode() != 200) {
                return Problem.response(HttpStatus.BAD_GATEWAY, "lookup-failed", "status-stream refused the lookup",
                        "status-stream answered " + response.statusCode() + "; check that MONITOR_LOOKUP_TOKEN is a *=<token> entry of "
                                + "STATUS_STREAM_QUERY_TOKENS");
            }
            return HttpResponse.ok(response.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (IOException e) {
            return Problem.response(HttpStatus.BAD_GATEWAY, "lookup-failed", "status-stream did not answer",
                    "The delivery query API at " + historyBaseUrl + " did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "Interrupted", "Retry");
        }
    }

    private static HttpResponse<?> answer(Supplier<Object> query) {
        try {
            return HttpResponse.ok(query.get());
        } catch (IllegalArgumentException e) {
            return Problem.response(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", e.getMessage());
        } catch (InvalidStateStoreException e) {
            return notReady("The monitor is starting or rebalancing; retry in a few seconds");
        } catch (DashboardUnavailableException e) {
            return notReady(e.getMessage());
        }
    }

    private static HttpResponse<?> notReady(String detail) {
        return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "The dashboard's stores are not ready", detail)
                .header("Retry-After", "5");
    }

    private static DashboardQueries.Sort sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return DashboardQueries.Sort.RATE;
        }
        try {
            return DashboardQueries.Sort.valueOf(sort.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sort must be one of rate, failed, accepted, delivered, stuck");
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 50;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
