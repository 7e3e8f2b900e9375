package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.api.DashboardShareController;
import dev.deliverytracker.monitor.dashboard.DashboardShares;
import dev.deliverytracker.monitor.dashboard.DashboardUnavailableException;
import dev.deliverytracker.monitor.dashboard.DashboardViews.BreakdownRow;
import dev.deliverytracker.monitor.dashboard.DashboardViews.FailureCode;
import dev.deliverytracker.monitor.dashboard.DashboardViews.ListedDelivery;
import dev.deliverytracker.monitor.dashboard.DashboardViews.TimeSeries;
import dev.deliverytracker.monitor.dashboard.DashboardWindow;
import dev.deliverytracker.monitor.dashboard.LocalDashboard;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dashboard's shares across the monitor's instances, found as status-stream's query API finds a delivery: Kafka
 * Streams knows which instance owns which partition of the by-provider stream, and where each instance answers
 * ({@code application.server}). This instance answers its own share from its stores; every other owner is asked at
 * {@link DashboardShareController#BASE} over HTTP, all at once, with the partitions it is expected to hold, and refuses if it
 * holds others (ownership moved in between). Any owner that cannot answer makes the whole answer unavailable (503):
 * a share left out would understate every number. With one instance (the default deployment), nothing goes over HTTP.
 */
public final class ClusterDashboardShares implements DashboardShares {

    /** How long another instance may take to answer its share. */
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);

    private final KafkaStreams streams;
    private final DashboardPartitions partitions;
    private final LocalDashboard local;
    private final HostInfo self;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT).build();

    /** @param self where this instance answers ({@code application.server}); null: it is the only instance */
    public ClusterDashboardShares(KafkaStreams streams, DashboardPartitions partitions, LocalDashboard local, HostInfo self,
                                  JsonMapper json) {
        this.streams = streams;
        this.partitions = partitions;
        this.local = local;
        this.self = self;
        this.json = json;
    }

    @Override
    public List<SummaryShare> summary(DashboardWindow window, long at) {
        return ask("summary", Map.of("window", window.text()), at, Argument.of(SummaryShare.class), d -> d.summary(window, at));
    }

    @Override
    public List<TimeSeries> timeSeries(DashboardWindow window, long at) {
        return ask("timeseries", Map.of("window", window.text()), at, Argument.of(TimeSeries.class), d -> d.timeSeries(window, at));
    }

    @Override
    public List<List<BreakdownRow>> breakdown(DashboardWindow window, long at) {
        return ask("breakdown", Map.of("window", window.text()), at, Argument.listOf(BreakdownRow.class), d -> d.breakdown(window, at));
    }

    @Override
    public List<List<FailureCode>> failures(DashboardWindow window, long at) {
        return ask("failures", Map.of("window", window.text()), at, Argument.listOf(FailureCode.class), d -> d.failures(window, at));
    }

    @Override
    public List<List<ListedDelivery>> stuck(int limit, long at) {
        return ask("stuck", Map.of("limit", String.valueOf(limit)), at, Argument.listOf(ListedDelivery.class), d -> d.stuck(limit, at));
    }

    @Override
    public List<List<ListedDelivery>> recentFailures(DashboardWindow window, int limit, long at) {
        return ask("failed", Map.of("window", window.text(), "limit", String.valueOf(limit)), at, Argument.listOf(ListedDelivery.class),
                d -> d.recentFailures(window, limit, at));
    }

    @Override
    public List<Boolean> lists(String msgKey, long at) {
        return ask("lists", Map.of("msgKey", msgKey), at, Argument.of(Boolean.class), d -> d.lists(msgKey, at));
    }

    private <T> List<T> ask(String part, Map<String, String> parameters, long at, Argument<T> type, Function<LocalDashboard, T> answer) {
        Map<HostInfo, Set<Integer>> owners = owners();
        Map<HostInfo, CompletableFuture<T>> remote = new LinkedHashMap<>();
        owners.forEach((host, expected) -> {
            if (!host.equals(self)) {
                remote.put(host, askPeer(host, part, parameters, at, expected, type));
            }
        });
        List<T> shares = new ArrayList<>(owners.size());
        if (self == null || owners.containsKey(self)) {
            shares.add(answer.apply(local));
        }
        for (Map.Entry<HostInfo, CompletableFuture<T>> peer : remote.entrySet()) {
            try {
                shares.add(peer.getValue().join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw cause instanceof DashboardUnavailableException unavailable ? unavailable
                        : new DashboardUnavailableException("the monitor instance at " + peer.getKey() + " did not answer its share: "
                        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
            }
        }
        return shares;
    }

    /**
     * Which instance owns which partitions of the dashboard's stores, checked to be whole: each of the by-provider
     * stream's partitions (their number read from the broker) owned exactly once, this instance's entry matching what it
     * really holds. Without an {@code application.server} this instance cannot be found by others, so it answers only
     * when it holds every partition itself.
     */
    private Map<HostInfo, Set<Integer>> owners() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new DashboardUnavailableException("the monitor's stream is " + state + "; retry in a few seconds");
        }
        Set<Integer> mine = partitions.local();
        int count = partitions.count();
        if (self == null) {
            if (mine.size() != count) {
                throw new DashboardUnavailableException("this instance holds dashboard partitions " + mine + " of " + count + " and cannot ask "
                        + "the others: set MONITOR_APPLICATION_SERVER (and a fixed port) on every monitor instance");
            }
            return Map.of(); // answered from this instance alone (see the constructor)
        }
        Map<HostInfo, Set<Integer>> owners = new LinkedHashMap<>();
        TreeSet<Integer> all = new TreeSet<>();
        int claimed = 0;
        for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
            Set<Integer> owned = client.topicPartitions().stream().filter(partitions::isDashboardInput)
                    .map(tp -> tp.partition()).collect(Collectors.toCollection(TreeSet::new));
            if (!owned.isEmpty()) {
                owners.merge(client.hostInfo(), owned, (a, b) -> {
                    Set<Integer> both = new TreeSet<>(a);
                    both.addAll(b);
                    return both;
                });
                all.addAll(owned);
                claimed += owned.size();
            }
        }
        if (all.size() != count || claimed != count || all.first() != 0 || all.last() != count - 1) {
            throw new DashboardUnavailableException("the dashboard's " + count + " partitions are not all owned once right now (rebalancing): "
                    + owners + "; retry in a few seconds");
        }
        if (!mine.equals(owners.getOrDefault(self, Set.of()))) {
            throw new DashboardUnavailableException("this instance (" + self + ") holds dashboard partitions " + mine + " but is announced"
                    + " with " + owners.getOrDefault(self, Set.of()) + ": ownership is moving, or two monitor instances announce the"
                    + " same address (set MONITOR_APPLICATION_SERVER to each one's own host:port)");
        }
        return owners;
    }

    private <T> CompletableFuture<T> askPeer(HostInfo host, String part, Map<String, String> parameters, long at, Set<Integer> expected,
                                             Argument<T> type) {
        StringBuilder query = new StringBuilder("?at=").append(at).append("&partitions=")
                .append(expected.stream().map(String::valueOf).collect(Collectors.joining(",")));
        parameters.forEach((k, v) -> query.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + DashboardShareController.BASE
                        + "/" + part + query)).timeout(PEER_TIMEOUT).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new DashboardUnavailableException("the monitor instance at " + host + " could not answer its share (HTTP "
                        + response.statusCode() + "): " + new String(response.body(), StandardCharsets.UTF_8));
            }
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new DashboardUnavailableException("the monitor instance at " + host + " answered a share this instance cannot read: "
                        + e.getMessage() + " (are both the same version?)");
            }
        });
    }
}
