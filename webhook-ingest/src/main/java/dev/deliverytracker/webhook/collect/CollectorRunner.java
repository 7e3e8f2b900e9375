package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.RequiredSchemas;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.support.RegistryProperties;
import dev.deliverytracker.support.StreamFailureHandler;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Starts the result collectors (any {@code delivery.collectors.<provider>.enabled=true}, wired by
 * {@link CollectorFactory}) once the schemas they read and write are known, and closes them on shutdown, leaving the
 * group so another instance takes their partitions over at once.
 */
@Context
@Requires(condition = AnyCollectorEnabled.class)
public class CollectorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorRunner.class);

    private final KafkaStreams streams;
    private final TopicCatalogue topics;
    private final SerdeSettings serdes;
    private final RegistryProperties registry;
    private final CollectorProperties properties;
    private final List<String> providers;

    public CollectorRunner(KafkaStreams streams, CollectorProperties properties, List<CollectorTopology.Collected> collected,
                           TopicCatalogue topics, SerdeSettings serdes, RegistryProperties registry) {
        this.streams = streams;
        this.topics = topics;
        this.serdes = serdes;
        this.registry = registry;
        this.properties = properties;
        this.providers = collected.stream().map(c -> c.source().provider()).toList();
    }

    @PostConstruct
    void start() {
        new RequiredSchemas()
                .reads(topics.sends().name(), SendEvent.getClassSchema())
                .writes(topics.reports().name(), ProviderReport.getClassSchema())
                .resolve(serdes.registry(), serdes.autoRegister(), registry.startupWait());
        streams.setUncaughtExceptionHandler(new StreamFailureHandler("result collector"));
        streams.start();
        LOG.info("Collecting the results of {}: application id {}, reading {}, writing {}", providers, properties.applicationId(),
                topics.sends().name(), topics.reports().name());
    }

    @PreDestroy
    void stop() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
