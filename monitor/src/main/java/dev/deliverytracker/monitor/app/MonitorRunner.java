package dev.deliverytracker.monitor.app;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.notify.ChannelProperties;
import dev.deliverytracker.schemas.serde.RequiredSchemas;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.RegistryProperties;
import dev.deliverytracker.support.StreamFailureHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Starts the rule evaluation with the service and closes it cleanly on shutdown. */
@Context
public class MonitorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorRunner.class);

    private final KafkaStreams streams;
    private final TopicCatalogue topics;
    private final MonitorProperties properties;
    private final MeterRegistry meters;
    private final SerdeSettings serdes;
    private final RegistryProperties registry;
    private KafkaStreamsMetrics streamsMetrics;

    public MonitorRunner(List<ChannelProperties> channels, BeanProvider<KafkaStreams> streams, TopicCatalogue topics,
                         MonitorProperties properties, MeterRegistry meters, SerdeSettings serdes, RegistryProperties registry) {
        // every channel's settings are checked before Kafka Streams is even created (it takes the state directory's
        // lock), so a bad URL or secret fails the start-up cleanly, naming the key
        channels.forEach(ChannelProperties::validate);
        this.streams = streams.get();
        this.topics = topics;
        this.properties = properties;
        this.meters = meters;
        this.serdes = serdes;
        this.registry = registry;
    }

    @PostConstruct
    void start() {
        // a registry that starts late delays the start instead of turning statuses into dead records (docs/architecture.md, D14)
        new RequiredSchemas()
                .reads(topics.status().name(), DeliveryStatus.getClassSchema())
                .writes(topics.alerts().name(), DeliveryAlert.getClassSchema())
                .resolve(serdes.registry(), serdes.autoRegister(), registry.startupWait());
        streams.setUncaughtExceptionHandler(new StreamFailureHandler("monitor rule evaluation"));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        streams.start();
        LOG.info("monitor started: application id {}, reading {}, writing {}", properties.applicationId(), topics.status().name(),
                topics.alerts().name());
    }

    /**
     * Closes the stream and leaves the group, so the other instances take this one's providers over at once (their
     * alert rules and their share of the dashboard) instead of after the session timeout.
     */
    @PreDestroy
    void stop() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(properties.closeTimeout()));
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }
}
