package dev.deliverytracker.status.api;

import dev.deliverytracker.state.TrackedDelivery;
import dev.deliverytracker.status.topology.DeliveryTracker;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds a delivery wherever it lives. Kafka Streams knows which instance owns a key ({@code queryMetadataForKey});
 * this instance answers from its own store when it is the owner, and otherwise asks the owner over HTTP at the
 * host:port the owner advertises ({@code application.server}). A forwarded request is never forwarded again.
 */
@Singleton
public class DeliveryLookup {

    /** Marks a request forwarded by another instance: answer locally or not at all. */
    public static final String FORWARDED_HEADER = "X-Delivery-Tracker-Forwarded";

    /** The outcome of a lookup. */
    public sealed interface Result {
        record Found(DeliveryView delivery) implements Result {
        }

        record NotFound() implements Result {
        }

        record Unavailable(String reason) implements Result {
        }
    }

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http;

    public DeliveryLookup(KafkaStreams streams, @Named("status-stream") Properties streamsProperties, HttpClient http) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(streamsProperties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        this.http = http;
    }

    /**
     * @param forwarded     whether another instance forwarded this request (then it is never forwarded again)
     * @param authorization the caller's Authorization header, passed on to the owner, which checks it again
     */
    public Result find(String msgKey, boolean forwarded, String authorization) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return new Result.Unavailable("the stream is " + state + "; try again shortly");
        }
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(DeliveryTracker.DELIVERIES_STORE, msgKey, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            return new Result.Unavailable("ownership of the key is not known yet: " + e.getMessage());
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return new Result.Unavailable("no instance owns the key right now (rebalancing); try again shortly");
        }
        if (owner.activeHost().equals(self)) {
            return local(msgKey, owner.partition());
        }
        if (forwarded) {
            return new Result.Unavailable("ownership moved while the request was forwarded; try again");
        }
        return remote(owner.activeHost(), msgKey, authorization);
    }

    private Result local(String msgKey, int partition) {
        try {
            ReadOnlyKeyValueStore<String, TrackedDelivery> store = streams.store(StoreQueryParameters
                    .fromNameAndType(DeliveryTracker.DELIVERIES_STORE, QueryableStoreTypes.<String, TrackedDelivery>keyValueStore())
                    .withPartition(partition));
            TrackedDelivery delivery = store.get(msgKey);
            return delivery == null ? new Result.NotFound() : new Result.Found(DeliveryView.of(delivery));
        } catch (InvalidStateStoreException e) {
            return new Result.Unavailable("the store is not queryable right now (" + e.getMessage() + ")");
        }
    }

    /** The owner's URL for {@code msgKey}: the key is one path segment, percent-encoded whatever it contains. */
    static URI ownerUri(HostInfo owner, String msgKey) {
        String segment = URLEncoder.encode(msgKey, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create("http://" + owner.host() + ":" + owner.port() + "/v1/deliveries/" + segment);
    }

    private Result remote(HostInfo owner, String msgKey, String authorization) {
        MutableHttpRequest<?> request = HttpRequest.GET(ownerUri(owner, msgKey)).header(FORWARDED_HEADER, "1");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        try {
            Optional<DeliveryView> view = http.toBlocking().exchange(request, DeliveryView.class).getBody();
            return view.<Result>map(Result.Found::new).orElseGet(Result.NotFound::new);
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 404) {
                return new Result.NotFound();
            }
            if (e.getStatus().getCode() == 401 || e.getStatus().getCode() == 403) {
                return new Result.Unavailable("the owning instance " + owner + " refused the token this instance accepted:"
                        + " every instance needs the same STATUS_STREAM_QUERY_TOKENS");
            }
            return new Result.Unavailable("the owning instance " + owner + " answered " + e.getStatus().getCode());
        } catch (RuntimeException e) {
            return new Result.Unavailable("the owning instance " + owner + " is unreachable: " + e.getMessage());
        }
    }
}
