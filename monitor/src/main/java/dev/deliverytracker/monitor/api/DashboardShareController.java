package dev.deliverytracker.monitor.api;

import dev.deliverytracker.monitor.app.DashboardPartitions;
import dev.deliverytracker.monitor.dashboard.DashboardWindow;
import dev.deliverytracker.monitor.dashboard.LocalDashboard;
import dev.deliverytracker.support.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * This instance's share of the dashboard, for the other monitor instances ({@code ClusterDashboardShares}): the same
 * numbers the public API shows, from this instance's stores only, about the instant {@code at} the asking instance
 * chose. The asker names the partitions it expects this instance to hold; if this instance holds others (ownership
 * moved), it answers 503 rather than a share that would count a provider twice or not at all. Not part of the public
 * API (hidden from the OpenAPI document); nothing here is more than the public API shows.
 */
@Hidden
@Controller(DashboardShareController.BASE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardShareController {

    public static final String BASE = "/internal/dashboard-shares";

    private final LocalDashboard local;
    private final DashboardPartitions partitions;

    public DashboardShareController(LocalDashboard local, DashboardPartitions partitions) {
        this.local = local;
        this.partitions = partitions;
    }

    @Get(uri = "/summary", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> summary(@QueryValue long at, @QueryValue String partitions, @Nullable @QueryValue String window) {
        return share(partitions, () -> local.summary(DashboardWindow.parse(window), at));
    }

    @Get(uri = "/timeseries", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> timeSeries(@QueryValue long at, @QueryValue String partitions, @Nullable @QueryValue String window) {
        return share(partitions, () -> local.timeSeries(DashboardWindow.parse(window), at));
    }

    @Get(uri = "/breakdown", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> breakdown(@QueryValue long at, @QueryValue String partitions, @Nullable @QueryValue String window) {
        return share(partitions, () -> local.breakdown(DashboardWindow.parse(window), at));
    }

    @Get(uri = "/failures", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> failures(@QueryValue long at, @QueryValue String partitions, @Nullable @QueryValue String window) {
        return share(partitions, () -> local.failures(DashboardWindow.parse(window), at));
    }

    @Get(uri = "/stuck", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> stuck(@QueryValue long at, @QueryValue String partitions, @QueryValue int limit) {
        return share(partitions, () -> local.stuck(limit, at));
    }

    @Get(uri = "/failed", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> failed(@QueryValue long at, @QueryValue String partitions, @Nullable @QueryValue String window, @QueryValue int limit) {
        return share(partitions, () -> local.recentFailures(DashboardWindow.parse(window), limit, at));
    }

    @Get(uri = "/lists", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> lists(@QueryValue long at, @QueryValue String partitions, @QueryValue String msgKey) {
        return share(partitions, () -> local.lists(msgKey, at));
    }

    private HttpResponse<?> share(String expected, Supplier<Object> answer) {
        Set<Integer> asked;
        try {
            asked = new TreeSet<>(Arrays.stream(expected.split(",")).map(String::trim).map(Integer::valueOf).toList());
        } catch (NumberFormatException e) {
            return Problem.response(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
                    "partitions must be a comma-separated list of partition numbers");
        }
        Set<Integer> mine = partitions.local();
        if (!mine.equals(asked)) {
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "ownership-moved", "Ownership moved",
                    "this instance holds dashboard partitions " + mine + ", not " + asked + "; retry in a few seconds")
                    .header("Retry-After", "5");
        }
        try {
            return HttpResponse.ok(answer.get());
        } catch (IllegalArgumentException e) {
            return Problem.response(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", e.getMessage());
        } catch (InvalidStateStoreException e) {
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "The dashboard's stores are not ready",
                    e.getMessage()).header("Retry-After", "5");
        }
    }
}
