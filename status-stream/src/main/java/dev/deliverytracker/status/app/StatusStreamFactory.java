package dev.deliverytracker.status.app;

import dev.deliverytracker.events.Classification;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.rules.CodeClassifier;
import dev.deliverytracker.status.rules.DeliveryTimeouts;
import dev.deliverytracker.status.rules.StatusRules;
import dev.deliverytracker.status.topology.StatusTopology;
import dev.deliverytracker.status.topology.StatusTopologyConfig;
import dev.deliverytracker.status.api.QueryAccess;
import dev.deliverytracker.support.KafkaClientProperties;
import dev.deliverytracker.support.OriginTokens;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Wires the plain topology into the service: rules and timeouts from configuration, {@link StatusTopology#build},
 * and the {@link KafkaStreams} instance ({@code exactly_once_v2}). {@link StatusStreamRunner} starts and stops it.
 */
@Factory
public class StatusStreamFactory {

    private static final Logger LOG = LoggerFactory.getLogger(StatusStreamFactory.class);

    static final String TIMEOUTS_PREFIX = "delivery.timeouts";
    static final String CLASSIFICATION_PREFIX = "delivery.classification";
    static final String STREAMS_OVERRIDES_PREFIX = "delivery.status-stream.streams";

    @Singleton
    StatusRules statusRules(RulesProperties rules) {
        return new StatusRules(timeouts(rules.timeouts()), classifier(rules.classification()), rules.maxAge(), rules.orphanGrace(),
                rules.settledRetention(), rules.emitPending());
    }

    @Singleton
    StatusTopologyConfig topologyConfig(TopicCatalogue topics, StatusRules rules, StatusStreamProperties properties) {
        return new StatusTopologyConfig(topics, rules, properties.punctuationInterval(), properties.maxDuePerPunctuation(),
                properties.liveLag(), properties.idleAfter());
    }

    @Singleton
    Topology topology(StatusTopologyConfig config, SerdeSettings serdes, DeliveryMetrics metrics) {
        return StatusTopology.build(config, serdes, metrics);
    }

    /**
     * The host:port other instances use to forward queries here. Without one configured it is localhost and the HTTP
     * port, which must then be a real port: a random one ({@code micronaut.server.port=-1}) is unknown until the server
     * has started, after Kafka Streams announced it.
     */
    static String applicationServer(StatusStreamProperties properties, int httpPort) {
        if (properties.applicationServer() != null && !properties.applicationServer().isBlank()) {
            return properties.applicationServer();
        }
        if (httpPort <= 0) {
            throw new IllegalStateException("status-stream announces its query API to other instances, but the HTTP port is "
                    + httpPort + " (random): set delivery.status-stream.application-server (STATUS_STREAM_APPLICATION_SERVER) "
                    + "to host:port, or a fixed micronaut.server.port");
        }
        return "localhost:" + httpPort;
    }

    @Singleton
    @Named("status-stream")
    Properties streamsProperties(KafkaClientProperties kafka, StatusStreamProperties properties, Environment environment,
                                 @Value("${micronaut.server.port:8083}") int httpPort) {
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir() != null && !properties.stateDir().isBlank() ? properties.stateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "delivery-tracker", properties.applicationId()).toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer(properties, httpPort));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        props.putAll(environment.getProperties(STREAMS_OVERRIDES_PREFIX, StringConvention.RAW));
        return props;
    }

    /** Who may read the query API; built at start-up, so a malformed token list stops it and a closed API is logged. */
    @Context
    QueryAccess queryAccess(StatusStreamProperties properties) {
        QueryAccess access = new QueryAccess(OriginTokens.parse(properties.queryTokens(), "STATUS_STREAM_QUERY_TOKENS"), properties.queryOpen());
        if (access.open()) {
            LOG.warn("The delivery query API is open to anyone (delivery.status-stream.query-open=true): development only");
        } else if (access.closed()) {
            LOG.warn("The delivery query API answers 403 to everyone: no STATUS_STREAM_QUERY_TOKENS are configured");
        }
        return access;
    }

    @Singleton
    KafkaStreams kafkaStreams(Topology topology, @Named("status-stream") Properties properties) {
        return new KafkaStreams(topology, properties);
    }

    static DeliveryTimeouts timeouts(Map<String, String> configured) {
        Map<String, Duration> overrides = new HashMap<>();
        Duration defaultTimeout = Duration.ofMinutes(10);
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            Duration value = ConversionService.SHARED.convert(entry.getValue(), Duration.class)
                    .orElseThrow(() -> new IllegalArgumentException(TIMEOUTS_PREFIX + "." + entry.getKey() + "="
                            + entry.getValue() + " is not a duration (e.g. 10m, 90s, PT10M)"));
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            if ("default".equals(key)) {
                defaultTimeout = value;
            } else {
                overrides.put(key, value);
            }
        }
        return new DeliveryTimeouts(defaultTimeout, overrides);
    }

    static CodeClassifier classifier(Map<String, String> configured) {
        Map<String, Map<String, Classification>> overrides = new HashMap<>();
        configured.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException(CLASSIFICATION_PREFIX + "." + key
                        + ": expected delivery.classification.<provider>.<code>=<CLASS>");
            }
            String fullKey = CLASSIFICATION_PREFIX + "." + key;
            overrides.computeIfAbsent(key.substring(0, dot), p -> new HashMap<>())
                    .put(key.substring(dot + 1), CodeClassifier.parse(fullKey, String.valueOf(value)));
        });
        return CodeClassifier.withDefaults(overrides);
    }
}
