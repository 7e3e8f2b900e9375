package dev.deliverytracker.monitor.app;

import dev.deliverytracker.monitor.api.DashboardController;
import dev.deliverytracker.monitor.dashboard.DashboardQueries;
import dev.deliverytracker.monitor.dashboard.DashboardShares;
import dev.deliverytracker.monitor.dashboard.LocalDashboard;
import dev.deliverytracker.monitor.dashboard.DashboardStoreSource;
import dev.deliverytracker.monitor.rules.AlertRules;
import dev.deliverytracker.monitor.topology.AlertTopology;
import dev.deliverytracker.monitor.topology.AlertTopologyConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.KafkaClientProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/** Wires the plain rule evaluation into the service: rules from configuration, {@link AlertTopology#build}, {@link KafkaStreams}. */
@Factory
public class MonitorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorFactory.class);

    static final String RULES_PREFIX = "delivery.monitor.rules";
    static final String STREAMS_OVERRIDES_PREFIX = "delivery.monitor.streams";

    @Singleton
    AlertRules alertRules(Environment environment, MonitorProperties properties) {
        Set<String> known = Arrays.stream(properties.knownProviders().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        // not StringConvention.RAW: that leaves out what comes from environment variables
        return AlertRules.parse(environment.getProperties(RULES_PREFIX), known);
    }

    @Singleton
    AlertTopologyConfig topologyConfig(TopicCatalogue topics, AlertRules rules, MonitorProperties p) {
        return new AlertTopologyConfig(topics, rules, p.evaluationInterval(), p.bucket(), p.catchUpGrace(), p.resolvedRetention(),
                p.lookupBaseUrl(), p.dashboardRetention());
    }

    @Singleton
    @Named("monitor")
    Topology topology(AlertTopologyConfig config, SerdeSettings serdes) {
        return AlertTopology.build(config, serdes);
    }

    @Singleton
    @Named("monitor")
    Properties streamsProperties(KafkaClientProperties kafka, MonitorProperties p, Environment environment,
                                 @Value("${micronaut.server.port:8085}") int httpPort) {
        Properties props = new Properties();
        props.putAll(kafka.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, p.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, p.stateDir() != null && !p.stateDir().isBlank() ? p.stateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "delivery-tracker", p.applicationId()).toString());
        String server = applicationServer(p, httpPort);
        if (server != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
        }
        props.putAll(environment.getProperties(STREAMS_OVERRIDES_PREFIX, StringConvention.RAW));
        return props;
    }

    /**
     * The host:port other monitor instances ask for this one's share of the dashboard. Without one configured it is
     * localhost and the HTTP port; with neither (a random port, as in tests and the one-machine mode) none is announced,
     * and this instance answers the dashboard from its own stores alone, as the only instance.
     */
    static String applicationServer(MonitorProperties properties, int httpPort) {
        if (properties.applicationServer() != null && !properties.applicationServer().isBlank()) {
            return properties.applicationServer().trim();
        }
        if (httpPort <= 0) {
            LOG.info("No delivery.monitor.application-server (MONITOR_APPLICATION_SERVER) and a random HTTP port: the dashboard"
                    + " answers from this instance's stores alone; run one instance only, or set it");
            return null;
        }
        return "localhost:" + httpPort;
    }

    @Singleton
    LocalDashboard localDashboard(DashboardStoreSource stores) {
        return new LocalDashboard(stores, DashboardController.DELIVERY_PATH);
    }

    @Singleton
    DashboardShares dashboardShares(KafkaStreams streams, DashboardPartitions partitions, LocalDashboard local,
                                    @Named("monitor") Properties properties, JsonMapper json) {
        String server = properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return new ClusterDashboardShares(streams, partitions, local, server == null ? null : HostInfo.buildFromEndpoint(server), json);
    }

    @Singleton
    DashboardQueries dashboardQueries(DashboardShares shares) {
        return new DashboardQueries(shares, Clock.systemUTC());
    }

    @Singleton
    KafkaStreams kafkaStreams(@Named("monitor") Topology topology, @Named("monitor") Properties properties) {
        return new KafkaStreams(topology, properties);
    }
}
